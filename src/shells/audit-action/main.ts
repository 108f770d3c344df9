import * as core from '@actions/core'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fleetLookups } from '../../adapters/aws/fleet-lookups.js'
import type { AuditReport } from '../../core/audit/run-audit.js'
import { runAuditJob } from '../../core/jobs/audit-job.js'
import { renderAuditSummary } from '../../core/report/audit-summary.js'
import { actionsReporter } from '../github/reporter.js'

const TITLE = 'Datadog FireLens audit'
const REPORT_FILE = 'datadog-firelens-audit.json'

/** The audit action: its inputs and the runner's environment in, the audit job, the report out through @actions/core. */
export async function run(): Promise<void> {
  const code = await runAuditJob(
    { input: name => core.getInput(name), env: process.env },
    { lookups: fleetLookups, now: Date.now },
    actionsReporter<AuditReport>(TITLE, report)
  )
  if (code !== 0) process.exitCode = code
}

/** The JSON report in RUNNER_TEMP (its path the `report` output), and the job summary. */
async function report(input: AuditReport): Promise<void> {
  const file = join(process.env.RUNNER_TEMP || process.cwd(), REPORT_FILE)
  writeFileSync(file, `${JSON.stringify(input, null, 2)}\n`)
  core.setOutput('report', file)
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderAuditSummary(input)).write()
}
