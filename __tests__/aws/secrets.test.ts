import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { describeParameter, readParameter } from '../../src/aws/ssm.js'
import { describeSecret, readSecret } from '../../src/aws/secrets-manager.js'

const ssmMock = mockClient(SSMClient)
const smMock = mockClient(SecretsManagerClient)
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:datadog/api-key-AbCdEf'

beforeEach(() => {
  ssmMock.reset()
  smMock.reset()
})

describe('ssm.describeParameter', () => {
  it('filters DescribeParameters by the exact name and never reads the value', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: '/prod/DATADOG_API_KEY', Type: 'SecureString' }]
    })
    const ssm = new SSMClient({ region: 'eu-west-1' })
    expect(await describeParameter(ssm, '/prod/DATADOG_API_KEY')).toEqual({ type: 'SecureString' })
    const calls = ssmMock.commandCalls(DescribeParametersCommand)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.args[0].input.ParameterFilters).toEqual([
      { Key: 'Name', Option: 'Equals', Values: ['/prod/DATADOG_API_KEY'] }
    ])
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0)
    expect(ssmMock.calls()).toHaveLength(1)
  })

  it("returns the parameter's ARN and KMS key id, for verify-roles", async () => {
    const arn = 'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/DATADOG_API_KEY'
    ssmMock.on(DescribeParametersCommand).resolves({
      Parameters: [{ Name: '/prod/DATADOG_API_KEY', Type: 'SecureString', ARN: arn, KeyId: 'alias/aws/ssm' }]
    })
    expect(await describeParameter(new SSMClient({ region: 'eu-west-1' }), '/prod/DATADOG_API_KEY')).toEqual({
      type: 'SecureString',
      arn,
      keyId: 'alias/aws/ssm'
    })
  })

  it('returns the type of a String parameter', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: 'DATADOG_API_KEY', Type: 'String' }] })
    expect(await describeParameter(new SSMClient({ region: 'us-east-1' }), 'DATADOG_API_KEY')).toEqual({
      type: 'String'
    })
  })

  it('returns an object without a type when AWS gives none', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: 'DATADOG_API_KEY' }] })
    expect(await describeParameter(new SSMClient({ region: 'us-east-1' }), 'DATADOG_API_KEY')).toEqual({})
  })

  it('returns undefined when no parameter matches', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [] })
    expect(await describeParameter(new SSMClient({ region: 'us-east-1' }), '/nope')).toBeUndefined()
    ssmMock.on(DescribeParametersCommand).resolves({})
    expect(await describeParameter(new SSMClient({ region: 'us-east-1' }), '/nope')).toBeUndefined()
  })

  it('lets errors through for the caller to describe', async () => {
    const denied = Object.assign(new Error('not authorized to perform: ssm:DescribeParameters'), {
      name: 'AccessDeniedException'
    })
    ssmMock.on(DescribeParametersCommand).rejects(denied)
    await expect(describeParameter(new SSMClient({ region: 'us-east-1' }), '/x')).rejects.toMatchObject({
      name: 'AccessDeniedException'
    })
  })
})

describe('ssm.readParameter', () => {
  it('asks for the decrypted value', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '0123456789abcdef0123456789abcdef' } })
    expect(await readParameter(new SSMClient({ region: 'us-east-1' }), '/prod/DATADOG_API_KEY')).toBe(
      '0123456789abcdef0123456789abcdef'
    )
    const calls = ssmMock.commandCalls(GetParameterCommand)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.args[0].input).toEqual({ Name: '/prod/DATADOG_API_KEY', WithDecryption: true })
  })

  it('returns an empty string when there is no value', async () => {
    ssmMock.on(GetParameterCommand).resolves({})
    expect(await readParameter(new SSMClient({ region: 'us-east-1' }), '/x')).toBe('')
  })
})

describe('secretsManager.describeSecret', () => {
  const sm = () => new SecretsManagerClient({ region: 'eu-west-1' })

  it('reports an existing secret as not deleted, reading only metadata', async () => {
    smMock.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'datadog/api-key' })
    expect(await describeSecret(sm(), SECRET_ARN)).toEqual({ deleted: false, arn: SECRET_ARN })
    expect(smMock.commandCalls(DescribeSecretCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN })
    expect(smMock.commandCalls(GetSecretValueCommand)).toHaveLength(0)
  })

  it('reports a secret scheduled for deletion', async () => {
    smMock.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, DeletedDate: new Date('2025-01-01T00:00:00Z') })
    expect(await describeSecret(sm(), SECRET_ARN)).toEqual({ deleted: true, arn: SECRET_ARN })
  })

  it("returns the secret's customer-managed KMS key, for verify-roles' kms:Decrypt simulation", async () => {
    smMock.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, KmsKeyId: 'alias/datadog' })
    expect(await describeSecret(sm(), SECRET_ARN)).toEqual({
      deleted: false,
      arn: SECRET_ARN,
      kmsKeyId: 'alias/datadog'
    })
  })

  it('returns undefined on ResourceNotFoundException', async () => {
    smMock
      .on(DescribeSecretCommand)
      .rejects(
        new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} })
      )
    expect(await describeSecret(sm(), SECRET_ARN)).toBeUndefined()
  })

  it('rethrows any other error', async () => {
    const denied = Object.assign(new Error('not authorized to perform: secretsmanager:DescribeSecret'), {
      name: 'AccessDeniedException'
    })
    smMock.on(DescribeSecretCommand).rejects(denied)
    await expect(describeSecret(sm(), SECRET_ARN)).rejects.toMatchObject({ name: 'AccessDeniedException' })
  })
})

describe('secretsManager.readSecret', () => {
  const sm = () => new SecretsManagerClient({ region: 'eu-west-1' })

  it('returns the whole value without a json key', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: 'plain-value' })
    expect(await readSecret(sm(), SECRET_ARN)).toBe('plain-value')
    expect(smMock.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: SECRET_ARN })
  })

  it('extracts the json key', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_key: 'abc123', other: 'x' }) })
    expect(await readSecret(sm(), SECRET_ARN, 'api_key')).toBe('abc123')
  })

  it('returns an empty string for a missing or non-string key', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_key: 42 }) })
    expect(await readSecret(sm(), SECRET_ARN, 'api_key')).toBe('')
    expect(await readSecret(sm(), SECRET_ARN, 'missing')).toBe('')
    smMock.on(GetSecretValueCommand).resolves({ SecretString: 'null' })
    expect(await readSecret(sm(), SECRET_ARN, 'api_key')).toBe('')
  })

  it('never quotes a non-JSON secret in its error', async () => {
    const secret = 'deadbeefdeadbeefdeadbeefdeadbeef-not-json'
    smMock.on(GetSecretValueCommand).resolves({ SecretString: secret })
    const error = await readSecret(sm(), SECRET_ARN, 'api_key').then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(Error)
    expect(error!.message).toContain('not JSON')
    expect(error!.message).toContain('api_key')
    expect(error!.message).not.toContain(secret)
    expect(error!.message).not.toContain('deadbeef')
    expect(String(error!.stack)).not.toContain('deadbeef')
  })
})
