import * as core from '@actions/core'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lazyAws, type AwsFacade } from './aws/facade.js'
import { apiBaseFromTemplate, validateApiKey } from './checks/api-key-check.js'
import { preflight } from './checks/preflight.js'
import { checkRoles, type Finding, type KeyMetadata } from './checks/roles.js'
import { verifySecret } from './checks/secret-check.js'
import { formatConversions } from './checks/member-types.js'
import { findUnknownKeys, formatUnknownKey } from './checks/unknown-keys.js'
import { MissingCredentialsError, UserError } from './errors.js'
import { logOptionsSecrets, readConfig, secretInputNeedsMask, type ActionConfig } from './inputs.js'
import type { Logger } from './logger.js'
import { clearTextKeyValues } from './patch/clear-text-keys.js'
import type { SecretRef } from './secret-ref.js'
import { patchTaskDefinition } from './patch/patch-task-definition.js'
import { renderLog, renderSummary, type RunReport } from './summary.js'
import {
  needsYamlParser,
  parseTaskDefinition,
  serializeTaskDefinition,
  type TaskDefinition
} from './task-definition.js'

const TITLE = 'Datadog FireLens'

/** The logger backed by @actions/core; every warning is kept for the job summary too. */
function actionsLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return {
    warnings,
    info: message => core.info(message),
    debug: message => core.debug(message),
    notice: (message, props) => core.notice(message, { title: TITLE, ...props }),
    warning: (message, props) => {
      warnings.push(message)
      core.warning(message, { title: TITLE, ...props })
    }
  }
}

/** One run: inputs → load → patch → preflight → AWS checks (with a region), register (if asked) → outputs, summary. */
export async function run(): Promise<void> {
  const logger = actionsLogger()
  try {
    // A key pasted where its reference belongs, or among the options, must be masked before anything can print it.
    const secretInput = core.getInput('api-key-secret').trim()
    if (secretInput !== '' && secretInputNeedsMask(secretInput)) core.setSecret(secretInput)
    for (const key of logOptionsSecrets(core.getInput('log-options'))) core.setSecret(key)

    const config = readConfig(name => core.getInput(name), process.env)
    for (const warning of config.warnings) logger.warning(warning)
    const file = config.taskDefinitionPath

    const text = await readTaskDefinitionFile(file)
    const yaml = needsYamlParser(text) ? (await import('yaml')).parseDocument : undefined
    const loaded = parseTaskDefinition(text, file, yaml)
    // A Datadog key written in clear text in the file is masked before any line (a warning, the dry run's copy of
    // the definition) can show it.
    const clearTextKeys = clearTextKeyValues(loaded.taskDefinition)
    for (const value of clearTextKeys) core.setSecret(value)
    if (loaded.stripped.length > 0)
      logger.info(`Removed read-only keys ECS does not accept on registration: ${loaded.stripped.join(', ')}.`)
    if (loaded.conversions.length > 0) logger.notice(formatConversions(loaded.conversions), { file })
    const result = patchTaskDefinition(loaded.taskDefinition, config.patch)
    const taskDefinition = result.taskDefinition
    preflight(taskDefinition, file, loaded.taskDefinition)
    for (const unknown of findUnknownKeys(taskDefinition))
      logger.warning(formatUnknownKey(unknown), { title: 'Unknown task definition key', file })
    for (const warning of result.warnings) logger.warning(warning, { file })
    for (const notice of result.notices) logger.notice(notice, { file })
    for (const change of result.changes) {
      if (change.action === 're-routed') logger.notice(`${change.container} re-routed: ${change.detail}.`, { file })
    }

    const outputPath = await writeOutput(taskDefinition)
    core.setOutput('task-definition', outputPath)
    const { arn, awsChecks } = await withAws(taskDefinition, config, file, logger)
    core.setOutput('task-definition-arn', arn ?? '')

    await report(
      {
        family: taskDefinition.family,
        config: config.patch,
        changes: result.changes,
        warnings: logger.warnings,
        notices: result.notices,
        outputPath,
        arn,
        awsChecks
      },
      taskDefinition,
      clearTextKeys
    )
  } catch (error) {
    if (error instanceof UserError) {
      core.error(error.text, { title: TITLE, file: error.file })
      process.exitCode = 1
      return
    }
    core.debug(error instanceof Error ? (error.stack ?? error.message) : String(error))
    core.setFailed(
      `Unexpected error (a bug in datadog-firelens-action, please report it): ${error instanceof Error ? error.message : String(error)}`
    )
  }
}

async function readTaskDefinitionFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`
    throw new UserError(
      `The task definition file ${file} ${reason} (working directory ${process.cwd()}).`,
      'Set `task-definition` to the file path, e.g. the `task-definition` output of amazon-ecs-render-task-definition, or a path relative to the repository root after actions/checkout.'
    )
  }
}

/** Written under RUNNER_TEMP in a fresh folder: never over the input, never over another step's output. */
async function writeOutput(taskDefinition: TaskDefinition): Promise<string> {
  const folder = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'datadog-firelens-'))
  const path = join(folder, `${taskDefinition.family}.json`)
  await writeFile(path, serializeTaskDefinition(taskDefinition))
  return path
}

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
async function withAws(
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
      fetch,
      apiBaseFromTemplate(process.env.DATADOG_FIRELENS_API_URL_TEMPLATE)
    )
  }
}

/** The key's metadata for verify-roles, from the same (single) look-up verify-secret makes. */
async function keyMetadata(ref: SecretRef, region: string, aws: AwsFacade): Promise<KeyMetadata | undefined> {
  if (ref.kind === 'ssm') {
    const parameter = await aws.describeParameter(ref.name, ref.region ?? region)
    return parameter && { arn: parameter.arn, kmsKeyId: parameter.keyId, type: parameter.type }
  }
  const secret = await aws.describeSecret(ref.secretId, ref.region)
  return secret && { arn: secret.arn, kmsKeyId: secret.kmsKeyId }
}

async function report(runReport: RunReport, taskDefinition: TaskDefinition, secrets: string[]): Promise<void> {
  core.startGroup(`${TITLE}: ${runReport.arn ? 'registered' : 'dry run'} (${runReport.changes.length} containers)`)
  for (const line of renderLog(runReport)) core.info(line)
  core.endGroup()
  if (!runReport.arn) {
    core.startGroup('Patched task definition')
    core.info(redact(serializeTaskDefinition(taskDefinition).trimEnd(), secrets))
    core.endGroup()
  }
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderSummary(runReport)).write()
}

/**
 * The runner masks registered secrets, but only as written: a key JSON-escaped in the printed definition would slip
 * through. The dry-run copy replaces both forms itself.
 */
function redact(text: string, secrets: string[]): string {
  let redacted = text
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
      redacted = redacted.split(form).join('***')
  }
  return redacted
}
