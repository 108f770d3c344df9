import type { AuditFinding } from '../audit/audit-finding.js'
import type { AuditReport, ClusterReport, ServiceReport } from '../audit/run-audit.js'
import { formatDuration } from '../duration.js'
import { codeSpan, markdown } from './patch-summary.js'

const STATUS_MARK: Record<ServiceReport['status'], string> = {
  ok: '✅ ok',
  warning: '⚠️ warning',
  error: '❌ error',
  'not-audited': '⛔ not audited'
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** One line of totals, for the summary's head and the log's last line. */
export function auditTotals(report: AuditReport): string {
  const t = report.totals
  const all = report.clusters.flatMap(c => c.services)
  const withErrors = all.filter(s => s.status === 'error').length
  const notAudited = all.filter(s => s.status === 'not-audited').length
  const unseen = notAudited > 0 ? `, ${plural(notAudited, 'service')} not audited` : ''
  return `${plural(t.services, 'service')} in ${plural(t.clusters, 'cluster')} (${plural(t.revisions, 'distinct revision')}): ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}; ${plural(withErrors, 'service')} with errors${unseen}. ${formatDuration(report.elapsedMs)}.`
}

function findingCell(f: AuditFinding): string {
  return `**${f.severity}** ${codeSpan(f.kind, true)}: ${markdown(f.message, true)}`
}

function clusterTable(cluster: ClusterReport): string[] {
  const lines = [`#### Cluster ${codeSpan(cluster.name)}: ${STATUS_MARK[cluster.status]}`, '']
  for (const f of cluster.findings) lines.push(`- ${findingCell(f)} ${markdown(f.fix)}`)
  if (cluster.findings.length > 0) lines.push('')
  if (cluster.services.length === 0) {
    if (cluster.findings.length === 0) lines.push('No service matched.', '')
    return lines
  }
  lines.push('| Service | Revision | Status | Findings |', '|---|---|---|---|')
  for (const s of cluster.services) {
    const findings = s.findings.map(findingCell).join('<br>') || '–'
    lines.push(
      `| ${codeSpan(s.name, true)} | ${s.revision ? codeSpan(s.revision, true) : '–'} | ${STATUS_MARK[s.status]} | ${findings} |`
    )
  }
  lines.push('')
  return lines
}

/** Markdown for $GITHUB_STEP_SUMMARY: totals, what was not seen, a table per cluster, the fixes, the fix plan. */
export function renderAuditSummary(report: AuditReport): string {
  const lines = [
    `### Datadog FireLens audit: ${report.region}, site ${report.site}`,
    '',
    markdown(auditTotals(report)),
    ''
  ]
  if (!report.complete) {
    lines.push('**Partial audit: not seen**', '', ...report.notSeen.map(n => `- ${markdown(n)}`), '')
  }
  for (const f of report.findings) lines.push(`- ${findingCell(f)} ${markdown(f.fix)}`, '')
  for (const cluster of report.clusters) lines.push(...clusterTable(cluster))

  // Each fix once, by kind: a fleet repeats the same few mistakes.
  const fixes = new Map<string, string>()
  for (const f of report.clusters.flatMap(c => c.services.flatMap(s => s.findings))) {
    if (!fixes.has(f.kind)) fixes.set(f.kind, f.fix)
  }
  if (fixes.size > 0) {
    lines.push('**How to fix**', '', ...[...fixes].map(([kind, fix]) => `- ${codeSpan(kind)}: ${markdown(fix)}`), '')
  }
  if (report.fixPlans && report.fixPlans.length > 0) {
    lines.push('**Fix plan: what the main action would change in each revision**', '')
    for (const { revision, plan } of report.fixPlans) {
      if (plan.kind === 'refused') {
        lines.push(`- ${codeSpan(revision)}: the main action would refuse it: ${markdown(plan.message)}`)
        continue
      }
      const changes = plan.changes.map(c => `${codeSpan(c.container)} ${markdown(c.action)}: ${markdown(c.detail)}`)
      lines.push(`- ${codeSpan(revision)}: ${changes.length > 0 ? changes.join('; ') : 'nothing to change'}`)
    }
    lines.push('')
  }
  return `${lines.join('\n')}\n`
}

/** The report as terminal / log lines: one per finding, `error: cluster/service (web:7) kind: message Fix: …`. */
export function renderAuditLog(report: AuditReport): string[] {
  const oneLine = (text: string): string => text.replace(/\s*(\r?\n|\r)\s*/g, ' ')
  const lines: string[] = []
  for (const f of report.findings)
    lines.push(oneLine(`${f.severity}: ${report.region} ${f.kind}: ${f.message} Fix: ${f.fix}`))
  for (const cluster of report.clusters) {
    for (const f of cluster.findings)
      lines.push(oneLine(`${f.severity}: ${cluster.name} ${f.kind}: ${f.message} Fix: ${f.fix}`))
    for (const s of cluster.services) {
      const where = `${cluster.name}/${s.name}${s.revision ? ` (${s.revision})` : ''}`
      if (s.findings.length === 0) lines.push(`ok: ${where}`)
      for (const f of s.findings) lines.push(oneLine(`${f.severity}: ${where} ${f.kind}: ${f.message} Fix: ${f.fix}`))
    }
  }
  for (const { revision, plan } of report.fixPlans ?? []) {
    if (plan.kind === 'refused') lines.push(oneLine(`fix plan: ${revision}: refused: ${plan.message}`))
    else if (plan.changes.length === 0) lines.push(`fix plan: ${revision}: nothing to change`)
    else
      for (const c of plan.changes)
        lines.push(oneLine(`fix plan: ${revision}: ${c.container} ${c.action}: ${c.detail}`))
  }
  if (!report.complete) lines.push(oneLine(`Partial audit, not seen: ${report.notSeen.join('; ')}.`))
  lines.push(auditTotals(report))
  return lines
}
