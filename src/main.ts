import * as core from '@actions/core'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lazyAws, type AwsFacade } from './aws/facade.js'
import { apiBaseFromTemplate, validateApiKey } from './checks/api-key-check.js'
import { preflight } from './checks/preflight.js'
import { verifySecret } from './checks/secret-check.js'
import { formatConversions } from './checks/member-types.js'
import { findUnknownKeys, formatUnknownKey } from './checks/unknown-keys.js'
import { UserError } from './errors.js'
import { logOptionsSecrets, readConfig, secretInputNeedsMask, type ActionConfig } from './inputs.js'
import type { Logger } from './logger.js'
import { clearTextKeyValues } from './patch/clear-text-keys.js'
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

/** One run: inputs → load → patch → preflight → (secret check, register) → outputs and summary. */
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
    const arn = config.register ? await registerWithAws(taskDefinition, config, file, logger) : undefined
    core.setOutput('task-definition-arn', arn ?? '')

    await report(
      {
        family: taskDefinition.family,
        config: config.patch,
        changes: result.changes,
        warnings: logger.warnings,
        notices: result.notices,
        outputPath,
        arn
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

function requireRegion(): string {
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION
  if (!region) {
    throw new UserError(
      'No AWS region is set, so the task definition cannot be registered.',
      'Run aws-actions/configure-aws-credentials (with aws-region) before this step, or set AWS_REGION; or set register: false for a dry run.'
    )
  }
  return region
}

/** The only place that makes AWS calls; a dry run never gets here, so it loads no SDK code. */
async function registerWithAws(
  taskDefinition: TaskDefinition,
  config: ActionConfig,
  file: string,
  logger: Logger
): Promise<string> {
  const region = requireRegion()
  const aws: AwsFacade = lazyAws(region)
  aws.preloadRegistration()
  const ref = config.patch.apiKeySecret
  if (config.verifySecret) await verifySecret(ref, region, aws, logger)
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
  const arn = await aws.registerTaskDefinition(taskDefinition, file)
  logger.info(`Registered ${arn}`)
  return arn
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
