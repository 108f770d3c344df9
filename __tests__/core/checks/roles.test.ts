import { describe, expect, it, jest } from '@jest/globals'
import fc from 'fast-check'
import {
  checkRoles,
  evaluateTrust,
  keyResource,
  kmsFinding,
  kmsTarget,
  parseRoleArn,
  readFinding,
  roleName,
  trustFinding,
  type Finding,
  type KeyMetadata,
  type RoleCheckRequest,
  type RoleFacts,
  type RoleLookups,
  type Simulation
} from '../../../src/core/checks/roles.js'
import { AwsCallError } from '../../../src/core/errors.js'
import { parseSecretRef, type SecretRef } from '../../../src/core/secret-ref.js'

const ACCOUNT = '111122223333'
const EXEC = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`
const TASK = `arn:aws:iam::${ACCOUNT}:role/web-task`
const PARAM_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/DATADOG_API_KEY`
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:datadog/api-key-AbCdEf`
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]
})

function ref(value: string): SecretRef {
  const parsed = parseSecretRef(value)
  if ('problem' in parsed) throw new Error(`test setup: ${value} is ${parsed.problem}`)
  return parsed
}
const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements })
const allowed: Simulation = { decision: 'allowed', missingContext: [] }
const implicit: Simulation = { decision: 'implicitDeny', missingContext: [] }
const denied = (action: string) =>
  new AwsCallError(`AWS denied ${action} to arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`, 'Grant it.', action)

describe('role ARNs', () => {
  it.each([
    [EXEC, { partition: 'aws', account: ACCOUNT, name: 'ecsTaskExecutionRole' }],
    [`arn:aws:iam::${ACCOUNT}:role/service-role/x`, { partition: 'aws', account: ACCOUNT, name: 'x' }],
    [`arn:aws:iam::${ACCOUNT}:role/a/b/c/web.task@1`, { partition: 'aws', account: ACCOUNT, name: 'web.task@1' }],
    [`arn:aws-us-gov:iam::${ACCOUNT}:role/exec`, { partition: 'aws-us-gov', account: ACCOUNT, name: 'exec' }],
    [`arn:aws-cn:iam::${ACCOUNT}:role/exec`, { partition: 'aws-cn', account: ACCOUNT, name: 'exec' }]
  ])('parses %s; GetRole takes the last segment, without the path', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual({ arn, ...expected })
    expect(roleName(arn)).toBe(expected.name)
  })

  it('takes a bare role name as it is, and nothing else', () => {
    expect(parseRoleArn('ecsTaskExecutionRole')).toBeUndefined()
    expect(roleName('ecsTaskExecutionRole')).toBe('ecsTaskExecutionRole')
    expect(roleName(`arn:aws:iam::${ACCOUNT}:user/bob`)).toBeUndefined()
    expect(roleName('arn:aws:iam::12:role/x')).toBeUndefined()
    expect(roleName('role with spaces')).toBeUndefined()
  })
})

describe('evaluateTrust: may ecs-tasks.amazonaws.com assume the role?', () => {
  it.each([
    ['the standard statement', TRUST],
    [
      'Action as a list',
      policy({
        Effect: 'Allow',
        Principal: { Service: ['ecs-tasks.amazonaws.com'] },
        Action: ['sts:AssumeRole', 'sts:TagSession']
      })
    ],
    ['sts:*', policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:*' })],
    ['Action *', policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: '*' })],
    [
      'action in another case',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'STS:assumerole' })
    ],
    [
      'a wildcard action',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:Assume*' })
    ],
    [
      'several services',
      policy({
        Effect: 'Allow',
        Principal: { Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] },
        Action: 'sts:AssumeRole'
      })
    ],
    ['Principal "*"', policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' })],
    ['Principal AWS "*"', policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })],
    [
      'NotAction that spares AssumeRole',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, NotAction: 'sts:TagSession' })
    ],
    [
      'a single Statement object',
      JSON.stringify({
        Statement: { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }
      })
    ],
    [
      'among other statements',
      policy(
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        JSON.parse(TRUST).Statement[0]
      )
    ]
  ])('trusted: %s', (_what, document) => {
    expect(evaluateTrust(document)).toMatchObject({ trusted: true, denied: false })
  })

  it.each([
    [
      'another service',
      policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })
    ],
    [
      'ecs.amazonaws.com (not ecs-tasks)',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' })
    ],
    [
      'another action',
      policy({
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity'
      })
    ],
    [
      'an account principal',
      policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' })
    ],
    [
      'NotAction that excludes AssumeRole',
      policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, NotAction: 'sts:Assume*' })
    ],
    ['no statement', JSON.stringify({ Version: '2012-10-17' })]
  ])('not trusted: %s', (_what, document) => {
    expect(evaluateTrust(document)).toMatchObject({ trusted: false })
  })

  it('an unconditional Deny for ecs-tasks wins over the Allow', () => {
    const document = policy(JSON.parse(TRUST).Statement[0], {
      Effect: 'Deny',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole'
    })
    expect(evaluateTrust(document)).toEqual({ trusted: false, conditions: [], denied: true })
  })

  it('notes conditions without failing on them', () => {
    const document = policy({
      Effect: 'Allow',
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': 'arn:aws:ecs:*' } }
    })
    expect(evaluateTrust(document)).toEqual({
      trusted: true,
      conditions: ['aws:SourceAccount', 'aws:SourceArn'],
      denied: false
    })
    expect(trustFinding('task role', TASK, evaluateTrust(document))).toEqual({
      level: 'info',
      message: `Role check: the task role ${TASK} trusts ecs-tasks.amazonaws.com (with conditions on aws:SourceAccount, aws:SourceArn, not evaluated here: they must hold for ECS).`
    })
  })

  it('says when a document is not JSON', () => {
    expect(evaluateTrust('%7Bnot json')).toMatchObject({ trusted: false, unreadable: true })
    expect(trustFinding('task role', TASK, evaluateTrust('null')).level).toBe('warning')
  })

  it('property: any spelling of the trust statement is trusted; the same statement for another service is not', () => {
    const action = fc.constantFrom('sts:AssumeRole', 'sts:assumerole', 'STS:ASSUMEROLE', 'sts:*', '*', 'sts:Assume*')
    const asList = <T>(a: fc.Arbitrary<T>) =>
      fc.oneof(
        a,
        a.map(v => [v])
      )
    fc.assert(
      fc.property(
        asList(action),
        fc.boolean(),
        fc.array(fc.constantFrom('ec2.amazonaws.com', 'lambda.amazonaws.com'), { maxLength: 2 }),
        fc.boolean(),
        (actions, single, others, trusted) => {
          const services = trusted ? [...others, 'ecs-tasks.amazonaws.com'] : others
          const statement = {
            Effect: 'Allow',
            Principal: { Service: single && services.length === 1 ? services[0] : services },
            Action: actions
          }
          expect(evaluateTrust(policy(statement)).trusted).toBe(trusted)
        }
      )
    )
  })

  it('an untrusted role is an error naming the role and the statement to add', () => {
    const finding = trustFinding('task execution role', EXEC, evaluateTrust(policy()))
    expect(finding).toEqual({
      level: 'error',
      message: `The task execution role ${EXEC} does not trust ecs-tasks.amazonaws.com, so ECS cannot assume it: the task would fail with "ECS was unable to assume the role".`,
      hint: `Add this statement to the role's trust policy: {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}`
    })
  })
})

describe('keyResource: the ARN ECS reads the key from', () => {
  const role = { partition: 'aws', account: ACCOUNT }
  it.each([
    ['/prod/DATADOG_API_KEY', PARAM_ARN],
    ['DATADOG_API_KEY', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/DATADOG_API_KEY`],
    ['prod/key', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/key`]
  ])('builds the ARN of the bare name %s in the task region and the role account', (name, arn) => {
    expect(keyResource(ref(name), 'us-east-1', role)).toBe(arn)
  })

  it("uses the role's partition", () => {
    expect(keyResource(ref('/k'), 'cn-north-1', { partition: 'aws-cn', account: ACCOUNT })).toBe(
      `arn:aws-cn:ssm:cn-north-1:${ACCOUNT}:parameter/k`
    )
  })

  it('keeps an ARN as given, and prefers the ARN the metadata look-up returned for a bare name', () => {
    const other = 'arn:aws:ssm:eu-west-3:444455556666:parameter/shared/key'
    expect(keyResource(ref(other), 'us-east-1', role)).toBe(other)
    expect(keyResource(ref('/prod/DATADOG_API_KEY'), 'us-east-1', role, { arn: 'arn:aws:ssm:x' })).toBe('arn:aws:ssm:x')
  })

  it("takes a secret's full ARN from its metadata, else the reference without its json key", () => {
    const partial = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:datadog/api-key`
    expect(keyResource(ref(partial), 'us-east-1', role, { arn: SECRET_ARN })).toBe(SECRET_ARN)
    expect(keyResource(ref(`${SECRET_ARN}:api_key::`), 'us-east-1', role)).toBe(SECRET_ARN)
  })
})

describe('kmsTarget: the key to simulate kms:Decrypt on', () => {
  const ssm = ref('/prod/DATADOG_API_KEY')
  const sm = ref(SECRET_ARN)
  const meta = (kmsKeyId?: string, type = 'SecureString'): KeyMetadata => ({ kmsKeyId, type })
  it.each([
    ['alias/aws/ssm', ssm, meta('alias/aws/ssm')],
    ['its alias ARN', ssm, meta(`arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/ssm`)],
    ['a secret without KmsKeyId (aws/secretsmanager)', sm, {}],
    ['alias/aws/secretsmanager', sm, meta('alias/aws/secretsmanager')]
  ])('skips the AWS-managed key: %s', (_what, r, m) => {
    expect(kmsTarget(r, r.kind === 'ssm' ? PARAM_ARN : SECRET_ARN, m).kind).toBe('aws-managed')
  })

  it('has nothing to decrypt for a String parameter', () => {
    expect(kmsTarget(ssm, PARAM_ARN, meta(undefined, 'String'))).toEqual({ kind: 'none' })
  })

  it("puts a bare key id in the store's account and region", () => {
    const id = '1234abcd-12ab-34cd-56ef-1234567890ab'
    expect(kmsTarget(ssm, PARAM_ARN, meta(id))).toEqual({
      kind: 'key',
      keyId: id,
      arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`
    })
    expect(kmsTarget(sm, SECRET_ARN, { kmsKeyId: 'mrk-1234' })).toMatchObject({
      arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234`
    })
  })

  it('keeps a key ARN (another account too), and marks an alias as only an alias', () => {
    const keyArn = 'arn:aws:kms:us-east-1:444455556666:key/abc'
    expect(kmsTarget(ssm, PARAM_ARN, meta(keyArn))).toEqual({ kind: 'key', keyId: keyArn, arn: keyArn })
    expect(kmsTarget(ssm, PARAM_ARN, meta('alias/datadog'))).toEqual({
      kind: 'alias',
      keyId: 'alias/datadog',
      arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/datadog`
    })
  })
})

describe('readFinding: the execution role reading the key', () => {
  it('an allowed read is an info line', () => {
    expect(readFinding(ref('/prod/DATADOG_API_KEY'), EXEC, PARAM_ARN, allowed)).toEqual({
      level: 'info',
      message: `Role check: the task execution role ${EXEC} may call ssm:GetParameters on ${PARAM_ARN}.`
    })
  })

  it('a denied parameter is an error naming the role, the action, the resource and the statement to add', () => {
    const finding = readFinding(ref('/prod/DATADOG_API_KEY'), EXEC, PARAM_ARN, implicit)
    expect(finding.level).toBe('error')
    expect(finding.message).toBe(
      `The task execution role ${EXEC} may not call ssm:GetParameters on ${PARAM_ARN} (simulated: implicitDeny; no policy of the role allows it), so ECS could not read the Datadog API key: tasks would fail with "ResourceInitializationError: unable to pull secrets … AccessDeniedException".`
    )
    expect(finding.hint).toBe(
      `Add this statement to the task execution role's policy: {"Effect":"Allow","Action":"ssm:GetParameters","Resource":"${PARAM_ARN}"}`
    )
  })

  it.each([
    [{ decision: 'explicitDeny', missingContext: [] }, 'a Deny statement', 'remove or narrow the Deny'],
    [
      { decision: 'implicitDeny', missingContext: [], allowedByOrganizations: false },
      'service control policy',
      'service control policy allow it'
    ],
    [
      { decision: 'implicitDeny', missingContext: [], allowedByPermissionsBoundary: false },
      'permissions boundary',
      'widen'
    ]
  ] as [Simulation, string, string][])('says why and what else to change: %o', (simulation, why, fix) => {
    const finding = readFinding(ref('/prod/DATADOG_API_KEY'), EXEC, PARAM_ARN, simulation)
    expect(finding.level).toBe('error')
    expect(finding.message).toContain(why)
    expect(finding.hint).toContain(fix)
  })

  it('a denied secret only warns: its resource policy may grant it, which the simulator cannot evaluate for a role', () => {
    const finding = readFinding(ref(SECRET_ARN), EXEC, SECRET_ARN, implicit)
    expect(finding.level).toBe('warning')
    expect(finding.message).toContain(`may not call secretsmanager:GetSecretValue on ${SECRET_ARN}`)
    expect(finding.message).toContain("unless the secret's resource policy grants it")
    expect(finding.message).toContain(
      `{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"${SECRET_ARN}"}`
    )
    // An explicit Deny in the role's own policies cannot be overridden by a resource policy.
    expect(readFinding(ref(SECRET_ARN), EXEC, SECRET_ARN, { decision: 'explicitDeny', missingContext: [] }).level).toBe(
      'error'
    )
  })

  it('conditions the simulation could not evaluate only warn, naming the keys', () => {
    const finding = readFinding(ref('/prod/DATADOG_API_KEY'), EXEC, PARAM_ARN, {
      decision: 'implicitDeny',
      missingContext: ['aws:SourceVpce']
    })
    expect(finding.level).toBe('warning')
    expect(finding.message).toContain('unless conditions on aws:SourceVpce hold')
  })
})

describe('kmsFinding: kms:Decrypt on a customer-managed key', () => {
  const key = { kind: 'key' as const, keyId: 'k', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k` }
  it('a denial is a warning naming the key, the role and the statement (a key policy may still grant it)', () => {
    const finding = kmsFinding(EXEC, key, implicit, PARAM_ARN)
    expect(finding.level).toBe('warning')
    expect(finding.message).toContain(
      `The task execution role ${EXEC} may not call kms:Decrypt on the customer-managed KMS key ${key.arn}`
    )
    expect(finding.message).toContain('unless the key policy grants it')
    expect(finding.message).toContain(`{"Effect":"Allow","Action":"kms:Decrypt","Resource":"${key.arn}"}`)
  })

  it('for an alias, says it could only check the alias and names the key in the statement', () => {
    const alias = { kind: 'alias' as const, keyId: 'alias/dd', arn: `arn:aws:kms:us-east-1:${ACCOUNT}:alias/dd` }
    const finding = kmsFinding(EXEC, alias, implicit, PARAM_ARN)
    expect(finding.message).toContain(`"Resource":"arn:aws:kms:us-east-1:${ACCOUNT}:key/<key id of alias/dd>"`)
    expect(finding.message).toContain('Only the alias alias/dd is known')
    expect(finding.message).toContain('aws kms describe-key --key-id alias/dd')
  })

  it('an allowed decrypt is an info line', () => {
    expect(kmsFinding(EXEC, key, allowed, PARAM_ARN).level).toBe('info')
  })
})

describe('checkRoles: the facts through the lookups, the findings out', () => {
  const roles: Record<string, RoleFacts> = {
    ecsTaskExecutionRole: { arn: EXEC, trustPolicy: TRUST },
    'web-task': { arn: TASK, trustPolicy: TRUST }
  }
  function lookups(overrides: Partial<RoleLookups> = {}) {
    return {
      getRole: jest.fn<RoleLookups['getRole']>(overrides.getRole ?? (async name => roles[name])),
      simulate: jest.fn<RoleLookups['simulate']>(overrides.simulate ?? (async () => allowed)),
      callerAccount: jest.fn<RoleLookups['callerAccount']>(overrides.callerAccount ?? (async () => ACCOUNT)),
      keyMetadata: jest.fn<RoleLookups['keyMetadata']>(
        overrides.keyMetadata ?? (async () => ({ arn: PARAM_ARN, kmsKeyId: 'alias/aws/ssm', type: 'SecureString' }))
      )
    }
  }
  const request = (extra: Partial<RoleCheckRequest> = {}): RoleCheckRequest => ({
    executionRoleArn: EXEC,
    taskRoleArn: TASK,
    ref: ref('/prod/DATADOG_API_KEY'),
    region: 'us-east-1',
    secretCheckRuns: true,
    ...extra
  })
  const levels = (findings: Finding[]) => findings.map(f => f.level)

  it('reads both trust policies, simulates the read on the AWS-managed key, and finds nothing wrong', async () => {
    const l = lookups()
    const findings = await checkRoles(request(), l)
    expect(levels(findings)).toEqual(['info', 'info', 'info', 'info'])
    expect(l.getRole.mock.calls).toEqual([['ecsTaskExecutionRole'], ['web-task']])
    expect(l.simulate.mock.calls).toEqual([[EXEC, 'ssm:GetParameters', PARAM_ARN]])
    expect(findings.at(-1)?.message).toContain('AWS-managed KMS key alias/aws/ssm')
  })

  it('checks the task role only when there is one, and one role once', async () => {
    const l = lookups()
    await checkRoles(request({ taskRoleArn: undefined }), l)
    await checkRoles(request({ taskRoleArn: EXEC }), l)
    expect(l.getRole.mock.calls).toEqual([['ecsTaskExecutionRole'], ['ecsTaskExecutionRole']])
  })

  it('simulates kms:Decrypt on a customer-managed key beside the read', async () => {
    const l = lookups({ keyMetadata: async () => ({ arn: PARAM_ARN, kmsKeyId: 'abc', type: 'SecureString' }) })
    await checkRoles(request(), l)
    expect(l.simulate.mock.calls).toEqual([
      [EXEC, 'ssm:GetParameters', PARAM_ARN],
      [EXEC, 'kms:Decrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/abc`]
    ])
  })

  it('gives GetRole the name of a role with a path, and simulates its full ARN', async () => {
    const withPath = `arn:aws:iam::${ACCOUNT}:role/service-role/exec`
    const l = lookups({ getRole: async () => ({ arn: withPath, trustPolicy: TRUST }) })
    await checkRoles(request({ executionRoleArn: withPath, taskRoleArn: undefined }), l)
    expect(l.getRole.mock.calls).toEqual([['exec']])
    expect(l.simulate.mock.calls[0]?.[0]).toBe(withPath)
  })

  it('simulates a role given by name with the ARN GetRole returned (its account makes the parameter ARN)', async () => {
    const other = 'arn:aws:iam::444455556666:role/exec'
    const l = lookups({
      getRole: async () => ({ arn: other, trustPolicy: TRUST }),
      keyMetadata: async () => undefined
    })
    await checkRoles(request({ executionRoleArn: 'exec', taskRoleArn: undefined }), l)
    expect(l.simulate.mock.calls).toEqual([
      [other, 'ssm:GetParameters', 'arn:aws:ssm:us-east-1:444455556666:parameter/prod/DATADOG_API_KEY']
    ])
  })

  it("simulates IAM's ARN of the role (with its path) when the definition's ARN has none", async () => {
    const canonical = `arn:aws:iam::${ACCOUNT}:role/service-role/ecsTaskExecutionRole`
    const l = lookups({ getRole: async () => ({ arn: canonical, trustPolicy: TRUST }) })
    await checkRoles(request({ taskRoleArn: undefined }), l)
    expect(l.simulate.mock.calls[0]?.[0]).toBe(canonical)
    // Without GetRole, the ARN as written.
    const blind = lookups({ getRole: async () => Promise.reject(denied('iam:GetRole')) })
    await checkRoles(request({ taskRoleArn: undefined }), blind)
    expect(blind.simulate.mock.calls[0]?.[0]).toBe(EXEC)
  })

  it('a role that does not exist is an error, and is not simulated', async () => {
    const l = lookups({ getRole: async name => (name === 'web-task' ? roles[name] : undefined) })
    const findings = await checkRoles(request(), l)
    expect(findings.filter(f => f.level === 'error')).toEqual([
      {
        level: 'error',
        message: `The task execution role ${EXEC} does not exist, so ECS could not assume it and the task would not start.`,
        hint: 'Create the role (trusting ecs-tasks.amazonaws.com) or fix "executionRoleArn" in the task definition.'
      }
    ])
    expect(l.simulate).not.toHaveBeenCalled()
  })

  describe('a role of another account is never judged by a role of this one', () => {
    const OTHER = '999999999999'
    const foreign = `arn:aws:iam::${OTHER}:role/ecsTaskExecutionRole`

    it('GetRole answers with the same name in this account: a warning, no trust pass, no simulation', async () => {
      const l = lookups()
      const findings = await checkRoles(request({ executionRoleArn: foreign, taskRoleArn: undefined }), l)
      expect(findings).toEqual([
        {
          level: 'warning',
          title: 'Role not verified',
          message: expect.stringContaining(
            `The task execution role ${foreign} is in account ${OTHER}, not in this workflow's account ${ACCOUNT}: its trust policy and permissions cannot be read from here, so they were not checked`
          )
        }
      ])
      expect(findings[0]?.message).toContain('iam:PassRole')
      expect(findings.map(f => f.message).join('\n')).not.toMatch(/trusts ecs-tasks|may call/)
      expect(l.simulate).not.toHaveBeenCalled()
      // GetRole's answer told the account: no STS call needed.
      expect(l.callerAccount).not.toHaveBeenCalled()
    })

    it('no role of that name here: the caller account decides (another account: a warning, never "does not exist")', async () => {
      const l = lookups({ getRole: async () => undefined })
      const findings = await checkRoles(request({ executionRoleArn: foreign, taskRoleArn: undefined }), l)
      expect(levels(findings)).toEqual(['warning'])
      expect(findings[0]?.message).toContain(`is in account ${OTHER}, not in this workflow's account ${ACCOUNT}`)
      expect(findings[0]?.message).not.toContain('does not exist')
      expect(l.callerAccount).toHaveBeenCalledTimes(1)
      expect(l.simulate).not.toHaveBeenCalled()
    })

    it('no role of that name and the ARN names this account: "does not exist" is true', async () => {
      const l = lookups({ getRole: async () => undefined })
      const findings = await checkRoles(request({ taskRoleArn: undefined }), l)
      expect(levels(findings)).toEqual(['error'])
      expect(findings[0]?.message).toContain('does not exist')
    })

    it('GetRole denied: the caller account decides whether the simulation may run', async () => {
      const blind = () => lookups({ getRole: async () => Promise.reject(denied('iam:GetRole')) })
      const l = blind()
      const findings = await checkRoles(request({ executionRoleArn: foreign, taskRoleArn: undefined }), l)
      expect(levels(findings)).toEqual(['warning', 'warning'])
      expect(findings[0]?.message).toContain(`is in account ${OTHER}`)
      expect(l.simulate).not.toHaveBeenCalled()
      const here = blind()
      await checkRoles(request({ taskRoleArn: undefined }), here)
      expect(here.simulate).toHaveBeenCalledTimes(1)
    })

    it('a task role of another account: a warning for it; the execution role is still checked', async () => {
      const l = lookups()
      const task = `arn:aws:iam::${OTHER}:role/web-task`
      const findings = await checkRoles(request({ taskRoleArn: task }), l)
      expect(findings.map(f => [f.level, f.message])).toEqual([
        ['info', expect.stringContaining(`the task execution role ${EXEC} trusts`)],
        ['warning', expect.stringContaining(`The task role ${task} is in account ${OTHER}`)],
        ['info', expect.stringContaining('may call ssm:GetParameters')],
        ['info', expect.stringContaining('AWS-managed KMS key')]
      ])
      expect(findings[1]?.message).toContain('its trust policy cannot be read from here')
    })

    it('property: whatever the two accounts, a pass is only reported for a role whose ARN is the one written', async () => {
      const account = fc.stringMatching(/^\d{12}$/)
      await fc.assert(
        fc.asyncProperty(account, account, fc.boolean(), async (written, here, exists) => {
          const arn = `arn:aws:iam::${written}:role/exec`
          const l = lookups({
            getRole: async () => (exists ? { arn: `arn:aws:iam::${here}:role/exec`, trustPolicy: TRUST } : undefined),
            callerAccount: async () => here
          })
          const findings = await checkRoles(request({ executionRoleArn: arn, taskRoleArn: undefined }), l)
          const passes = findings.filter(f => f.level === 'info')
          if (written !== here) {
            expect(passes).toEqual([])
            expect(findings.some(f => f.message.includes('does not exist'))).toBe(false)
            expect(l.simulate).not.toHaveBeenCalled()
          } else {
            expect(passes.length > 0).toBe(exists)
          }
        })
      )
    })
  })

  it('an ARN with a path the role does not have: a warning, and the checks name the role IAM has', async () => {
    const written = `arn:aws:iam::${ACCOUNT}:role/old-path/ecsTaskExecutionRole`
    const findings = await checkRoles(request({ executionRoleArn: written, taskRoleArn: undefined }), lookups())
    expect(findings[0]).toEqual({
      level: 'warning',
      title: 'Role ARN does not match',
      message: expect.stringContaining(
        `The task execution role ${written} names a path the role does not have: IAM's ARN for it is ${EXEC}.`
      )
    })
    expect(findings[1]?.message).toBe(`Role check: the task execution role ${EXEC} trusts ecs-tasks.amazonaws.com.`)
    expect(findings.map(f => f.message).join('\n')).not.toContain(`${written} trusts`)
  })

  it('without iam:GetRole: one warning naming it, and the simulation still runs', async () => {
    const l = lookups({ getRole: async () => Promise.reject(denied('iam:GetRole')) })
    const findings = await checkRoles(request(), l)
    const warnings = findings.filter(f => f.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toBe(
      "Could not read the trust policies of the task's roles: this workflow's role may not call iam:GetRole. Going on without it; grant iam:GetRole to enable the check, or set verify-roles: false."
    )
    expect(l.simulate).toHaveBeenCalledTimes(1)
  })

  it('without iam:SimulatePrincipalPolicy: one warning for the read and the KMS simulation together', async () => {
    const l = lookups({
      simulate: async () => Promise.reject(denied('iam:SimulatePrincipalPolicy')),
      keyMetadata: async () => ({ arn: PARAM_ARN, kmsKeyId: 'abc', type: 'SecureString' })
    })
    const findings = await checkRoles(request(), l)
    expect(l.simulate).toHaveBeenCalledTimes(2)
    const warnings = findings.filter(f => f.level === 'warning').map(f => f.message)
    expect(warnings).toEqual([expect.stringContaining('may not call iam:SimulatePrincipalPolicy')])
    expect(levels(findings)).not.toContain('error')
  })

  it('a denied metadata look-up warns here only when verify-secret does not run (it warns itself)', async () => {
    const l = () => lookups({ keyMetadata: async () => Promise.reject(denied('ssm:DescribeParameters')) })
    const alone = await checkRoles(request({ secretCheckRuns: false }), l())
    expect(alone.filter(f => f.level === 'warning').map(f => f.message)).toEqual([
      expect.stringContaining(
        "find the KMS key of the API key's parameter: this workflow's role may not call ssm:DescribeParameters"
      )
    ])
    const beside = await checkRoles(request(), l())
    expect(beside.filter(f => f.level === 'warning')).toEqual([])
    expect(beside.at(-1)?.message).toContain('kms:Decrypt not simulated')
  })

  it('lets any other failure through (network, throttling, no credentials)', async () => {
    const network = new AwsCallError('Could not reach https://iam.amazonaws.com', 'Check the network.')
    await expect(checkRoles(request(), lookups({ getRole: async () => Promise.reject(network) }))).rejects.toBe(network)
    await expect(checkRoles(request(), lookups({ simulate: async () => Promise.reject(network) }))).rejects.toBe(
      network
    )
  })

  it('makes no KMS step when the parameter does not exist (verify-secret reports that)', async () => {
    const l = lookups({ keyMetadata: async () => undefined })
    const findings = await checkRoles(request(), l)
    expect(l.simulate).toHaveBeenCalledTimes(1)
    expect(findings.map(f => f.message).join('\n')).not.toContain('KMS')
  })

  it('orders the findings: trust, read, KMS, then the missing permissions', async () => {
    const l = lookups({
      getRole: async name => (name === 'web-task' ? Promise.reject(denied('iam:GetRole')) : roles[name]),
      simulate: async () => implicit,
      keyMetadata: async () => ({ arn: PARAM_ARN, kmsKeyId: 'abc', type: 'SecureString' })
    })
    const findings = await checkRoles(request(), l)
    expect(findings.map(f => [f.level, f.message])).toEqual([
      ['info', expect.stringMatching(/^Role check: the task execution role .* trusts/)],
      ['error', expect.stringMatching(/may not call ssm:GetParameters/)],
      ['warning', expect.stringMatching(/may not call kms:Decrypt/)],
      ['warning', expect.stringMatching(/may not call iam:GetRole/)]
    ])
  })
})
