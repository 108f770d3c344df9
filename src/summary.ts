import type { Change } from './patch/change.js'
import type { PatchConfig } from './patch/config.js'
import { intakeHost } from './sites.js'

/** What one run did, rendered for the job summary and the log. */
export interface RunReport {
  family: string
  config: PatchConfig
  changes: Change[]
  warnings: string[]
  outputPath: string
  /** Undefined in a dry run. */
  arn?: string
  /** What the AWS checks (verify-secret, verify-roles, validate-api-key) came to; undefined when none was asked. */
  awsChecks?: string
}

function secretLabel(config: PatchConfig): string {
  const ref = config.apiKeySecret
  return ref.kind === 'ssm' ? `SSM parameter \`${ref.name}\`` : `Secrets Manager secret \`${ref.secretId}\``
}

function registration(report: RunReport): string {
  return report.arn ? `registered \`${report.arn}\`` : 'dry run: not registered'
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function renderSummary(report: RunReport): string {
  const { config } = report
  const lines = [
    `### Datadog FireLens: ${escapeCell(report.family)}`,
    '',
    '| | |',
    '|---|---|',
    `| Site | ${config.site.code} → \`${intakeHost(config.site)}\` |`,
    `| API key | ${secretLabel(config)} |`,
    `| Task definition | ${registration(report)} |`,
    ...(report.awsChecks ? [`| AWS checks | ${escapeCell(report.awsChecks)} |`] : []),
    '',
    '| Container | Change | Detail |',
    '|---|---|---|',
    ...report.changes.map(c => `| \`${escapeCell(c.container)}\` | ${c.action} | ${escapeCell(c.detail)} |`)
  ]
  if (report.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...report.warnings.map(w => `- ${escapeCell(w)}`))
  }
  return `${lines.join('\n')}\n`
}

/** The same facts as plain lines for the step's log. */
export function renderLog(report: RunReport): string[] {
  const { config } = report
  const width = Math.max(...report.changes.map(c => c.container.length), 9)
  return [
    `Site: ${config.site.code} → ${intakeHost(config.site)}`,
    `API key: ${secretLabel(config).replace(/`/g, '')}`,
    `Task definition: ${registration(report).replace(/`/g, '')}`,
    ...(report.awsChecks ? [`AWS checks: ${report.awsChecks}`] : []),
    `Patched file: ${report.outputPath}`,
    ...report.changes.map(c => `  ${c.container.padEnd(width)}  ${c.action}: ${c.detail}`),
    ...(report.warnings.length > 0 ? [`Warnings: ${report.warnings.length} (see annotations)`] : [])
  ]
}
