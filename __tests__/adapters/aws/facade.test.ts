import { beforeEach, describe, expect, it } from '@jest/globals'
import { withoutEnv } from '../../../__fixtures__/clean-env.js'
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import { mockClient } from 'aws-sdk-client-mock'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'
import { lazyAws } from '../../../src/adapters/aws/facade.js'
import { AwsCallError } from '../../../src/core/errors.js'

const ssmMock = mockClient(SSMClient)
const smMock = mockClient(SecretsManagerClient)
const SM_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:datadog-api-key-AbCdEf'
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSM', 'AWS_ENDPOINT_URL_SECRETS_MANAGER']

// The messages name the public endpoint unless an override is set; keep the developer's out.
withoutEnv(ENDPOINT_VARIABLES)
beforeEach(() => {
  ssmMock.reset()
  smMock.reset()
})

describe('the AWS facade', () => {
  it("describes an unreachable SSM endpoint with the parameter's region and the IAM action", async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }))
    const error = await rejectedUserError(lazyAws('us-east-1').describeParameter('/prod/KEY', 'eu-west-1'))
    expect(error).toBeInstanceOf(AwsCallError)
    expect(error.message).toBe(
      'Could not reach https://ssm.eu-west-1.amazonaws.com (region eu-west-1) for ssm:DescribeParameters: ECONNREFUSED.'
    )
    expect((error as AwsCallError).accessDenied).toBe(false)
  })

  it('describes a Secrets Manager timeout with the endpoint of the secret region', async () => {
    smMock.on(DescribeSecretCommand).rejects(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }))
    const error = await rejectedUserError(lazyAws('us-east-1').describeSecret(SM_ARN, 'eu-central-1'))
    expect(error.message).toContain('https://secretsmanager.eu-central-1.amazonaws.com (region eu-central-1)')
    expect(error.message).toContain('secretsmanager:DescribeSecret')
  })

  it('marks an access denial with the denied action, so a check can downgrade it to a warning', async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: ssm:DescribeParameters on resource: *'
          ),
          { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }
        )
      )
    const error = await rejectedUserError(lazyAws('us-east-1').describeParameter('/prod/KEY', 'us-east-1'))
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).deniedAction).toBe('ssm:DescribeParameters')
    expect(error.message).toContain('arn:aws:sts::111122223333:assumed-role/deployer/ci')
  })

  it('reads an SSM key with decryption from the task region when the reference is a bare name', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: '/prod/KEY', Value: 'the-key' } })
    const key = await lazyAws('ap-northeast-1').readApiKey({ kind: 'ssm', value: '/prod/KEY', name: '/prod/KEY' })
    expect(key).toBe('the-key')
    const call = ssmMock.commandCalls(GetParameterCommand)[0]!
    expect(call.args[0].input).toEqual({ Name: '/prod/KEY', WithDecryption: true })
    expect(await ssmMock.calls()[0]!.thisValue.config.region()).toBe('ap-northeast-1')
  })

  it('reads an SSM key given by ARN with that ARN, so a parameter shared by another account is the one read', async () => {
    const arn = 'arn:aws:ssm:eu-west-1:444455556666:parameter/shared/KEY'
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Name: '/shared/KEY', Value: 'the-key' } })
    const key = await lazyAws('us-east-1').readApiKey({
      kind: 'ssm',
      value: arn,
      name: '/shared/KEY',
      region: 'eu-west-1',
      account: '444455556666'
    })
    expect(key).toBe('the-key')
    expect(ssmMock.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: arn, WithDecryption: true })
    expect(await ssmMock.calls()[0]!.thisValue.config.region()).toBe('eu-west-1')
  })

  it('lets a UserError of the key read through as it is (a JSON secret without its key)', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: '{"api_key":"0123456789abcdef0123456789abcdef"}' })
    const error = await rejectedUserError(
      lazyAws('us-east-1').readApiKey({
        kind: 'secretsmanager',
        value: SM_ARN,
        secretId: SM_ARN,
        region: 'eu-central-1'
      })
    )
    expect(error).not.toBeInstanceOf(AwsCallError)
    expect(error.message).toContain('holds JSON with the key api_key')
    expect(error.hint).toContain(`${SM_ARN}:api_key::`)
  })

  it('describes the shared-parameter and account look-ups as ssm:DescribeParameters calls', async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }))
    const aws = lazyAws('us-east-1')
    const shared = await rejectedUserError(
      aws.describeSharedParameter('arn:aws:ssm:eu-west-1:1:parameter/x', 'x', 'eu-west-1')
    )
    const account = await rejectedUserError(aws.parameterAccount('eu-west-1'))
    for (const error of [shared, account]) {
      expect(error.message).toBe(
        'Could not reach https://ssm.eu-west-1.amazonaws.com (region eu-west-1) for ssm:DescribeParameters: ECONNREFUSED.'
      )
    }
  })
})
