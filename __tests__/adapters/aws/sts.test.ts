import { beforeEach, describe, expect, it } from '@jest/globals'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { withoutEnv } from '../../../__fixtures__/clean-env.js'
import { lazyAws } from '../../../src/adapters/aws/facade.js'
import { callerAccount } from '../../../src/adapters/aws/sts.js'
import { AwsCallError } from '../../../src/core/errors.js'

const stsMock = mockClient(STSClient)
withoutEnv(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS'])
beforeEach(() => {
  stsMock.reset()
})

describe('sts.callerAccount', () => {
  it("returns the account of the workflow's credentials", async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: '111122223333',
      Arn: 'arn:aws:sts::111122223333:assumed-role/deployer/ci',
      UserId: 'AROAEXAMPLE:ci'
    })
    expect(await callerAccount(new STSClient({ region: 'us-east-1' }))).toBe('111122223333')
  })

  it('an answer without an account is an error, not an empty account', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({})
    await expect(callerAccount(new STSClient({ region: 'us-east-1' }))).rejects.toThrow(
      'GetCallerIdentity answered without an account'
    )
  })
})

describe('the facade asks STS once per run and names the endpoint and the action on failure', () => {
  it('once', async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' })
    const aws = lazyAws('eu-west-1')
    expect(await Promise.all([aws.callerAccount(), aws.callerAccount()])).toEqual(['111122223333', '111122223333'])
    expect(stsMock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1)
  })

  it('a failure names sts:GetCallerIdentity and the regional endpoint', async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalFailure' }))
    const error = await lazyAws('eu-west-1')
      .callerAccount()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).text).toContain('https://sts.eu-west-1.amazonaws.com')
  })
})
