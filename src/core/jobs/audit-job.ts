import type { AuditLookups, AuditProgress, AuditReport } from '../audit/run-audit.js'
import { runAudit } from '../audit/run-audit.js'
import { formatDuration } from '../duration.js'
import { UserError } from '../errors.js'
import { readAuditConfig } from '../inputs/audit-inputs.js'
import { auditTotals, renderAuditLog } from '../report/audit-summary.js'
import { unexpectedError, type ExitCode, type Reporter } from './reporter.js'

/** The audit's inputs as plain data: the inputs by name (as audit/action.yml names them), the environment. */
export interface AuditJobInput {
  input: (name: string) => string
  env: { AWS_REGION?: string; AWS_DEFAULT_REGION?: string }
}

/** The I/O the job needs, passed in by the shell. */
export interface AuditJobDeps {
  /** The read-only look-ups in a region, every call stopped once `signal` is aborted (the deadline). */
  lookups: (region: string, signal: AbortSignal) => AuditLookups
  now: () => number
}

// A progress line at least this often, whatever the calls do (a scheduled run's log must show it is alive).
const PROGRESS_EVERY_MS = 10_000

export function progressLine(state: Readonly<AuditProgress>, elapsedMs: number): string {
  const logs = state.routerLogs > 0 ? `, router logs ${state.routerLogsRead}/${state.routerLogs} read` : ''
  return `[${formatDuration(elapsedMs)}] clusters ${state.clustersListed}/${state.clusters} listed, ${state.services} services, revisions ${state.revisionsDescribed}/${state.revisions} described${logs}`
}

/**
 * The fleet audit as a job: inputs → the audit (read-only, bounded by `timeout`) → a line per finding, the outputs
 * (result, errors, warnings, services) and the report (the shell's job summary, JSON file or --json). Exit 1 per
 * `fail-on`, or for bad input.
 */
export async function runAuditJob(
  { input, env }: AuditJobInput,
  deps: AuditJobDeps,
  reporter: Reporter<AuditReport>
): Promise<ExitCode> {
  let ticker: NodeJS.Timeout | undefined
  let deadline: NodeJS.Timeout | undefined
  try {
    const config = readAuditConfig(input, env)
    const started = deps.now()
    const abort = new AbortController()
    deadline = setTimeout(() => abort.abort(new Error('the audit deadline was reached')), config.timeoutMs)
    deadline.unref()
    let state: Readonly<AuditProgress> | undefined
    ticker = setInterval(() => {
      if (state) reporter.info(progressLine(state, deps.now() - started))
    }, PROGRESS_EVERY_MS)
    ticker.unref()

    const report = await runAudit(config, {
      lookups: deps.lookups(config.region, abort.signal),
      signal: abort.signal,
      now: deps.now,
      progress: (now, line) => {
        state = now
        if (line) reporter.info(line)
      }
    })
    clearInterval(ticker)

    for (const line of renderAuditLog(report)) reporter.info(line)
    reporter.output('result', report.failed ? 'failed' : 'passed')
    reporter.output('errors', String(report.totals.errors))
    reporter.output('warnings', String(report.totals.warnings))
    reporter.output('services', String(report.totals.services))
    await reporter.report(report)

    const partial = report.complete ? '' : ` Partial: not seen: ${report.notSeen.join('; ')}.`
    if (report.failed) {
      reporter.error(`${auditTotals(report)}${partial} (fail-on: ${config.failOn})`)
      return 1
    }
    if (report.totals.errors + report.totals.warnings > 0 || !report.complete) {
      reporter.warning(`${auditTotals(report)}${partial}`)
    } else reporter.notice(auditTotals(report))
    return 0
  } catch (error) {
    if (error instanceof UserError) {
      reporter.error(error.text)
      return 1
    }
    const bug = unexpectedError(error)
    reporter.debug(bug.stack)
    reporter.bug(bug.message)
    return 1
  } finally {
    if (ticker) clearInterval(ticker)
    if (deadline) clearTimeout(deadline)
  }
}
