import * as core from '@actions/core'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { withAws } from './aws-checks.js'
import { formatConversions } from '../../core/definition/member-types.js'
import { preflight } from '../../core/checks/preflight.js'
import { findUnknownKeys, formatUnknownKey } from '../../core/definition/unknown-keys.js'
import { UserError } from '../../core/errors.js'
import { logOptionsSecrets, readConfig, secretInputNeedsMask } from '../../core/inputs/patch-inputs.js'
import type { Logger } from '../../core/logger.js'
import { clearTextKeyValues } from '../../core/patch/clear-text-keys.js'
import { patchTaskDefinition } from '../../core/patch/patch-task-definition.js'
import { renderLog, renderSummary, type RunReport } from '../../core/report/patch-summary.js'
import {
  needsYamlParser,
  parseTaskDefinition,
  serializeTaskDefinition,
  type TaskDefinition
} from '../../core/definition/task-definition.js'

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
    setOutput('task-definition', outputPath)
    const { arn, awsChecks } = await withAws(taskDefinition, config, file, logger)
    setOutput('task-definition-arn', arn ?? '', arn)

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
      clearTextKeys,
      logger
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
      `The task definition file ${file} ${reason} (working directory ${workingDirectory()}).`,
      'Set `task-definition` to the file path, e.g. the `task-definition` output of amazon-ecs-render-task-definition, or a path relative to the repository root after actions/checkout.'
    )
  }
}

/** For messages only: process.cwd() throws when the working directory was deleted under the process. */
function workingDirectory(): string {
  try {
    return process.cwd()
  } catch {
    return 'unknown: it was removed'
  }
}

/**
 * Written under RUNNER_TEMP in a fresh folder: never over the input, never over another step's output. It happens
 * before anything is registered, so a runner without a usable RUNNER_TEMP fails the step with nothing registered.
 */
async function writeOutput(taskDefinition: TaskDefinition): Promise<string> {
  const runnerTemp = process.env.RUNNER_TEMP
  if (!runnerTemp?.trim()) {
    throw new UserError(
      'RUNNER_TEMP is not set, so the patched task definition has nowhere to be written (the `task-definition` output is a file under it).',
      'GitHub runners set RUNNER_TEMP; when running the action elsewhere (a container job that clears the environment, act, a script), set RUNNER_TEMP to a writable folder.'
    )
  }
  let step = 'create a folder in'
  try {
    const folder = await mkdtemp(join(runnerTemp, 'datadog-firelens-'))
    const path = join(folder, `${taskDefinition.family}.json`)
    step = 'write'
    await writeFile(path, serializeTaskDefinition(taskDefinition))
    return path
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new UserError(
      `Could not ${step} RUNNER_TEMP (${runnerTemp}) to write the patched task definition: ${code}${FS_REASONS[code] ? ` (${FS_REASONS[code]})` : ''}. Nothing was registered.`,
      "RUNNER_TEMP must be a writable folder: on a self-hosted runner check the runner's work folder (its _temp) and its free space; a container job must mount it."
    )
  }
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'it is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded'
}

/**
 * A step output, written to GITHUB_OUTPUT by @actions/core. A runner file that cannot be written is the runner's
 * problem, said as such, with the registered ARN when there is one (a re-run would register another revision).
 */
function setOutput(name: string, value: string, registered?: string): void {
  try {
    core.setOutput(name, value)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
    throw new UserError(
      `Could not write the step output \`${name}\` to GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT ?? 'not set'}): ${code}.${registered ? ` The task definition was registered: ${registered}.` : ''}`,
      "GITHUB_OUTPUT is the runner's file for step outputs: check the runner's work folder (writable, not full)."
    )
  }
}

/**
 * The log and the job summary, after the outputs are set. A summary that cannot be written only warns: the work is
 * done (and after a registration, failing would invite a re-run that registers another revision).
 */
async function report(
  runReport: RunReport,
  taskDefinition: TaskDefinition,
  secrets: string[],
  logger: Logger
): Promise<void> {
  core.startGroup(`${TITLE}: ${runReport.arn ? 'registered' : 'dry run'} (${runReport.changes.length} containers)`)
  for (const line of renderLog(runReport)) core.info(line)
  core.endGroup()
  if (!runReport.arn) {
    core.startGroup('Patched task definition')
    core.info(redact(serializeTaskDefinition(taskDefinition).trimEnd(), secrets))
    core.endGroup()
  }
  const summaryFile = process.env.GITHUB_STEP_SUMMARY
  if (!summaryFile) return
  try {
    await core.summary.addRaw(renderSummary(runReport)).write()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    logger.warning(
      `Could not write the job summary to GITHUB_STEP_SUMMARY (${summaryFile})${code ? `: ${code}` : ''}. ${runReport.arn ? `The task definition was registered (${runReport.arn}) and` : 'The patched task definition was written and'} the step outputs are set; only the summary is missing.`,
      { title: 'Job summary not written' }
    )
  }
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
