import { beforeEach, describe, expect, it } from '@jest/globals'
import { withoutEnv } from '../../../__fixtures__/clean-env.js'
import { GetRoleCommand, IAMClient, NoSuchEntityException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam'
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm'
import { mockClient } from 'aws-sdk-client-mock'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'
import { lazyAws } from '../../../src/adapters/aws/facade.js'
import { decodePolicy, getRole, iamEndpoint, simulate } from '../../../src/adapters/aws/iam.js'
import { AwsCallError, MissingCredentialsError } from '../../../src/core/errors.js'

const iamMock = mockClient(IAMClient)
const ssmMock = mockClient(SSMClient)
const EXEC = 'arn:aws:iam::111122223333:role/service-role/ecsTaskExecutionRole'
const PARAM_ARN = 'arn:aws:ssm:us-east-1:111122223333:parameter/prod/DATADOG_API_KEY'
const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_IAM']
const client = () => new IAMClient({ region: 'us-east-1' })
const noSuchEntity = () =>
  new NoSuchEntityException({ message: 'The role with name x cannot be found.', $metadata: { httpStatusCode: 404 } })

withoutEnv(ENDPOINT_VARIABLES)
beforeEach(() => {
  iamMock.reset()
  ssmMock.reset()
})

describe('iam.getRole', () => {
  it('asks by role name and decodes the URL-encoded trust policy IAM returns', async () => {
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Path: '/service-role/',
        RoleName: 'ecsTaskExecutionRole',
        RoleId: 'AROAEXAMPLE',
        Arn: EXEC,
        CreateDate: new Date(),
        AssumeRolePolicyDocument: encodeURIComponent(TRUST)
      }
    })
    expect(await getRole(client(), 'ecsTaskExecutionRole')).toEqual({ arn: EXEC, trustPolicy: TRUST })
    expect(iamMock.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: 'ecsTaskExecutionRole' })
  })

  it('returns undefined for NoSuchEntity and lets anything else through', async () => {
    iamMock.on(GetRoleCommand).rejects(noSuchEntity())
    expect(await getRole(client(), 'x')).toBeUndefined()
    iamMock.on(GetRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
    await expect(getRole(client(), 'x')).rejects.toMatchObject({ name: 'AccessDenied' })
  })

  it('decodes % escapes, keeps a document that is already JSON, and never throws on a broken escape', () => {
    expect(decodePolicy(encodeURIComponent(TRUST))).toBe(TRUST)
    expect(decodePolicy(TRUST)).toBe(TRUST)
    expect(decodePolicy('%E0%A4%A')).toBe('%E0%A4%A')
  })
})

describe('iam.simulate', () => {
  it('simulates one action on one resource with the role as the policy source', async () => {
    iamMock.on(SimulatePrincipalPolicyCommand).resolves({
      IsTruncated: false,
      EvaluationResults: [
        {
          EvalActionName: 'ssm:GetParameters',
          EvalResourceName: PARAM_ARN,
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'read-key', SourcePolicyType: 'role' }],
          MissingContextValues: []
        }
      ]
    })
    expect(await simulate(client(), EXEC, 'ssm:GetParameters', PARAM_ARN)).toEqual({
      decision: 'allowed',
      missingContext: []
    })
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input).toEqual({
      PolicySourceArn: EXEC,
      ActionNames: ['ssm:GetParameters'],
      ResourceArns: [PARAM_ARN]
    })
  })

  it('collects missing context values (also per resource), SCP and permissions boundary denials', async () => {
    iamMock.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        {
          EvalActionName: 'kms:Decrypt',
          EvalDecision: 'implicitDeny',
          MissingContextValues: ['aws:SourceVpc'],
          ResourceSpecificResults: [
            {
              EvalResourceName: 'arn:k',
              EvalResourceDecision: 'implicitDeny',
              MissingContextValues: ['kms:ViaService']
            }
          ],
          OrganizationsDecisionDetail: { AllowedByOrganizations: false },
          PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: false }
        }
      ]
    })
    expect(await simulate(client(), EXEC, 'kms:Decrypt', 'arn:k')).toEqual({
      decision: 'implicitDeny',
      missingContext: ['aws:SourceVpc', 'kms:ViaService'],
      allowedByOrganizations: false,
      allowedByPermissionsBoundary: false
    })
  })

  it('returns undefined when the role does not exist; refuses an answer without a decision', async () => {
    iamMock.on(SimulatePrincipalPolicyCommand).rejects(noSuchEntity())
    expect(await simulate(client(), EXEC, 'kms:Decrypt', 'arn:k')).toBeUndefined()
    iamMock.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [] })
    await expect(simulate(client(), EXEC, 'kms:Decrypt', 'arn:k')).rejects.toThrow('without a decision for kms:Decrypt')
  })
})

describe('iamEndpoint', () => {
  it.each([
    ['us-east-1', {}, 'https://iam.amazonaws.com'],
    ['ap-northeast-1', {}, 'https://iam.amazonaws.com'],
    ['us-gov-west-1', {}, 'https://iam.us-gov.amazonaws.com'],
    ['cn-north-1', {}, 'https://iam.cn-north-1.amazonaws.com.cn'],
    ['us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, 'http://127.0.0.1:1'],
    ['us-east-1', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_IAM: 'http://b' }, 'http://b']
  ])('%s %o → %s', (region, env, endpoint) => {
    expect(iamEndpoint(region, env)).toBe(endpoint)
  })
})

describe('the facade: IAM calls and the shared metadata look-up', () => {
  it('describes a denied iam:GetRole with the action, so verify-roles can downgrade it to one warning', async () => {
    iamMock
      .on(GetRoleCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: iam:GetRole on resource: role x because no identity-based policy allows the iam:GetRole action'
          ),
          { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }
        )
      )
    const error = await rejectedUserError(lazyAws('us-east-1').getRole('x'))
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).deniedAction).toBe('iam:GetRole')
    expect(error.message).toContain('AWS denied iam:GetRole to arn:aws:sts::111122223333:assumed-role/deployer/ci')
  })

  it('names the IAM endpoint of the partition when IAM is unreachable', async () => {
    iamMock
      .on(SimulatePrincipalPolicyCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
    const error = await rejectedUserError(
      lazyAws('us-gov-west-1').simulatePrincipalPolicy(EXEC, 'kms:Decrypt', 'arn:k')
    )
    expect(error.message).toBe(
      'Could not reach https://iam.us-gov.amazonaws.com (region us-gov-west-1) for iam:SimulatePrincipalPolicy: ECONNREFUSED.'
    )
  })

  it('turns "no credentials at all" into a MissingCredentialsError, for IAM and for the secret look-up', async () => {
    const none = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError'
    })
    iamMock.on(GetRoleCommand).rejects(none)
    ssmMock.on(DescribeParametersCommand).rejects(none)
    const aws = lazyAws('us-east-1')
    expect(await rejectedUserError(aws.getRole('x'))).toBeInstanceOf(MissingCredentialsError)
    expect(await rejectedUserError(aws.describeParameter('/k', 'us-east-1'))).toBeInstanceOf(MissingCredentialsError)
    // Rejected credentials are another matter: they fail the step as before.
    iamMock.on(GetRoleCommand).rejects(Object.assign(new Error('expired'), { name: 'ExpiredToken' }))
    expect(await rejectedUserError(aws.getRole('x'))).not.toBeInstanceOf(MissingCredentialsError)
  })

  it('looks a parameter up once per run: verify-secret and verify-roles share the answer, ARN and KMS key included', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: '/prod/DATADOG_API_KEY', Type: 'SecureString', ARN: PARAM_ARN, KeyId: 'alias/datadog' }]
    })
    const aws = lazyAws('us-east-1')
    const [first, second] = await Promise.all([
      aws.describeParameter('/prod/DATADOG_API_KEY', 'us-east-1'),
      aws.describeParameter('/prod/DATADOG_API_KEY', 'us-east-1')
    ])
    expect(first).toEqual({ type: 'SecureString', arn: PARAM_ARN, keyId: 'alias/datadog' })
    expect(second).toBe(first)
    expect(ssmMock.commandCalls(DescribeParametersCommand)).toHaveLength(1)
    await aws.describeParameter('/prod/DATADOG_API_KEY', 'eu-west-1')
    expect(ssmMock.commandCalls(DescribeParametersCommand)).toHaveLength(2)
  })

  it('makes concurrent IAM calls through one client', async () => {
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Arn: EXEC,
        AssumeRolePolicyDocument: TRUST,
        Path: '/',
        RoleName: 'r',
        RoleId: 'i',
        CreateDate: new Date()
      }
    })
    const aws = lazyAws('us-east-1')
    await Promise.all([aws.getRole('a'), aws.getRole('b')])
    const clients = new Set(iamMock.calls().map(c => c.thisValue))
    expect(clients.size).toBe(1)
  })
})
