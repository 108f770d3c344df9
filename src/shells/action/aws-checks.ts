import * as core from '@actions/core'
import { lazyAws, type AwsFacade } from '../../adapters/aws/facade.js'
import { apiBaseFromTemplate, validateApiKey } from '../../core/checks/api-key-check.js'
import { checkRoles, type Finding, type KeyMetadata } from '../../core/checks/roles.js'
import { verifySecret } from '../../core/checks/secret-check.js'
import { MissingCredentialsError, UserError } from '../../core/errors.js'
import { fetchStatus } from '../../adapters/http/proxy.js'
import type { ActionConfig } from '../../core/inputs/patch-inputs.js'
import type { Logger } from '../../core/logger.js'
import type { SecretRef } from '../../core/secret-ref.js'
import type { TaskDefinition } from '../../core/definition/task-definition.js'

// The AWS half of a run of the main action: the checks whenever a region is set, then the registration if asked.
// Shell code (it masks the key it reads and reads the environment); the decisions are in src/checks/.

/** The AWS checks this run asks for, by input name. */
function requestedChecks(config: ActionConfig): string[] {
  return [
    ...(config.verifySecret ? ['verify-secret'] : []),
    ...(config.verifyRoles ? ['verify-roles'] : []),
    ...(config.validateApiKey ? ['validate-api-key'] : [])
  ]
}

const listed = (names: string[]): string =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '')

/**
 * The only place that makes AWS calls: the checks whenever a region is set (registering or not: `register: false`
 * only means "do not register"), then the registration if asked. Without a region nothing calls AWS and no SDK code
 * is loaded (the offline demo).
 */
export async function withAws(
  taskDefinition: TaskDefinition,
  config: ActionConfig,
  file: string,
  logger: Logger & { warnings: string[] }
): Promise<{ arn?: string; awsChecks?: string }> {
  const region = config.patch.region
  const checks = requestedChecks(config)
  if (!region) {
    if (config.register) {
      throw new UserError(
        'No AWS region is set, so the task definition cannot be registered.',
        'Run aws-actions/configure-aws-credentials (with aws-region) before this step, or set AWS_REGION; or set register: false to only write the patched file.'
      )
    }
    if (checks.length === 0) return {}
    logger.notice(
      `No AWS region is set (AWS_REGION or AWS_DEFAULT_REGION), so ${listed(checks)} did not run and no AWS API was called. Run aws-actions/configure-aws-credentials (with aws-region) before this step to run them.`,
      { title: 'AWS checks skipped' }
    )
    return { awsChecks: 'skipped: no AWS region' }
  }

  const aws: AwsFacade = lazyAws(region)
  if (config.register) aws.preloadRegistration()
  const warningsBefore = logger.warnings.length
  try {
    await runChecks(taskDefinition, config, region, aws, logger)
  } catch (error) {
    if (!(error instanceof MissingCredentialsError) || config.register) throw error
    logger.warning(
      `No AWS credentials were found, so ${listed(checks)} did not run. Going on, since this step does not register. Add aws-actions/configure-aws-credentials before this step to run them, or set them to false.`,
      { title: 'AWS checks skipped' }
    )
    return { awsChecks: 'skipped: no AWS credentials' }
  }
  const warnings = logger.warnings.length - warningsBefore
  const awsChecks =
    checks.length === 0
      ? undefined
      : `${checks.join(', ')}: ${warnings === 0 ? 'passed' : `passed with ${warnings} warning${warnings > 1 ? 's' : ''}`}`
  if (!config.register) return { awsChecks }
  const arn = await aws.registerTaskDefinition(taskDefinition, file)
  logger.info(`Registered ${arn}`)
  return { arn, awsChecks }
}

/**
 * verify-secret's look-up and verify-roles run concurrently (they share the one metadata look-up), then
 * validate-api-key. Every failure of both is reported, not just the first.
 */
async function runChecks(
  taskDefinition: TaskDefinition,
  config: ActionConfig,
  region: string,
  aws: AwsFacade,
  logger: Logger
): Promise<void> {
  const ref = config.patch.apiKeySecret
  const executionRoleArn = taskDefinition.executionRoleArn
  const taskRoleArn = typeof taskDefinition.taskRoleArn === 'string' ? taskDefinition.taskRoleArn : undefined
  const [secret, roles] = await Promise.allSettled([
    config.verifySecret ? verifySecret(ref, region, aws, logger) : Promise.resolve(),
    // preflight has refused a definition without an execution role.
    config.verifyRoles && executionRoleArn
      ? checkRoles(
          { executionRoleArn, taskRoleArn, ref, region, secretCheckRuns: config.verifySecret },
          {
            getRole: name => aws.getRole(name),
            simulate: (roleArn, action, resource) => aws.simulatePrincipalPolicy(roleArn, action, resource),
            keyMetadata: () => keyMetadata(ref, region, aws)
          }
        )
      : Promise.resolve([] as Finding[])
  ])
  const findings = roles.status === 'fulfilled' ? roles.value : []
  for (const finding of findings) {
    if (finding.level === 'info') logger.info(finding.message)
    if (finding.level === 'warning') logger.warning(finding.message, { title: finding.title ?? 'Role check' })
  }
  const failures = [secret, roles].flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []))
  // No credentials, or a bug, is reported as it is; the user's mistakes found by both checks together.
  const first = failures.find(f => f instanceof MissingCredentialsError || !(f instanceof UserError))
  if (first !== undefined) throw first instanceof Error ? first : new Error(JSON.stringify(first))
  const errors = [
    ...(failures as UserError[]),
    ...findings.filter(f => f.level === 'error').map(f => new UserError(f.message, f.hint))
  ]
  // Both checks share the metadata look-up, so its failure can reach both: say it once.
  const texts = [...new Set(errors.map(e => e.text))]
  const [only] = errors
  if (texts.length === 1 && only) throw only
  if (texts.length > 1) throw new UserError(texts.join('\n'))

  if (config.validateApiKey) {
    const key = await aws.readApiKey(ref)
    core.setSecret(key)
    await validateApiKey(
      key,
      config.patch.site,
      logger,
      fetchStatus,
      apiBaseFromTemplate(process.env.DATADOG_FIRELENS_API_URL_TEMPLATE)
    )
  }
}

/** The key's metadata for verify-roles, from the same (single) look-up verify-secret makes. */
async function keyMetadata(ref: SecretRef, region: string, aws: AwsFacade): Promise<KeyMetadata | undefined> {
  if (ref.kind === 'ssm') {
    const parameterRegion = ref.region ?? region
    const own = await aws.describeParameter(ref.name, parameterRegion)
    // An ARN of another account names a shared parameter, never this account's parameter of the same name.
    const parameter =
      !ref.account || own?.arn === ref.value
        ? own
        : await aws.describeSharedParameter(ref.value, ref.name, parameterRegion)
    return parameter && { arn: parameter.arn, kmsKeyId: parameter.keyId, type: parameter.type }
  }
  const secret = await aws.describeSecret(ref.secretId, ref.region)
  return secret && { arn: secret.arn, kmsKeyId: secret.kmsKeyId }
}
