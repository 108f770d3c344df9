import { intakeHost } from '../../core/sites.js'
import { revisionLabel } from '../../core/verify/revision-facts.js'
import type { PatchReport } from '../../core/jobs/patch-job.js'
import type { VerifyReport } from '../../core/jobs/verify-job.js'
import type { Out } from './command.js'
import type { CliFinding } from './terminal.js'

/** What --json prints for every command: the exit code, the outputs and findings, and the command's own report. */
interface JsonReport {
  command: string
  exitCode: number
  outputs: Record<string, string>
  findings: CliFinding[]
  report: unknown
}

/** One JSON document on stdout, masked like every other line. */
export function printJson(stdout: Out, reporter: { redact(text: string): string }, report: JsonReport): void {
  stdout.write(`${reporter.redact(JSON.stringify(report, null, 2))}\n`)
}

/** patch --json: what the job summary shows (site, key, registration, AWS checks, changes, warnings), as data. */
export function patchJson(
  exitCode: number,
  reporter: { findings: CliFinding[]; outputs: Record<string, string> },
  report: PatchReport | undefined,
  changed: boolean | undefined
): JsonReport {
  const run = report?.run
  return {
    command: 'patch',
    exitCode,
    outputs: reporter.outputs,
    findings: reporter.findings,
    report: run
      ? {
          family: run.family,
          site: run.config.site.code,
          intake: intakeHost(run.config.site),
          apiKeySecret: run.config.apiKeySecret.value,
          registered: run.arn ?? null,
          awsChecks: run.awsChecks ?? null,
          patchedFile: run.outputPath,
          ...(changed !== undefined ? { changed } : {}),
          changes: run.changes,
          warnings: run.warnings,
          notices: run.notices ?? []
        }
      : null
  }
}

/** verify --json: the result and what the watch saw (the job summary's table, as data). */
export function verifyJson(
  exitCode: number,
  reporter: { findings: CliFinding[]; outputs: Record<string, string> },
  input: VerifyReport | undefined
): JsonReport {
  const report = input?.report
  return {
    command: 'verify',
    exitCode,
    outputs: reporter.outputs,
    findings: reporter.findings,
    report:
      input && report
        ? {
            result: report.outcome.result,
            ...(report.outcome.result === 'failed'
              ? { why: report.outcome.why, findings: report.outcome.findings }
              : {}),
            ...(report.outcome.result === 'delivered' ? { record: report.outcome.record } : {}),
            revision: revisionLabel(input.revision),
            where: input.where,
            site: input.site.code,
            search: input.search,
            task: report.task?.arn ?? null,
            tasksSeen: report.tasksSeen,
            running: report.running,
            router: report.router,
            searches: report.searches,
            warnings: report.warnings,
            elapsedMs: report.elapsedMs,
            logsUrl: input.logsUrl ?? null
          }
        : null
  }
}
