import { AwsCallError, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { SecretRef } from '../secret-ref.js'

/** What SSM tells about a parameter, never its value. */
export interface ParameterFacts {
  type?: string
  /** Its full ARN: the account in it is the one SSM found it in. */
  arn?: string
}

/**
 * Metadata look-ups, passed in so this logic is tested without the SDK; the shell backs them with the lazy AWS
 * facade, whose failures are AwsCallErrors already naming the endpoint and the IAM action.
 */
export interface SecretLookups {
  /** This account's parameter of that name (DescribeParameters), or undefined. */
  describeParameter(name: string, region: string): Promise<ParameterFacts | undefined>
  /** A parameter another account shares with this one (AWS RAM): DescribeParameters with Shared, matched by ARN. */
  describeSharedParameter(arn: string, name: string, region: string): Promise<ParameterFacts | undefined>
  /** The account the workflow's calls run in, as SSM shows it (the ARN of any of its parameters), or undefined. */
  parameterAccount(region: string): Promise<string | undefined>
  describeSecret(secretId: string, region: string): Promise<{ deleted: boolean } | undefined>
}

type SsmRef = Extract<SecretRef, { kind: 'ssm' }>

/** The account of an ARN (its fifth field), or undefined. */
const accountOf = (arn: string | undefined): string | undefined => arn?.split(':')[4] || undefined

/**
 * Checks that the secret holding the API key exists, without reading it, so a typo fails here and not as
 * "unable to pull secrets" when a task starts. A missing permission for the check itself only warns.
 */
export async function verifySecret(
  ref: SecretRef,
  taskRegion: string,
  lookups: SecretLookups,
  logger: Logger
): Promise<void> {
  if (ref.kind === 'ssm') {
    try {
      await verifyParameter(ref, ref.region ?? taskRegion, lookups, logger)
    } catch (error) {
      warnIfDenied(error, 'ssm:DescribeParameters', logger)
    }
    return
  }
  const action = 'secretsmanager:DescribeSecret'
  try {
    const found = await lookups.describeSecret(ref.secretId, ref.region)
    if (!found) {
      throw new UserError(
        `The Secrets Manager secret ${ref.secretId} (api-key-secret) does not exist in ${ref.region}.`,
        "Check the ARN: copy it from the secret's page in the console, including the 6-character suffix."
      )
    }
    if (found.deleted) {
      throw new UserError(
        `The Secrets Manager secret ${ref.secretId} is scheduled for deletion.`,
        'Restore it (aws secretsmanager restore-secret) or point api-key-secret at another secret.'
      )
    }
    logger.info(`Secret check: Secrets Manager secret ${ref.secretId} exists.`)
  } catch (error) {
    warnIfDenied(error, action, logger)
  }
}

/**
 * A name is this account's parameter. An ARN names its account too, and the parameter must be found in that very
 * account: this one's (DescribeParameters), or one that shares it with this one (DescribeParameters with Shared). A
 * parameter of the same name in this account proves nothing about another account's. "Does not exist" is said only
 * when the ARN's account is known to be this one; otherwise what cannot be seen from here is a warning.
 */
async function verifyParameter(ref: SsmRef, region: string, lookups: SecretLookups, logger: Logger): Promise<void> {
  const own = await lookups.describeParameter(ref.name, region)
  if (!ref.account) {
    if (!own) throw parameterNotFound(ref, region)
    return parameterFound(ref, own, `exists in ${region}`, logger)
  }
  // The account SSM answered from: in the found parameter's ARN, else from any parameter of this account.
  const account = accountOf(own?.arn) ?? (await lookups.parameterAccount(region))
  if (account === ref.account) {
    if (!own) throw parameterNotFound(ref, region)
    return parameterFound(ref, own, `exists in ${region}`, logger)
  }
  // Another account's, or this account unknown: it may be a parameter another account shares with this one.
  let shared: ParameterFacts | undefined
  try {
    shared = await lookups.describeSharedParameter(ref.value, ref.name, region)
  } catch (error) {
    // A refusal of the Shared listing must not fail a parameter that may well be readable by the task.
    if (!(error instanceof AwsCallError) || error.accessDenied) throw error
    logger.debug(`Secret check: listing the parameters shared with this account failed: ${error.message}`)
  }
  if (shared) return parameterFound(ref, shared, `is shared with this account by ${ref.account}`, logger)

  const whose = account
    ? `account ${ref.account}, not to this workflow's account ${account}`
    : `account ${ref.account}, and this workflow's account could not be told from SSM`
  const sameName = own ? ` (this account has a parameter of the same name, but the task reads ${ref.account}'s)` : ''
  logger.warning(
    `The SSM parameter ${ref.value} (api-key-secret) belongs to ${whose}, and it is not among the parameters shared with this account${sameName}, so whether it exists cannot be verified from here. Going on. ECS reads it with the task execution role when a task starts: share it with this account through AWS RAM (an advanced-tier parameter, with its KMS key), and allow the execution role ssm:GetParameters on it; or set verify-secret: false.`,
    { title: 'Secret not verified' }
  )
}

function parameterFound(ref: SsmRef, found: ParameterFacts, where: string, logger: Logger): void {
  const label = ref.account ? ref.value : `"${ref.name}"`
  if (found.type && found.type !== 'SecureString') {
    logger.warning(
      `The SSM parameter ${label} is a ${found.type}, stored unencrypted; store the API key as a SecureString.`,
      { title: 'API key not encrypted' }
    )
  }
  logger.info(`Secret check: SSM parameter ${ref.account ? ref.value : ref.name} ${where}.`)
}

function parameterNotFound(ref: SsmRef, region: string): UserError {
  return new UserError(
    `The SSM parameter "${ref.name}" (api-key-secret) does not exist in ${region}${ref.account ? ` (account ${ref.account})` : ''}.`,
    ref.region
      ? 'Check the ARN (account, region, name).'
      : `A parameter name is looked up in the task's region (${region}); for a parameter in another region pass its full ARN (arn:aws:ssm:<region>:<account>:parameter/…), and for a Secrets Manager secret its full ARN.`
  )
}

/** A missing permission for the check itself only warns; anything else fails the step. */
function warnIfDenied(error: unknown, action: string, logger: Logger): void {
  if (!(error instanceof AwsCallError && error.accessDenied)) throw error
  logger.warning(
    `Could not check that the API key secret exists: this workflow's role may not call ${action}. Going on; grant ${action} to enable the check, or set verify-secret: false.`,
    { title: 'Secret not verified' }
  )
}
