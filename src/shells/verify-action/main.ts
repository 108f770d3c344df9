import * as core from '@actions/core'
import { lazyVerifyAws } from '../../adapters/aws/verify-facade.js'
import { searchLogs } from '../../adapters/datadog/logs-search.js'
import { fetchStatus, fetchText } from '../../adapters/http/proxy.js'
import { runVerifyJob, type VerifyReport } from '../../core/jobs/verify-job.js'
import { renderVerifySummary } from '../../core/report/verify-summary.js'
import { actionsReporter } from '../github/reporter.js'

const TITLE = 'Datadog FireLens verify'

/** The verify action: its inputs and the runner's environment in, the verify job, the report out through @actions/core. */
export async function run(): Promise<void> {
  const code = await runVerifyJob(
    { input: name => core.getInput(name), env: process.env },
    {
      aws: lazyVerifyAws(),
      searchLogs: request => searchLogs(request, fetchText),
      fetchStatus,
      clock: { now: Date.now, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)) }
    },
    actionsReporter<VerifyReport>(TITLE, report)
  )
  if (code !== 0) process.exitCode = code
}

/** The job summary, when the runner gives a file for it. */
async function report(input: VerifyReport): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderVerifySummary(input)).write()
}
