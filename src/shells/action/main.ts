import * as core from '@actions/core'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { lazyAws } from '../../adapters/aws/facade.js'
import { fetchStatus } from '../../adapters/http/proxy.js'
import { UserError } from '../../core/errors.js'
import { runPatchJob, type PatchReport } from '../../core/jobs/patch-job.js'
import { registration, renderFailureSummary, renderLog, renderSummary } from '../../core/report/patch-summary.js'
import type { TaskDefinition } from '../../core/definition/task-definition.js'
import { actionsReporter } from '../github/reporter.js'

const TITLE = 'Datadog FireLens'

/** The main action: its inputs and the runner's environment in, the patch job, the report out through @actions/core. */
export async function run(): Promise<void> {
  const reporter = actionsReporter<PatchReport>(TITLE, report)
  const code = await runPatchJob(
    { input: name => core.getInput(name), env: process.env },
    {
      readFile: path => readFile(path, 'utf8'),
      workingDirectory,
      writeOutput,
      aws: region => lazyAws(region),
      fetchStatus
    },
    reporter
  )
  if (code !== 0) process.exitCode = code
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
async function writeOutput(taskDefinition: TaskDefinition, text: string): Promise<string> {
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
    await writeFile(path, text)
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
 * The log and the job summary, after the outputs are set. A summary that cannot be written only warns: the work is
 * done (and after a registration, failing would invite a re-run that registers another revision).
 */
async function report(outcome: PatchReport): Promise<void> {
  if (outcome.failed) {
    // The errors are annotations already; the summary says them again with their fixes, where a reviewer looks.
    const summaryFile = process.env.GITHUB_STEP_SUMMARY
    if (!summaryFile) return
    try {
      await core.summary.addRaw(renderFailureSummary(outcome.failed)).write()
    } catch (error) {
      core.debug(`Could not write the job summary: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
    return
  }
  const { run, printable } = outcome
  core.startGroup(`${TITLE}: ${registration(run).replace(/`/g, '')} (${run.changes.length} containers)`)
  for (const line of renderLog(run)) core.info(line)
  core.endGroup()
  if (!run.arn) {
    core.startGroup('Patched task definition')
    core.info(printable)
    core.endGroup()
  }
  const summaryFile = process.env.GITHUB_STEP_SUMMARY
  if (!summaryFile) return
  try {
    await core.summary.addRaw(renderSummary(run)).write()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    core.warning(
      `Could not write the job summary to GITHUB_STEP_SUMMARY (${summaryFile})${code ? `: ${code}` : ''}. ${run.arn ? `The task definition was registered (${run.arn}) and` : 'The patched task definition was written and'} the step outputs are set; only the summary is missing.`,
      { title: 'Job summary not written' }
    )
  }
}
