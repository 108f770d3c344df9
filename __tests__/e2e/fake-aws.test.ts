// Proves the fake speaks AWS JSON 1.1 the way the real SDK v3 clients expect, so the e2e tests that rely on it
// test the action and not the fake. Only 127.0.0.1 is ever contacted.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'

const PARAM = '/datadog/api-key'
const PARAM_ARN = 'arn:aws:ssm:us-east-1:111122223333:parameter/datadog/api-key'
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog/api-key-AbCdEf'

const taskDefinition = {
  family: 'web',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  memory: '512',
  containerDefinitions: [{ name: 'web', image: 'nginx:1.27', essential: true }]
}

let fake: FakeAws

function config(extra: Record<string, unknown> = {}) {
  return {
    endpoint: fake.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'fake' },
    maxAttempts: 3,
    ...extra
  }
}

/** Rejection of a promise, as a value, so its name and message can be checked. */
async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

beforeEach(async () => {
  fake = await startFakeAws({
    parameters: { [PARAM]: 'key-us1' },
    secrets: { [SECRET_ARN]: 'key-from-sm' },
    validKeys: ['key-us1']
  })
})

afterEach(async () => {
  await fake.close()
})

describe('ECS RegisterTaskDefinition', () => {
  it('returns an ARN whose revision increments per family, and records the request', async () => {
    const ecs = new ECSClient(config())
    const first = await ecs.send(
      new RegisterTaskDefinitionCommand({ ...taskDefinition, tags: [{ key: 'team', value: 'web' }] })
    )
    const second = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition))
    const other = await ecs.send(new RegisterTaskDefinitionCommand({ ...taskDefinition, family: 'api' }))

    expect(first.taskDefinition?.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    expect(first.taskDefinition?.revision).toBe(1)
    expect(first.taskDefinition?.status).toBe('ACTIVE')
    expect(first.taskDefinition?.containerDefinitions?.[0]?.image).toBe('nginx:1.27')
    expect(first.tags).toEqual([{ key: 'team', value: 'web' }])
    expect(second.taskDefinition?.taskDefinitionArn).toMatch(/:task-definition\/web:2$/)
    expect(other.taskDefinition?.taskDefinitionArn).toMatch(/:task-definition\/api:1$/)

    expect(fake.registered).toHaveLength(3)
    expect(fake.registered[0]).toMatchObject({ family: 'web', tags: [{ key: 'team', value: 'web' }] })
    const call = fake.calls[0]
    expect(call?.target).toBe('ECS.RegisterTaskDefinition')
    expect(call?.headers['x-amz-target']).toBe('AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition')
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1')
  })

  it('rejects what ECS rejects (awsfirelens without a router) as ClientException', async () => {
    const ecs = new ECSClient(config())
    const bad = {
      ...taskDefinition,
      containerDefinitions: [{ name: 'web', image: 'nginx', logConfiguration: { logDriver: 'awsfirelens' as const } }]
    }
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand(bad)))
    expect(err.name).toBe('ClientException')
    expect(err.message).toMatch(/firelensConfiguration/)
    expect(fake.registered).toHaveLength(0)
  })

  it.each([
    [
      'a container without memory on EC2 without task memory',
      { memory: undefined, containerDefinitions: [{ name: 'web', image: 'nginx' }] },
      /Invalid setting for container 'web'\. At least one of 'memory' or 'memoryReservation' must be specified\./
    ],
    [
      'memory below memoryReservation',
      { containerDefinitions: [{ name: 'web', image: 'nginx', memory: 128, memoryReservation: 256 }] },
      /'memory' must be greater than or equal to 'memoryReservation'/
    ],
    [
      'a container memory above the task memory',
      { containerDefinitions: [{ name: 'web', image: 'nginx', memory: 1024 }] },
      /container memory must be less than or equal to the task memory/
    ],
    [
      'a Fargate size that does not exist',
      { requiresCompatibilities: ['FARGATE' as const], cpu: '256', memory: '4096' },
      /No Fargate configuration exists for given values: 256 CPU, 4096 memory/
    ],
    [
      'the reservations above the task memory',
      {
        containerDefinitions: [
          { name: 'web', image: 'nginx', memoryReservation: 400 },
          { name: 'b', image: 'nginx', memory: 200 }
        ]
      },
      /exceeds the task memory/
    ]
  ])("rejects %s, as ECS's memory rules do", async (_what, change, message) => {
    const ecs = new ECSClient(config())
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand({ ...taskDefinition, ...change })))
    expect(err.name).toBe('ClientException')
    expect(err.message).toMatch(message)
    expect(fake.registered).toHaveLength(0)
  })

  it('registers a Fargate task whose containers set no memory of their own', async () => {
    const ecs = new ECSClient(config())
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...taskDefinition,
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024'
      })
    )
    expect(fake.registered).toHaveLength(1)
  })

  it("rejects a definition over 64 KiB in ECS's words", async () => {
    const ecs = new ECSClient(config())
    const big = {
      ...taskDefinition,
      containerDefinitions: [{ name: 'web', image: 'nginx', environment: [{ name: 'X', value: 'x'.repeat(65_536) }] }]
    }
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand(big)))
    expect(err.name).toBe('ClientException')
    expect(err.message).toMatch(/^Actual length: '\d+'\. Max allowed length is '65536' bytes\.$/)
    expect(fake.registered).toHaveLength(0)
  })

  it('honours taskDefinitionArnPrefix', async () => {
    await fake.close()
    fake = await startFakeAws({
      taskDefinitionArnPrefix: 'arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/'
    })
    const ecs = new ECSClient(config())
    const out = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition))
    expect(out.taskDefinition?.taskDefinitionArn).toBe(
      'arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/web:1'
    )
  })
})

describe('SSM', () => {
  it('GetParameter returns the value with decryption, by name or ARN', async () => {
    const ssm = new SSMClient(config())
    const byName = await ssm.send(new GetParameterCommand({ Name: PARAM, WithDecryption: true }))
    const byArn = await ssm.send(new GetParameterCommand({ Name: PARAM_ARN, WithDecryption: true }))
    expect(byName.Parameter).toMatchObject({ Name: PARAM, Type: 'SecureString', Value: 'key-us1', ARN: PARAM_ARN })
    expect(byArn.Parameter?.Value).toBe('key-us1')
  })

  it('GetParameter without decryption returns ciphertext, as SSM does for a SecureString', async () => {
    const ssm = new SSMClient(config())
    const out = await ssm.send(new GetParameterCommand({ Name: PARAM }))
    expect(out.Parameter?.Name).toBe(PARAM)
    expect(out.Parameter?.Value).toBeTruthy()
    expect(out.Parameter?.Value).not.toBe('key-us1')
  })

  it('GetParameter reads a Secrets Manager secret through /aws/reference/secretsmanager/ only with decryption', async () => {
    const ssm = new SSMClient(config())
    const name = '/aws/reference/secretsmanager/datadog/api-key'
    const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))
    expect(out.Parameter?.Value).toBe('key-from-sm')
    const err = await failure(ssm.send(new GetParameterCommand({ Name: name })))
    expect(err.name).toBe('ValidationException')
  })

  it('GetParameter of a missing parameter is ParameterNotFound', async () => {
    const ssm = new SSMClient(config())
    const err = await failure(ssm.send(new GetParameterCommand({ Name: '/nope', WithDecryption: true })))
    expect(err.name).toBe('ParameterNotFound')
    expect(err.$metadata?.httpStatusCode).toBe(400)
  })

  it('DescribeParameters honours a Name Equals filter and returns metadata only', async () => {
    const ssm = new SSMClient(config())
    const filter = (name: string) =>
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] })
    const found = await ssm.send(filter(PARAM))
    expect(found.Parameters).toHaveLength(1)
    expect(found.Parameters?.[0]).toMatchObject({ Name: PARAM, Type: 'SecureString', ARN: PARAM_ARN })
    expect(JSON.stringify(found)).not.toContain('key-us1')
    const missing = await ssm.send(filter('/nope'))
    expect(missing.Parameters).toEqual([])
    expect(fake.calls.map(c => c.target)).toEqual(['SSM.DescribeParameters', 'SSM.DescribeParameters'])
  })
})

describe('Secrets Manager', () => {
  it('DescribeSecret and GetSecretValue work by ARN, partial ARN and name', async () => {
    const sm = new SecretsManagerClient(config())
    const d = await sm.send(new DescribeSecretCommand({ SecretId: SECRET_ARN }))
    expect(d).toMatchObject({ ARN: SECRET_ARN, Name: 'datadog/api-key' })
    expect(JSON.stringify(d)).not.toContain('key-from-sm')
    const byName = await sm.send(new GetSecretValueCommand({ SecretId: 'datadog/api-key' }))
    expect(byName.SecretString).toBe('key-from-sm')
    const partial = await sm.send(new DescribeSecretCommand({ SecretId: SECRET_ARN.slice(0, -7) }))
    expect(partial.ARN).toBe(SECRET_ARN)
    expect(fake.calls.map(c => c.target)).toEqual([
      'SecretsManager.DescribeSecret',
      'SecretsManager.GetSecretValue',
      'SecretsManager.DescribeSecret'
    ])
    expect(fake.calls[0]?.headers['x-amz-target']).toBe('secretsmanager.DescribeSecret')
  })

  it('a missing secret is ResourceNotFoundException', async () => {
    const sm = new SecretsManagerClient(config())
    const missing = SECRET_ARN.replace('api-key', 'other')
    expect((await failure(sm.send(new DescribeSecretCommand({ SecretId: missing })))).name).toBe(
      'ResourceNotFoundException'
    )
    expect((await failure(sm.send(new GetSecretValueCommand({ SecretId: missing })))).name).toBe(
      'ResourceNotFoundException'
    )
  })
})

describe('faults', () => {
  it('a queued throttle is retried by the SDK, then succeeds (2 calls)', async () => {
    const ecs = new ECSClient(config())
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'throttle' })
    const out = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition))
    expect(out.taskDefinition?.revision).toBe(1)
    expect(out.$metadata.attempts).toBe(2)
    expect(fake.calls.filter(c => c.target === 'ECS.RegisterTaskDefinition')).toHaveLength(2)
    expect(fake.registered).toHaveLength(1)
  })

  it('SSM and Secrets Manager retry a throttle too', async () => {
    fake.fault('SSM.DescribeParameters', { kind: 'throttle' })
    fake.fault('SecretsManager.DescribeSecret', { kind: 'throttle' })
    const ssm = new SSMClient(config())
    const sm = new SecretsManagerClient(config())
    await ssm.send(new DescribeParametersCommand({}))
    await sm.send(new DescribeSecretCommand({ SecretId: SECRET_ARN }))
    expect(fake.calls.map(c => c.target)).toEqual([
      'SSM.DescribeParameters',
      'SSM.DescribeParameters',
      'SecretsManager.DescribeSecret',
      'SecretsManager.DescribeSecret'
    ])
  })

  it('accessDenied surfaces as AccessDeniedException with the IAM message, not retried', async () => {
    const ecs = new ECSClient(config())
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'accessDenied' })
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand(taskDefinition)))
    expect(err.name).toBe('AccessDeniedException')
    expect(err.message).toBe(
      'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: ecs:RegisterTaskDefinition on resource: * because no identity-based policy allows the ecs:RegisterTaskDefinition action'
    )
    expect(fake.calls).toHaveLength(1)

    const sm = new SecretsManagerClient(config())
    fake.fault('SecretsManager.GetSecretValue', { kind: 'accessDenied', message: 'custom denial' })
    const smErr = await failure(sm.send(new GetSecretValueCommand({ SecretId: SECRET_ARN })))
    expect(smErr.name).toBe('AccessDeniedException')
    expect(smErr.message).toBe('custom denial')
  })

  it('clientException carries its message; notFound maps to the service not-found error', async () => {
    const ecs = new ECSClient(config())
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'clientException', message: 'Invalid setting for container' })
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand(taskDefinition)))
    expect(err.name).toBe('ClientException')
    expect(err.message).toBe('Invalid setting for container')

    const ssm = new SSMClient(config())
    fake.fault('SSM.GetParameter', { kind: 'notFound' })
    expect((await failure(ssm.send(new GetParameterCommand({ Name: PARAM })))).name).toBe('ParameterNotFound')
  })

  it('serverError is a 500 the SDK retries, and surfaces when it persists', async () => {
    const ecs = new ECSClient(config({ maxAttempts: 2 }))
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'serverError' }, { kind: 'serverError' })
    const err = await failure(ecs.send(new RegisterTaskDefinitionCommand(taskDefinition)))
    expect(err.name).toBe('ServerException')
    expect(err.$metadata?.httpStatusCode).toBe(500)
    expect(fake.calls).toHaveLength(2)
    // Queue consumed: back to normal.
    const ok = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinition))
    expect(ok.taskDefinition?.revision).toBe(1)
  })

  it('hang: a client with a request timeout fails quickly, and close() still returns promptly', async () => {
    const ssm = new SSMClient(
      config({
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({ requestTimeout: 500, throwOnRequestTimeout: true })
      })
    )
    fake.fault('SSM.GetParameter', { kind: 'hang' })
    const err = await failure(ssm.send(new GetParameterCommand({ Name: PARAM, WithDecryption: true })))
    expect(err.name).toBe('TimeoutError')
    expect(fake.calls).toHaveLength(1)

    // A second hung request still open at close time: close() must not wait for it.
    fake.fault('SSM.GetParameter', { kind: 'hang' })
    const pending = new SSMClient(config({ maxAttempts: 1 })).send(new GetParameterCommand({ Name: PARAM }))
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected'
    )
    while (fake.calls.length < 2) await new Promise(r => setTimeout(r, 10))
    await fake.close()
    expect(await settled).toBe('rejected')
    fake = await startFakeAws() // afterEach closes it
  }, 10_000) // a hang guard, not a timing assertion: without the fixes this test would never finish
})

describe('shared parameters and the faults of odd answers', () => {
  const SHARED = 'arn:aws:ssm:us-east-1:444455556666:parameter/shared/api-key'
  let withShared: FakeAws
  beforeEach(async () => {
    withShared = await startFakeAws({ parameters: { [PARAM]: 'mine' }, sharedParameters: { [SHARED]: 'theirs' } })
  })
  afterEach(async () => {
    await withShared.close()
  })
  const ssm = (): SSMClient => new SSMClient({ ...config(), endpoint: withShared.url })

  it("lists another account's shared parameter only with Shared: true, and reads it only by its ARN", async () => {
    const filter = { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/shared/api-key'] }] }
    expect((await ssm().send(new DescribeParametersCommand(filter))).Parameters).toEqual([])
    const shared = await ssm().send(new DescribeParametersCommand({ ...filter, Shared: true }))
    expect(shared.Parameters?.map(p => [p.Name, p.ARN])).toEqual([['/shared/api-key', SHARED]])
    const read = await ssm().send(new GetParameterCommand({ Name: SHARED, WithDecryption: true }))
    expect(read.Parameter?.Value).toBe('theirs')
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/shared/api-key' })))).name).toBe(
      'ParameterNotFound'
    )
    const elsewhere = 'arn:aws:ssm:us-east-1:444455556666:parameter/datadog/api-key'
    expect((await failure(ssm().send(new GetParameterCommand({ Name: elsewhere })))).name).toBe('ParameterNotFound')
  })

  it('honours MaxResults, and gives each parameter the ARN of the account it is in', async () => {
    const page = await ssm().send(new DescribeParametersCommand({ MaxResults: 1 }))
    expect(page.Parameters?.map(p => p.ARN)).toEqual(['arn:aws:ssm:us-east-1:111122223333:parameter/datadog/api-key'])
  })

  it('html: a login page instead of the answer, which the SDK cannot parse', async () => {
    withShared.fault('SSM.DescribeParameters', { kind: 'html' })
    const error = await failure(ssm().send(new DescribeParametersCommand({})))
    expect(error.name).toBe('SyntaxError')
    expect(error.$metadata?.httpStatusCode).toBe(200)
  })

  it('noArn: ECS registers, and answers without the ARN', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'noArn' })
    const output = await new ECSClient(config()).send(new RegisterTaskDefinitionCommand(taskDefinition))
    expect(output.taskDefinition?.family).toBe('web')
    expect(output.taskDefinition?.taskDefinitionArn).toBeUndefined()
    expect(fake.registered).toHaveLength(1)
  })

  it('trickle: the answer arrives whole, one byte at a time', async () => {
    fake.fault('SSM.DescribeParameters', { kind: 'trickle', intervalMs: 1 })
    const started = Date.now()
    const output = await new SSMClient(config()).send(new DescribeParametersCommand({}))
    expect(output.Parameters?.map(p => p.Name)).toEqual([PARAM])
    // At least one interval per byte of the JSON body.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
  })
})

describe('Datadog validate', () => {
  it('200 {valid:true} for a configured key, 403 otherwise; one fake per site', async () => {
    const eu = await startFakeAws({ validKeys: ['key-eu1'] })
    try {
      const check = (base: string, key: string) =>
        fetch(`${base}/api/v1/validate`, { headers: { 'DD-API-KEY': key } }).then(async r => ({
          status: r.status,
          body: await r.json()
        }))
      expect(await check(fake.url, 'key-us1')).toEqual({ status: 200, body: { valid: true } })
      expect(await check(fake.url, 'key-eu1')).toEqual({ status: 403, body: { errors: ['Forbidden'] } })
      expect(await check(eu.url, 'key-eu1')).toEqual({ status: 200, body: { valid: true } })
      expect(fake.calls.map(c => [c.target, c.headers['dd-api-key']])).toEqual([
        ['Datadog.validate', 'key-us1'],
        ['Datadog.validate', 'key-eu1']
      ])
      fake.fault('Datadog.validate', { kind: 'serverError' })
      expect((await check(fake.url, 'key-us1')).status).toBe(500)
    } finally {
      await eu.close()
    }
  })
})

describe('IAM (query protocol, XML)', () => {
  const EXEC = 'arn:aws:iam::111122223333:role/service-role/exec'
  const TRUST = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]
  }
  let iamFake: FakeAws
  const iam = () => new IAMClient(config({ endpoint: iamFake.url }))
  beforeEach(async () => {
    iamFake = await startFakeAws({
      roles: {
        exec: {
          path: '/service-role/',
          trustPolicy: TRUST,
          policies: {
            'read-key': [
              { Effect: 'Allow', Action: 'ssm:GetParameter*', Resource: 'arn:aws:ssm:*:111122223333:parameter/prod/*' }
            ],
            'no-kms': { Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }] },
            vpc: [
              {
                Effect: 'Allow',
                Action: 'secretsmanager:GetSecretValue',
                Resource: '*',
                Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } }
              }
            ]
          }
        }
      }
    })
  })
  afterEach(async () => {
    await iamFake.close()
  })

  it('GetRole returns the role with its path and the trust policy URL-encoded, as IAM does', async () => {
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: 'exec' }))
    expect(Role).toMatchObject({ Path: '/service-role/', RoleName: 'exec', Arn: EXEC, MaxSessionDuration: 3600 })
    expect(Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/)
    expect(Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(JSON.stringify(TRUST)))
    const call = iamFake.calls[0]!
    expect(call.target).toBe('IAM.GetRole')
    expect(call.body).toEqual({ Action: 'GetRole', Version: '2010-05-08', RoleName: 'exec' })
    expect(call.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    expect(call.headers.authorization).toMatch(/Credential=[^/]+\/\d+\/[^/]+\/iam\/aws4_request/)
  })

  it('GetRole: NoSuchEntity (404) for an unknown role, ValidationError for a path or an ARN instead of a name', async () => {
    const unknown = await failure(iam().send(new GetRoleCommand({ RoleName: 'nope' })))
    expect(unknown.name).toBe('NoSuchEntityException')
    expect(unknown.message).toBe('The role with name nope cannot be found.')
    expect(unknown.$metadata?.httpStatusCode).toBe(404)
    const path = await failure(iam().send(new GetRoleCommand({ RoleName: 'service-role/exec' })))
    expect(path.name).toBe('ValidationError')
    expect(path.message).toContain("Value 'service-role/exec' at 'roleName' failed to satisfy constraint")
    const missing = await failure(iam().send(new GetRoleCommand({} as { RoleName: string })))
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"
    )
  })

  it('SimulatePrincipalPolicy evaluates the seeded policies: wildcards, an explicit Deny, conditions it cannot decide', async () => {
    const decide = async (action: string, resource: string) => {
      const out = await iam().send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: EXEC, ActionNames: [action], ResourceArns: [resource] })
      )
      expect(out.IsTruncated).toBe(false)
      const [result] = out.EvaluationResults ?? []
      expect(result?.EvalActionName).toBe(action)
      expect(result?.ResourceSpecificResults?.[0]?.EvalResourceName).toBe(resource)
      return {
        decision: result?.EvalDecision,
        matched: result?.MatchedStatements?.map(m => m.SourcePolicyId),
        missing: result?.ResourceSpecificResults?.[0]?.MissingContextValues
      }
    }
    expect(await decide('ssm:GetParameters', 'arn:aws:ssm:us-east-1:111122223333:parameter/prod/KEY')).toEqual({
      decision: 'allowed',
      matched: ['read-key'],
      missing: []
    })
    expect((await decide('ssm:GetParameters', 'arn:aws:ssm:us-east-1:111122223333:parameter/dev/KEY')).decision).toBe(
      'implicitDeny'
    )
    expect(await decide('kms:Decrypt', 'arn:aws:kms:us-east-1:111122223333:key/k')).toEqual({
      decision: 'explicitDeny',
      matched: ['no-kms'],
      missing: []
    })
    expect(
      await decide('secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:x')
    ).toEqual({
      decision: 'implicitDeny',
      matched: [],
      missing: ['aws:SourceVpce']
    })
    const sent = iamFake.calls[0]!.body
    expect(sent).toEqual({
      Action: 'SimulatePrincipalPolicy',
      Version: '2010-05-08',
      PolicySourceArn: EXEC,
      'ActionNames.member.1': 'ssm:GetParameters',
      'ResourceArns.member.1': 'arn:aws:ssm:us-east-1:111122223333:parameter/prod/KEY'
    })
  })

  it('SimulatePrincipalPolicy is strict: required members, a role ARN with its path, a known role', async () => {
    const send = (input: object) => failure(iam().send(new SimulatePrincipalPolicyCommand(input as never)))
    expect((await send({ ActionNames: ['kms:Decrypt'] })).message).toContain("Value null at 'policySourceArn'")
    expect((await send({ PolicySourceArn: EXEC, ActionNames: [] })).message).toContain("Value null at 'actionNames'")
    expect((await send({ PolicySourceArn: 'exec', ActionNames: ['kms:Decrypt'] })).name).toBe('InvalidInputException')
    const withoutPath = await send({
      PolicySourceArn: 'arn:aws:iam::111122223333:role/exec',
      ActionNames: ['kms:Decrypt']
    })
    expect(withoutPath.name).toBe('NoSuchEntityException')
  })

  it('faults speak IAM: AccessDenied (403, not retried) naming the role, Throttling retried, ServiceFailure', async () => {
    iamFake.fault('IAM.GetRole', { kind: 'accessDenied' })
    const denied = await failure(iam().send(new GetRoleCommand({ RoleName: 'exec' })))
    expect(denied.name).toBe('AccessDenied')
    expect(denied.$metadata?.httpStatusCode).toBe(403)
    expect(denied.message).toBe(
      'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: iam:GetRole on resource: role exec because no identity-based policy allows the iam:GetRole action'
    )
    iamFake.fault('IAM.GetRole', { kind: 'throttle' })
    expect((await iam().send(new GetRoleCommand({ RoleName: 'exec' }))).Role?.Arn).toBe(EXEC)
    iamFake.fault(
      'IAM.SimulatePrincipalPolicy',
      { kind: 'serverError' },
      { kind: 'serverError' },
      { kind: 'serverError' }
    )
    const server = await failure(
      iam().send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: EXEC, ActionNames: ['kms:Decrypt'] }))
    )
    expect(server.name).toBe('ServiceFailureException')
    expect(server.$metadata?.httpStatusCode).toBe(500)
    expect(iamFake.calls.map(c => c.target)).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'IAM.SimulatePrincipalPolicy',
      'IAM.SimulatePrincipalPolicy'
    ])
  })

  it('DescribeParameters and DescribeSecret report the seeded KMS keys (Secrets Manager omits the AWS-managed one)', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog/key-AbCdEf'
    const other = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog/other-AbCdEf'
    const kms = await startFakeAws({
      parameters: { '/k': 'v', '/plain': 'v' },
      parameterKeyIds: { '/k': 'alias/datadog' },
      secrets: { [arn]: 'v', [other]: 'v' },
      secretKmsKeyIds: { [arn]: 'arn:aws:kms:us-east-1:111122223333:key/abc' }
    })
    try {
      const ssm = new SSMClient(config({ endpoint: kms.url }))
      const { Parameters } = await ssm.send(new DescribeParametersCommand({}))
      expect(Object.fromEntries((Parameters ?? []).map(p => [p.Name, p.KeyId]))).toEqual({
        '/k': 'alias/datadog',
        '/plain': 'alias/aws/ssm'
      })
      const sm = new SecretsManagerClient(config({ endpoint: kms.url }))
      expect((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).KmsKeyId).toBe(
        'arn:aws:kms:us-east-1:111122223333:key/abc'
      )
      expect(await sm.send(new DescribeSecretCommand({ SecretId: other }))).not.toHaveProperty('KmsKeyId')
    } finally {
      await kms.close()
    }
  })
})
