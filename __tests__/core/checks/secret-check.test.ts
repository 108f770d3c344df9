import { describe, expect, it, jest } from '@jest/globals'
import { recordingLogger } from '../../../__fixtures__/recording-logger.js'
import { verifySecret, type SecretLookups } from '../../../src/core/checks/secret-check.js'
import { parseSecretRef, type SecretRef } from '../../../src/core/secret-ref.js'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'
import { AwsCallError } from '../../../src/core/errors.js'

/** The workflow's account in these tests. */
const ACCOUNT = '111122223333'
const OTHER = '444455556666'
const arnOf = (account: string, region: string, name: string): string =>
  `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`

/**
 * Look-ups as the facade answers them: by default every name exists in this account (with its ARN), nothing is
 * shared with it, and SSM shows this account's ARN.
 */
function lookups(
  parameter: SecretLookups['describeParameter'] = async (name, region) => ({
    type: 'SecureString',
    arn: arnOf(ACCOUNT, region, name)
  }),
  secret: () => Promise<{ deleted: boolean } | undefined> = async () => ({ deleted: false }),
  shared: SecretLookups['describeSharedParameter'] = async () => undefined,
  account: SecretLookups['parameterAccount'] = async () => ACCOUNT
) {
  return {
    describeParameter: jest.fn<SecretLookups['describeParameter']>(parameter),
    describeSharedParameter: jest.fn<SecretLookups['describeSharedParameter']>(shared),
    parameterAccount: jest.fn<SecretLookups['parameterAccount']>(account),
    describeSecret: jest.fn<SecretLookups['describeSecret']>(secret)
  }
}

function ref(value: string): SecretRef {
  const parsed = parseSecretRef(value)
  if ('problem' in parsed) throw new Error(`test setup: ${value} is ${parsed.problem}`)
  return parsed
}

const userError = rejectedUserError

// What the AWS facade throws: the SDK's error already described, with the action that was denied.
const denied = (action: string) =>
  new AwsCallError(
    `AWS denied ${action} to arn:aws:sts::111122223333:assumed-role/deployer/ci: not authorized`,
    `Grant ${action} to the role this workflow uses.`,
    action
  )

const SM_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:datadog/api-key-AbCdEf'

describe('verifySecret, SSM', () => {
  it('logs that a SecureString parameter exists, without a warning', async () => {
    const logger = recordingLogger()
    const l = lookups()
    await verifySecret(ref('/prod/DATADOG_API_KEY'), 'us-east-1', l, logger)
    expect(l.describeParameter).toHaveBeenCalledTimes(1)
    expect(l.describeParameter).toHaveBeenCalledWith('/prod/DATADOG_API_KEY', 'us-east-1')
    expect(l.describeSecret).not.toHaveBeenCalled()
    expect(logger.at('info')).toEqual(['Secret check: SSM parameter /prod/DATADOG_API_KEY exists in us-east-1.'])
    expect(logger.at('warning')).toEqual([])
  })

  it('warns about a String parameter, not a SecureString', async () => {
    const logger = recordingLogger()
    await verifySecret(
      ref('DATADOG_API_KEY'),
      'us-east-1',
      lookups(async () => ({ type: 'String' })),
      logger
    )
    const warnings = logger.entries.filter(e => e.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toContain('"DATADOG_API_KEY" is a String')
    expect(warnings[0]!.message).toContain('SecureString')
    expect(warnings[0]!.props).toEqual({ title: 'API key not encrypted' })
    expect(logger.at('info')).toHaveLength(1)
  })

  it('does not warn when the type is unknown', async () => {
    const logger = recordingLogger()
    await verifySecret(
      ref('DATADOG_API_KEY'),
      'us-east-1',
      lookups(async () => ({})),
      logger
    )
    expect(logger.at('warning')).toEqual([])
  })

  it('fails on a missing name, naming it and the task region, and hints at the full ARN', async () => {
    const logger = recordingLogger()
    const error = await userError(
      verifySecret(
        ref('/prod/DATADOG_API_KEY'),
        'ap-northeast-1',
        lookups(async () => undefined),
        logger
      )
    )
    expect(error.message).toBe(
      'The SSM parameter "/prod/DATADOG_API_KEY" (api-key-secret) does not exist in ap-northeast-1.'
    )
    expect(error.hint).toContain('ap-northeast-1')
    expect(error.hint).toContain('arn:aws:ssm:<region>:<account>:parameter/')
    expect(logger.at('info')).toEqual([])
  })

  it("looks an ARN up in the ARN's region, not the task's", async () => {
    const l = lookups()
    await verifySecret(
      ref('arn:aws:ssm:eu-west-1:111122223333:parameter/prod/DATADOG_API_KEY'),
      'us-east-1',
      l,
      recordingLogger()
    )
    expect(l.describeParameter).toHaveBeenCalledWith('/prod/DATADOG_API_KEY', 'eu-west-1')
  })

  it('fails on a missing ARN with its region, and hints to check the ARN', async () => {
    const error = await userError(
      verifySecret(
        ref('arn:aws:ssm:eu-west-1:111122223333:parameter/DATADOG_API_KEY'),
        'us-east-1',
        lookups(async () => undefined),
        recordingLogger()
      )
    )
    expect(error.message).toContain('"DATADOG_API_KEY"')
    expect(error.message).toContain('eu-west-1')
    expect(error.message).toContain(`(account ${ACCOUNT})`)
    expect(error.hint).toBe('Check the ARN (account, region, name).')
  })

  it('only warns when the role may not call ssm:DescribeParameters', async () => {
    const logger = recordingLogger()
    await expect(
      verifySecret(
        ref('/prod/DATADOG_API_KEY'),
        'us-east-1',
        lookups(async () => {
          throw denied('ssm:DescribeParameters')
        }),
        logger
      )
    ).resolves.toBeUndefined()
    const warnings = logger.entries.filter(e => e.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toContain('ssm:DescribeParameters')
    expect(warnings[0]!.message).toContain('verify-secret: false')
    expect(warnings[0]!.props).toEqual({ title: 'Secret not verified' })
    expect(logger.at('info')).toEqual([])
  })

  it('fails with any other AWS failure exactly as the facade described it', async () => {
    const refused = new AwsCallError(
      'Could not reach https://ssm.us-east-1.amazonaws.com (region us-east-1) for ssm:DescribeParameters: ECONNREFUSED.',
      'Check AWS_REGION.'
    )
    const error = await userError(
      verifySecret(
        ref('/prod/DATADOG_API_KEY'),
        'us-east-1',
        lookups(async () => {
          throw refused
        }),
        recordingLogger()
      )
    )
    expect(error).toBe(refused)
  })
})

describe('verifySecret, an SSM ARN of another account (a shared parameter)', () => {
  const SHARED = arnOf(OTHER, 'eu-west-1', '/shared/DATADOG_API_KEY')

  it('passes a parameter that account shares with this one, found by its full ARN', async () => {
    const logger = recordingLogger()
    const l = lookups(
      async () => undefined,
      undefined,
      async arn => (arn === SHARED ? { type: 'SecureString', arn: SHARED } : undefined)
    )
    await verifySecret(ref(SHARED), 'us-east-1', l, logger)
    expect(l.describeParameter).toHaveBeenCalledWith('/shared/DATADOG_API_KEY', 'eu-west-1')
    expect(l.describeSharedParameter).toHaveBeenCalledWith(SHARED, '/shared/DATADOG_API_KEY', 'eu-west-1')
    expect(logger.at('info')).toEqual([
      `Secret check: SSM parameter ${SHARED} is shared with this account by ${OTHER}.`
    ])
    expect(logger.at('warning')).toEqual([])
  })

  it('never says "does not exist" for another account: it warns that it cannot be verified from here', async () => {
    const logger = recordingLogger()
    await expect(
      verifySecret(
        ref(SHARED),
        'us-east-1',
        lookups(async () => undefined),
        logger
      )
    ).resolves.toBeUndefined()
    const [warning] = logger.entries.filter(e => e.level === 'warning')
    expect(warning!.props).toEqual({ title: 'Secret not verified' })
    expect(warning!.message).toContain(`belongs to account ${OTHER}, not to this workflow's account ${ACCOUNT}`)
    expect(warning!.message).toContain('cannot be verified from here')
    expect(warning!.message).toContain('AWS RAM')
    expect(warning!.message).not.toContain('does not exist')
    expect(logger.at('info')).toEqual([])
  })

  it('is not passed by a parameter of the same name in this account', async () => {
    const logger = recordingLogger()
    // The default look-up finds /shared/DATADOG_API_KEY in this account (111122223333).
    const l = lookups()
    await verifySecret(ref(SHARED), 'us-east-1', l, logger)
    expect(logger.at('info')).toEqual([])
    expect(logger.at('warning')).toEqual([
      expect.stringContaining(`this account has a parameter of the same name, but the task reads ${OTHER}'s`)
    ])
    // That parameter's ARN already names this account: no extra call to learn it.
    expect(l.parameterAccount).not.toHaveBeenCalled()
  })

  it('learns this account from SSM when the name is not found, and then says it does not exist', async () => {
    const mine = arnOf(ACCOUNT, 'eu-west-1', '/prod/DATADOG_API_KEY')
    const l = lookups(async () => undefined)
    const error = await userError(verifySecret(ref(mine), 'us-east-1', l, recordingLogger()))
    expect(error.message).toBe(
      `The SSM parameter "/prod/DATADOG_API_KEY" (api-key-secret) does not exist in eu-west-1 (account ${ACCOUNT}).`
    )
    expect(l.parameterAccount).toHaveBeenCalledWith('eu-west-1')
    expect(l.describeSharedParameter).not.toHaveBeenCalled()
  })

  it('warns, without claiming anything, when SSM shows no parameter of this account at all', async () => {
    const logger = recordingLogger()
    const l = lookups(
      async () => undefined,
      undefined,
      async () => undefined,
      async () => undefined
    )
    await verifySecret(ref(SHARED), 'us-east-1', l, logger)
    expect(logger.at('warning')).toEqual([
      expect.stringContaining(`belongs to account ${OTHER}, and this workflow's account could not be told from SSM`)
    ])
  })

  it('warns when the listing of shared parameters is refused for another reason than a denial', async () => {
    const logger = recordingLogger()
    const l = lookups(
      async () => undefined,
      undefined,
      async () => {
        throw new AwsCallError('AWS rejected ssm:DescribeParameters (ValidationException): no', undefined)
      }
    )
    await verifySecret(ref(SHARED), 'us-east-1', l, logger)
    expect(logger.at('warning')).toEqual([expect.stringContaining('cannot be verified from here')])
  })

  it('only warns when the role may not list shared parameters', async () => {
    const logger = recordingLogger()
    const l = lookups(
      async () => undefined,
      undefined,
      async () => {
        throw denied('ssm:DescribeParameters')
      }
    )
    await verifySecret(ref(SHARED), 'us-east-1', l, logger)
    expect(logger.at('warning')).toEqual([expect.stringContaining('may not call ssm:DescribeParameters')])
  })
})

describe('verifySecret, Secrets Manager', () => {
  it("describes the secret by its ARN without the json-key suffix, in the ARN's region", async () => {
    const logger = recordingLogger()
    const l = lookups()
    await verifySecret(ref(`${SM_ARN}:api_key::`), 'us-east-1', l, logger)
    expect(l.describeSecret).toHaveBeenCalledTimes(1)
    expect(l.describeSecret).toHaveBeenCalledWith(SM_ARN, 'eu-central-1')
    expect(l.describeParameter).not.toHaveBeenCalled()
    expect(logger.at('info')).toEqual([`Secret check: Secrets Manager secret ${SM_ARN} exists.`])
    expect(logger.at('warning')).toEqual([])
  })

  it('fails on a missing secret', async () => {
    const error = await userError(
      verifySecret(
        ref(SM_ARN),
        'us-east-1',
        lookups(undefined, async () => undefined),
        recordingLogger()
      )
    )
    expect(error.message).toBe(`The Secrets Manager secret ${SM_ARN} (api-key-secret) does not exist in eu-central-1.`)
    expect(error.hint).toContain('6-character suffix')
  })

  it('fails on a secret scheduled for deletion', async () => {
    const error = await userError(
      verifySecret(
        ref(SM_ARN),
        'us-east-1',
        lookups(undefined, async () => ({ deleted: true })),
        recordingLogger()
      )
    )
    expect(error.message).toContain('scheduled for deletion')
    expect(error.hint).toContain('restore-secret')
  })

  it('only warns when the role may not call secretsmanager:DescribeSecret', async () => {
    const logger = recordingLogger()
    await verifySecret(
      ref(SM_ARN),
      'us-east-1',
      lookups(undefined, async () => {
        throw denied('secretsmanager:DescribeSecret')
      }),
      logger
    )
    expect(logger.at('warning')).toHaveLength(1)
    expect(logger.at('warning')[0]).toContain('secretsmanager:DescribeSecret')
  })

  it('fails when the look-up fails for another reason than a denial', async () => {
    const timeout = new AwsCallError(
      'https://secretsmanager.eu-central-1.amazonaws.com (region eu-central-1) did not answer secretsmanager:DescribeSecret in time.',
      'Retry.'
    )
    const error = await userError(
      verifySecret(
        ref(SM_ARN),
        'us-east-1',
        lookups(undefined, async () => {
          throw timeout
        }),
        recordingLogger()
      )
    )
    expect(error).toBe(timeout)
  })
})
