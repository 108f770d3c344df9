import { beforeEach, describe, expect, it } from '@jest/globals'
import { DescribeParametersCommand, GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient
} from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import {
  describeParameter,
  describeSharedParameter,
  parameterAccount,
  readParameter
} from '../../../src/adapters/aws/ssm.js'
import { describeSecret, readSecret } from '../../../src/adapters/aws/secrets-manager.js'
import { UserError } from '../../../src/core/errors.js'

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

describe('ssm: where a parameter lives', () => {
  const ssm = () => new SSMClient({ region: 'eu-west-1' })
  const MINE = 'arn:aws:ssm:eu-west-1:111122223333:parameter/prod/DATADOG_API_KEY'
  const SHARED = 'arn:aws:ssm:eu-west-1:444455556666:parameter/prod/DATADOG_API_KEY'

  it("returns a found parameter's ARN, which names the account it is in", async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/prod/DATADOG_API_KEY', ARN: MINE }] })
    expect(await describeParameter(ssm(), '/prod/DATADOG_API_KEY')).toEqual({ arn: MINE })
  })

  it('follows NextToken: a page may come back empty even though the parameter exists', async () => {
    ssmMock
      .on(DescribeParametersCommand)
      .resolvesOnce({ Parameters: [], NextToken: 't1' })
      .resolvesOnce({ Parameters: [{ Name: '/prod/DATADOG_API_KEY', Type: 'SecureString', ARN: MINE }] })
    expect(await describeParameter(ssm(), '/prod/DATADOG_API_KEY')).toEqual({ type: 'SecureString', arn: MINE })
    const calls = ssmMock.commandCalls(DescribeParametersCommand)
    expect(calls.map(c => c.args[0].input.NextToken)).toEqual([undefined, 't1'])
  })

  it('stops after a bounded number of pages', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [], NextToken: 'again' })
    expect(await describeParameter(ssm(), '/nope')).toBeUndefined()
    expect(ssmMock.commandCalls(DescribeParametersCommand)).toHaveLength(10)
  })

  it('finds a shared parameter by its exact ARN among those listed with Shared: true', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({
      Parameters: [
        { Name: '/prod/DATADOG_API_KEY', ARN: 'arn:aws:ssm:eu-west-1:777788889999:parameter/prod/DATADOG_API_KEY' },
        { Name: '/prod/DATADOG_API_KEY', ARN: SHARED, Type: 'SecureString' }
      ]
    })
    expect(await describeSharedParameter(ssm(), SHARED, '/prod/DATADOG_API_KEY')).toEqual({
      type: 'SecureString',
      arn: SHARED
    })
    const input = ssmMock.commandCalls(DescribeParametersCommand)[0]!.args[0].input
    expect(input.Shared).toBe(true)
    expect(input.ParameterFilters).toEqual([{ Key: 'Name', Option: 'Equals', Values: ['/prod/DATADOG_API_KEY'] }])
    expect(ssmMock.commandCalls(GetParameterCommand)).toHaveLength(0)
  })

  it('does not take a same-named parameter of another account for the one asked', async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/prod/DATADOG_API_KEY', ARN: MINE }] })
    expect(await describeSharedParameter(ssm(), SHARED, '/prod/DATADOG_API_KEY')).toBeUndefined()
  })

  it("reads this account's id from the ARN of any of its parameters", async () => {
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: 'x', ARN: MINE }] })
    expect(await parameterAccount(ssm())).toBe('111122223333')
    expect(ssmMock.commandCalls(DescribeParametersCommand)[0]!.args[0].input).toEqual({ MaxResults: 1 })
    ssmMock.on(DescribeParametersCommand).resolves({ Parameters: [] })
    expect(await parameterAccount(ssm())).toBeUndefined()
  })

  it('reads a parameter by its full ARN when given one', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: 'v' } })
    expect(await readParameter(ssm(), SHARED)).toBe('v')
    expect(ssmMock.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: SHARED, WithDecryption: true })
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

  it('refuses a missing or non-string key, as ECS would fail to pull it', async () => {
    smMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_key: 42 }) })
    await expect(readSecret(sm(), SECRET_ARN, 'api_key')).rejects.toThrow(/"api_key" is not a string \(number\)/)
    await expect(readSecret(sm(), SECRET_ARN, 'missing')).rejects.toThrow(
      /has no key "missing"; it holds with the key api_key/
    )
    smMock.on(GetSecretValueCommand).resolves({ SecretString: 'null' })
    await expect(readSecret(sm(), SECRET_ARN, 'api_key')).rejects.toThrow(/is not a JSON object/)
  })

  it('refuses a JSON secret referenced without its key, naming the key to select and never the value', async () => {
    const key = '0123456789abcdef0123456789abcdef'
    smMock
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ api_key: key, app_key: 'x'.repeat(40) }) })
    const error = await readSecret(sm(), SECRET_ARN).then(
      () => undefined,
      (e: unknown) => e as UserError
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error!.message).toContain('holds JSON with the keys api_key, app_key')
    expect(error!.hint).toContain(`api-key-secret: ${SECRET_ARN}:api_key::`)
    expect(error!.text).not.toContain(key)
    expect(error!.text).not.toContain('xxxx')
  })

  it('never quotes a non-JSON secret in its error', async () => {
    const secret = 'deadbeefdeadbeefdeadbeefdeadbeef-not-json'
    smMock.on(GetSecretValueCommand).resolves({ SecretString: secret })
    const error = await readSecret(sm(), SECRET_ARN, 'api_key').then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(Error)
    expect(error!.message).toContain('not a JSON object')
    expect(error!.message).toContain('api_key')
    expect(error!.message).not.toContain(secret)
    expect(error!.message).not.toContain('deadbeef')
    expect(String(error!.stack)).not.toContain('deadbeef')
  })
})
