import { formatFinding } from '../checks/finding.js'
import type { Site } from '../sites.js'
import { formatDuration } from '../duration.js'
import { revisionLabel, type RevisionFacts } from '../verify/revision-facts.js'
import { searchQuery, type WatchReport } from '../verify/watch.js'

export interface VerifySummaryInput {
  report: WatchReport
  revision: RevisionFacts
  site: Site
  where: string
  search: boolean
  logsUrl?: string
}

/** The job summary: what was checked (tasks, router log, search) and the result, in one short table. */
export function renderVerifySummary(input: VerifySummaryInput): string {
  const { report, revision, site } = input
  const outcome = report.outcome
  const failedAt = outcome.result === 'failed' ? outcome.why : undefined
  const rows: [string, string, string][] = []

  rows.push([
    'Tasks',
    `\`${revisionLabel(revision)}\` in ${input.where}: ${report.tasksSeen} seen, ${report.running} running`,
    failedAt === 'stopped'
      ? '❌ tasks stopped'
      : failedAt === 'no-task'
        ? '❌ none running'
        : report.task
          ? `✅ ${report.task.id}`
          : '—'
  ])

  const router = report.router
  rows.push(
    router.state === 'read'
      ? [
          'Router log',
          `\`${router.group}\`: ${router.streams.length} stream${router.streams.length === 1 ? '' : 's'}, ${router.lines} line${router.lines === 1 ? '' : 's'}`,
          failedAt === 'router-errors'
            ? '❌ delivery errors'
            : router.streams.length === 0
              ? '⚠️ no stream read'
              : '✅ no delivery error'
        ]
      : ['Router log', `not in CloudWatch (log driver ${router.driver})`, '⚠️ not checked']
  )

  rows.push(
    input.search
      ? [
          'Datadog search',
          `\`${searchQuery(revision)}\` on ${site.code}, ${report.searches} search${report.searches === 1 ? '' : 'es'}${report.throttled ? `, ${report.throttled} throttled (HTTP 429)` : ''}`,
          outcome.result === 'delivered'
            ? `✅ found${outcome.record.timestamp ? ` (${outcome.record.timestamp})` : ''}`
            : failedAt === 'not-found'
              ? '❌ nothing found'
              : failedAt === 'search-refused'
                ? '❌ refused'
                : failedAt === 'search-throttled'
                  ? '⚠️ throttled: did not run'
                  : '—'
        ]
      : ['Datadog search', 'skipped: no `application-key-secret`', '—']
  )

  const lines = [
    `### Datadog FireLens verify: ${outcome.result === 'failed' ? 'failed' : `\`${outcome.result}\``}`,
    '',
    '| Check | What | Result |',
    '| --- | --- | --- |',
    ...rows.map(r => `| ${r.map(cell).join(' | ')} |`),
    '',
    `Checked for ${formatDuration(report.elapsedMs)}.${input.logsUrl ? ` [Open these logs in Datadog](${input.logsUrl})` : ''}`
  ]
  if (outcome.result === 'failed') {
    lines.push('', ...outcome.findings.map(f => `- ${formatFinding(f).replace(/\n/g, '<br>')}`))
  }
  if (report.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...report.warnings.map(w => `- ${w.message}`))
  }
  return `${lines.join('\n')}\n`
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
