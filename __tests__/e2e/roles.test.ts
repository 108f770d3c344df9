// verify-roles through the bundle (dist/index.js), as a runner runs it, against the loopback fake speaking IAM's
// query protocol: will ECS be able to assume the roles and read the key when the task starts?
import { afterEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import {
  startFakeAws,
  type FakeAws,
  type FakeAwsOptions,
  type FakePolicyStatement,
  type FakeRole
} from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const ACCOUNT = '111122223333'
const KEY = '0123456789abcdef0123456789abcdef'
const PARAMETER = '/prod/DATADOG_API_KEY'
const PARAM_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/DATADOG_API_KEY`
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:datadog/api-key-Q1w2E3`
const EXEC = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`
const TASK = `arn:aws:iam::${ACCOUNT}:role/web-task`
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`
const ECS_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]
}
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]
}
const allow = (Action: string, Resource: string): FakePolicyStatement => ({ Effect: 'Allow', Action, Resource })

/** The account of fargate-web.json: both roles trust ECS; the execution role may read the parameter. */
function account(
  overrides: { execution?: Partial<FakeRole>; task?: Partial<FakeRole> } = {},
  extra: FakeAwsOptions = {}
): FakeAwsOptions {
  return {
    parameters: { [PARAMETER]: KEY },
    secrets: { [SECRET_ARN]: KEY },
    roles: {
      ecsTaskExecutionRole: {
        trustPolicy: ECS_TRUST,
        policies: { 'read-datadog-key': [allow('ssm:GetParameters', PARAM_ARN)] },
        ...overrides.execution
      },
      'web-task': { trustPolicy: ECS_TRUST, ...overrides.task }
    },
    ...extra
  }
}

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  ...extra
})
const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errorLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::error'))
const warningLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::warning'))
const targets = (fake: FakeAws): string[] => fake.calls.map(c => c.target)
const iamCalls = (fake: FakeAws, target: string) => fake.calls.filter(c => c.target === target).map(c => c.body)
const failure = (result: RunActionResult): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`
/** Exit code, with the output when it is not the expected one. */
const exit = (result: RunActionResult, expected: number) => ({
  code: result.code,
  out: result.code === expected ? '' : failure(result)
})
/** The check never reads the key: no call that returns a value. */
const readsNoSecret = (fake: FakeAws) =>
  expect(targets(fake).filter(t => t === 'SSM.GetParameter' || t === 'SecretsManager.GetSecretValue')).toEqual([])

let fake: FakeAws
const start = async (options: FakeAwsOptions): Promise<FakeAws> => (fake = await startFakeAws(options))
afterEach(async () => {
  await fake?.close()
})

describe('verify-roles while registering', () => {
  it('allowed: reads both trust policies, simulates the read as the execution role, then registers', async () => {
    await start(account())
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect([...targets(fake)].sort()).toEqual([
      'ECS.RegisterTaskDefinition',
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'SSM.DescribeParameters'
    ])
    // The checks come first; the registration last.
    expect(targets(fake).at(-1)).toBe('ECS.RegisterTaskDefinition')
    expect(
      iamCalls(fake, 'IAM.GetRole')
        .map(b => b.RoleName)
        .sort()
    ).toEqual(['ecsTaskExecutionRole', 'web-task'])
    expect(iamCalls(fake, 'IAM.SimulatePrincipalPolicy')).toEqual([
      {
        Action: 'SimulatePrincipalPolicy',
        Version: '2010-05-08',
        PolicySourceArn: EXEC,
        'ActionNames.member.1': 'ssm:GetParameters',
        'ResourceArns.member.1': PARAM_ARN
      }
    ])
    readsNoSecret(fake)
    expect(warningLines(result)).toEqual([])
    expect(result.stdout).toContain(`Role check: the task execution role ${EXEC} trusts ecs-tasks.amazonaws.com.`)
    expect(result.stdout).toContain(`Role check: the task role ${TASK} trusts ecs-tasks.amazonaws.com.`)
    expect(result.stdout).toContain(
      `Role check: the task execution role ${EXEC} may call ssm:GetParameters on ${PARAM_ARN}.`
    )
    expect(result.stdout).toContain('Role check: the key is encrypted with the AWS-managed KMS key alias/aws/ssm')
    expect(fake.registered).toHaveLength(1)
    expect(result.summary).toContain('| AWS checks | verify-secret, verify-roles: passed |')
  })

  it('execution role denied on the parameter: an error naming the role, the action, the resource and the statement; nothing registered', async () => {
    await start(account({ execution: { policies: {} } }))
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 1)).toEqual({ code: 1, out: '' })
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    const statement = `{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"${PARAM_ARN}"}`
    expect(errors[0]).toBe(
      `::error title=Datadog FireLens::The task execution role ${EXEC} may not call ssm:GetParameters on ${PARAM_ARN} (simulated: implicitDeny; no policy of the role allows it), so ECS could not read the Datadog API key: tasks would fail with "ResourceInitializationError: unable to pull secrets … AccessDeniedException".%0AAdd this statement to the task execution role's policy: ${statement}`
    )
    expect(targets(fake)).not.toContain('ECS.RegisterTaskDefinition')
    expect(fake.registered).toEqual([])
    expect(result.outputs['task-definition-arn']).toBeUndefined()
    readsNoSecret(fake)

    // The statement the error names is the fix: with it, the same run passes.
    await fake.close()
    const fixed = JSON.parse(errors[0]!.slice(errors[0]!.indexOf('{"Effect"'))) as FakePolicyStatement
    await start(account({ execution: { policies: { 'from-the-error': [fixed] } } }))
    const again = await runAction(inputs(), { fake })
    expect(exit(again, 0)).toEqual({ code: 0, out: '' })
    expect(fake.registered).toHaveLength(1)
  })

  it('an explicit Deny on the parameter says to remove it', async () => {
    await start(
      account({
        execution: {
          policies: {
            'read-datadog-key': [allow('ssm:GetParameters', PARAM_ARN)],
            guardrail: [{ Effect: 'Deny', Action: 'ssm:*', Resource: `arn:aws:ssm:*:${ACCOUNT}:parameter/prod/*` }]
          }
        }
      })
    )
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringContaining('(simulated: explicitDeny; a Deny statement in its policies denies it)')
    ])
    expect(errorLines(result)[0]).toContain('and remove or narrow the Deny that matches it')
    expect(fake.registered).toEqual([])
  })

  it('denied on a customer-managed KMS key: a warning naming the key and the role; registration goes on', async () => {
    await start(account({}, { parameterKeyIds: { [PARAMETER]: KMS_KEY } }))
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(
      iamCalls(fake, 'IAM.SimulatePrincipalPolicy').map(b => [b['ActionNames.member.1'], b['ResourceArns.member.1']])
    ).toEqual(
      expect.arrayContaining([
        ['ssm:GetParameters', PARAM_ARN],
        ['kms:Decrypt', KMS_KEY]
      ])
    )
    expect(warningLines(result)).toEqual([
      `::warning title=Role may not decrypt the API key::The task execution role ${EXEC} may not call kms:Decrypt on the customer-managed KMS key ${KMS_KEY} that encrypts ${PARAM_ARN} (simulated: implicitDeny; no policy of the role allows it), unless the key policy grants it. If it does not, tasks will fail with "unable to pull secrets". Add this statement to the role's policy: {"Effect":"Allow","Action":"kms:Decrypt","Resource":"${KMS_KEY}"}, or allow the role in the key policy.`
    ])
    expect(fake.registered).toHaveLength(1)
    expect(result.summary).toContain('| AWS checks | verify-secret, verify-roles: passed with 1 warning |')
    readsNoSecret(fake)
  })

  it('allowed on the customer-managed key: no warning', async () => {
    await start(
      account(
        {
          execution: {
            policies: { read: [allow('ssm:GetParameters', PARAM_ARN), allow('kms:Decrypt', KMS_KEY)] }
          }
        },
        { parameterKeyIds: { [PARAMETER]: KMS_KEY } }
      )
    )
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(warningLines(result)).toEqual([])
    expect(result.stdout).toContain(`may call kms:Decrypt on ${KMS_KEY}.`)
  })

  it('a Secrets Manager key: a denied read and a denied customer-managed key only warn (resource and key policies)', async () => {
    await start(account({}, { secretKmsKeyIds: { [SECRET_ARN]: 'alias/datadog' } }))
    const result = await runAction(inputs({ 'api-key-secret': SECRET_ARN }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    const warnings = warningLines(result)
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toMatch(/^::warning title=Role may not read the API key::/)
    expect(warnings[0]).toContain(`may not call secretsmanager:GetSecretValue on ${SECRET_ARN}`)
    expect(warnings[0]).toContain("unless the secret's resource policy grants it")
    expect(warnings[1]).toContain(
      `kms:Decrypt on the customer-managed KMS key arn:aws:kms:us-east-1:${ACCOUNT}:alias/datadog`
    )
    expect(warnings[1]).toContain('Only the alias alias/datadog is known')
    expect(targets(fake)).toEqual(expect.arrayContaining(['SecretsManager.DescribeSecret']))
    expect(targets(fake).filter(t => t === 'SecretsManager.DescribeSecret')).toHaveLength(1)
    readsNoSecret(fake)
    expect(fake.registered).toHaveLength(1)
  })

  it('a role not trusted by ecs-tasks: an error naming the role and the statement to add; nothing registered', async () => {
    await start(account({ task: { trustPolicy: EC2_TRUST } }))
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 1)).toEqual({ code: 1, out: '' })
    expect(errorLines(result)).toEqual([
      `::error title=Datadog FireLens::The task role ${TASK} does not trust ecs-tasks.amazonaws.com, so ECS cannot assume it: the task would fail with "ECS was unable to assume the role".%0AAdd this statement to the role's trust policy: {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}`
    ])
    expect(targets(fake)).not.toContain('ECS.RegisterTaskDefinition')
  })

  it('a role ARN with a path: GetRole gets its name, the simulation its full ARN', async () => {
    const withPath = `arn:aws:iam::${ACCOUNT}:role/service-role/ecsTaskExecutionRole`
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    td.executionRoleArn = withPath
    delete td.taskRoleArn
    writeFileSync(file, JSON.stringify(td))
    await start(account({ execution: { path: '/service-role/' } }))
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(iamCalls(fake, 'IAM.GetRole').map(b => b.RoleName)).toEqual(['ecsTaskExecutionRole'])
    expect(iamCalls(fake, 'IAM.SimulatePrincipalPolicy')[0].PolicySourceArn).toBe(withPath)
  })

  it('an execution role of another account: a warning that it cannot be verified from here, never a pass for the role of the same name in this account', async () => {
    const foreign = 'arn:aws:iam::999999999999:role/ecsTaskExecutionRole'
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    td.executionRoleArn = foreign
    writeFileSync(file, JSON.stringify(td))
    // This account has an ecsTaskExecutionRole too, trusted and allowed: it is not the role the ARN names.
    await start(account())
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(warningLines(result)).toEqual([
      `::warning title=Role not verified::The task execution role ${foreign} is in account 999999999999, not in this workflow's account ${ACCOUNT}: its trust policy and permissions cannot be read from here, so they were not checked (a role of the same name in ${ACCOUNT} is another role). IAM passes a role only to a service of the same account (iam:PassRole; IAM User Guide, "Grant a user permissions to pass a role to an AWS service"), so ECS needs the task's roles in the account the task definition is registered in: registered in ${ACCOUNT}, the task could not use it. Use a role of ${ACCOUNT} in "executionRoleArn", or run this step with credentials of 999999999999 to check it there.`
    ])
    expect(result.stdout).not.toContain(`${foreign} trusts`)
    expect(result.stdout).not.toContain(
      'task execution role arn:aws:iam::999999999999:role/ecsTaskExecutionRole may call'
    )
    expect(result.stdout).not.toContain(`${EXEC} trusts`)
    // Nothing was simulated for a role that cannot be looked at; the task role (this account's) still was checked.
    expect(targets(fake)).not.toContain('IAM.SimulatePrincipalPolicy')
    expect(result.stdout).toContain(`Role check: the task role ${TASK} trusts ecs-tasks.amazonaws.com.`)
    expect(result.summary).toContain('verify-roles: passed with 1 warning')
  })

  it('a role of another account with no role of that name here: STS tells the account; a warning, not "does not exist"', async () => {
    const foreign = 'arn:aws:iam::999999999999:role/shared-exec'
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    td.executionRoleArn = foreign
    delete td.taskRoleArn
    writeFileSync(file, JSON.stringify(td))
    await start(account())
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(targets(fake).filter(t => t === 'STS.GetCallerIdentity')).toHaveLength(1)
    expect(iamCalls(fake, 'STS.GetCallerIdentity')).toEqual([{ Action: 'GetCallerIdentity', Version: '2011-06-15' }])
    expect(errorLines(result)).toEqual([])
    expect(warningLines(result)).toEqual([
      expect.stringContaining(
        `The task execution role ${foreign} is in account 999999999999, not in this workflow's account ${ACCOUNT}`
      )
    ])
    expect(result.stdout).not.toContain('does not exist')
  })

  it('an ARN naming a path the role does not have: a warning, and the checks name the role IAM has', async () => {
    const written = `arn:aws:iam::${ACCOUNT}:role/old/ecsTaskExecutionRole`
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    td.executionRoleArn = written
    delete td.taskRoleArn
    writeFileSync(file, JSON.stringify(td))
    await start(account())
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(warningLines(result)).toEqual([
      expect.stringContaining(
        `::warning title=Role ARN does not match::The task execution role ${written} names a path the role does not have: IAM's ARN for it is ${EXEC}.`
      )
    ])
    expect(result.stdout).toContain(`Role check: the task execution role ${EXEC} trusts ecs-tasks.amazonaws.com.`)
    expect(iamCalls(fake, 'IAM.SimulatePrincipalPolicy')[0].PolicySourceArn).toBe(EXEC)
  })

  it('a role that does not exist: an error; nothing registered', async () => {
    await start({ ...account(), roles: { ecsTaskExecutionRole: account().roles!.ecsTaskExecutionRole! } })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      `::error title=Datadog FireLens::The task role ${TASK} does not exist, so ECS could not assume it and the task would not start.%0ACreate the role (trusting ecs-tasks.amazonaws.com) or fix "taskRoleArn" in the task definition.`
    ])
    expect(fake.registered).toEqual([])
  })

  it('both a denied read and an untrusted role are reported, in one error', async () => {
    await start(account({ execution: { policies: {} }, task: { trustPolicy: EC2_TRUST } }))
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    const [error] = errorLines(result)
    expect(errorLines(result)).toHaveLength(1)
    expect(error).toContain(`The task role ${TASK} does not trust ecs-tasks.amazonaws.com`)
    expect(error).toContain(`may not call ssm:GetParameters on ${PARAM_ARN}`)
  })
})

describe('the CI role may not run the checks: one warning per missing permission, then the step goes on', () => {
  it('without iam:SimulatePrincipalPolicy: one warning (for the read and the KMS simulation), registration goes on', async () => {
    await start(account({}, { parameterKeyIds: { [PARAMETER]: KMS_KEY } }))
    fake.fault('IAM.SimulatePrincipalPolicy', { kind: 'accessDenied' }, { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(targets(fake).filter(t => t === 'IAM.SimulatePrincipalPolicy')).toHaveLength(2)
    expect(warningLines(result)).toEqual([
      "::warning title=Roles not verified::Could not simulate what the task execution role may do: this workflow's role may not call iam:SimulatePrincipalPolicy. Going on without it; grant iam:SimulatePrincipalPolicy to enable the check, or set verify-roles: false."
    ])
    expect(errorLines(result)).toEqual([])
    expect(fake.registered).toHaveLength(1)
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/web:1$/)
  })

  it('without iam:GetRole: one warning for both roles; the simulation still runs', async () => {
    await start(account())
    fake.fault('IAM.GetRole', { kind: 'accessDenied' }, { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(warningLines(result)).toEqual([
      expect.stringMatching(
        /^::warning title=Roles not verified::Could not read the trust policies of the task's roles: this workflow's role may not call iam:GetRole\./
      )
    ])
    expect(targets(fake)).toContain('IAM.SimulatePrincipalPolicy')
    expect(fake.registered).toHaveLength(1)
  })

  it('with verify-roles: false, no IAM call at all', async () => {
    await start(account({ execution: { policies: {} } }))
    const result = await runAction(inputs({ 'verify-roles': 'false' }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(targets(fake)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
  })

  it('with verify-secret: false, verify-roles makes the metadata look-up itself (for the KMS key), once', async () => {
    await start(account({}, { parameterKeyIds: { [PARAMETER]: KMS_KEY } }))
    const result = await runAction(inputs({ 'verify-secret': 'false' }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(targets(fake).filter(t => t === 'SSM.DescribeParameters')).toHaveLength(1)
    expect(
      iamCalls(fake, 'IAM.SimulatePrincipalPolicy')
        .map(b => b['ActionNames.member.1'])
        .sort()
    ).toEqual(['kms:Decrypt', 'ssm:GetParameters'])
  })
})

describe('both pairings with amazon-ecs-deploy-task-definition', () => {
  it('register: false with a region runs the checks (and registers nothing)', async () => {
    await start(account())
    const result = await runAction(inputs({ register: 'false' }), { fake })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect([...targets(fake)].sort()).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'SSM.DescribeParameters'
    ])
    expect(result.outputs['task-definition-arn']).toBe('')
    expect(result.summary).toContain('| AWS checks | verify-secret, verify-roles: passed |')
    // With a region the file is what the deploy step registers: not a dry run.
    expect(result.summary).toContain('not registered here: the deploy step registers this file')
  })

  it('register: false with a region stops the workflow when the task would not start', async () => {
    await start(account({ execution: { policies: {} } }))
    const result = await runAction(inputs({ register: 'false' }), { fake })
    expect(exit(result, 1)).toEqual({ code: 1, out: '' })
    expect(errorLines(result)).toEqual([expect.stringContaining(`may not call ssm:GetParameters on ${PARAM_ARN}`)])
  })

  it('no region: one notice, no AWS call, and no AWS SDK chunk loaded (the offline demo)', async () => {
    await start(account())
    const dist = mkdtempSync(join(tmpdir(), 'dist-'))
    cpSync('dist', dist, { recursive: true })
    for (const file of readdirSync(dist)) if (/^\d+\.index\.js$/.test(file)) rmSync(join(dist, file))
    const result = await runAction(inputs({ register: 'false' }), {
      fake,
      env: NO_REGION,
      entry: join(dist, 'index.js')
    })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(fake.calls).toEqual([])
    expect(lines(result).filter(l => l.startsWith('::notice title=AWS checks skipped'))).toEqual([
      '::notice title=AWS checks skipped::No AWS region is set (AWS_REGION or AWS_DEFAULT_REGION), so verify-secret and verify-roles did not run and no AWS API was called. Run aws-actions/configure-aws-credentials (with aws-region) before this step to run them.'
    ])
    expect(warningLines(result)).toEqual([])
    expect(result.summary).toContain('| AWS checks | skipped: no AWS region |')
  })

  it('AWS_DEFAULT_REGION alone is a region', async () => {
    await start(account())
    const result = await runAction(inputs({ register: 'false' }), {
      fake,
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-east-1' }
    })
    expect(exit(result, 0)).toEqual({ code: 0, out: '' })
    expect(targets(fake)).toContain('IAM.SimulatePrincipalPolicy')
  })

  it('a region but no credentials: a warning when not registering (exit 0), an error when registering', async () => {
    await start(account())
    const noCredentials = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }
    const dry = await runAction(inputs({ register: 'false' }), { fake, env: noCredentials })
    expect(exit(dry, 0)).toEqual({ code: 0, out: '' })
    expect(warningLines(dry)).toEqual([
      '::warning title=AWS checks skipped::No AWS credentials were found, so verify-secret and verify-roles did not run. Going on, since this step does not register. Add aws-actions/configure-aws-credentials before this step to run them, or set them to false.'
    ])
    expect(errorLines(dry)).toEqual([])
    expect(dry.summary).toContain('| AWS checks | skipped: no AWS credentials |')

    const registering = await runAction(inputs(), { fake, env: noCredentials })
    expect(exit(registering, 1)).toEqual({ code: 1, out: '' })
    expect(errorLines(registering)).toEqual([
      expect.stringMatching(/^::error title=Datadog FireLens::No AWS credentials were found for /)
    ])
    // The main action's own way on without credentials (the verify action has no `register`).
    expect(errorLines(registering)[0]).toContain('Or set register: false to only write the patched file.')
    expect(fake.calls).toEqual([])
  })
})
