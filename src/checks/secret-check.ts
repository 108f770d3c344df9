import { AwsCallError, UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import type { SecretRef } from '../secret-ref.js'

/**
 * Metadata look-ups, passed in so this logic is tested without the SDK; the shell backs them with the lazy AWS
 * facade, whose failures are AwsCallErrors already naming the endpoint and the IAM action.
 */
export interface SecretLookups {
  describeParameter(name: string, region: string): Promise<{ type?: string } | undefined>
  describeSecret(secretId: string, region: string): Promise<{ deleted: boolean } | undefined>
}

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
    const region = ref.region ?? taskRegion
    const action = 'ssm:DescribeParameters'
    try {
      const found = await lookups.describeParameter(ref.name, region)
      if (!found) {
        throw new UserError(
          `The SSM parameter "${ref.name}" (api-key-secret) does not exist in ${region}.`,
          ref.region
            ? 'Check the ARN (account, region, name).'
            : `A parameter name is looked up in the task's region (${region}); for a parameter in another region pass its full ARN (arn:aws:ssm:<region>:<account>:parameter/…), and for a Secrets Manager secret its full ARN.`
        )
      }
      if (found.type && found.type !== 'SecureString') {
        logger.warning(
          `The SSM parameter "${ref.name}" is a ${found.type}, stored unencrypted; store the API key as a SecureString.`,
          { title: 'API key not encrypted' }
        )
      }
      logger.info(`Secret check: SSM parameter ${ref.name} exists in ${region}.`)
    } catch (error) {
      warnIfDenied(error, action, logger)
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

/** A missing permission for the check itself only warns; anything else fails the step. */
function warnIfDenied(error: unknown, action: string, logger: Logger): void {
  if (!(error instanceof AwsCallError && error.accessDenied)) throw error
  logger.warning(
    `Could not check that the API key secret exists: this workflow's role may not call ${action}. Going on; grant ${action} to enable the check, or set verify-secret: false.`,
    { title: 'Secret not verified' }
  )
}
