import type { Change } from '../patch/change.js'
import { HIDDEN, formatEdit, type Edit } from '../patch/container-edits.js'
import type { PatchConfig } from '../patch/config.js'
import { intakeHost } from '../sites.js'

/** What one run did, rendered for the job summary and the log. */
export interface RunReport {
  family: string
  config: PatchConfig
  changes: Change[]
  warnings: string[]
  /** Settings kept or corrected on purpose that the user should know about. */
  notices?: string[]
  outputPath: string
  /** Undefined in a dry run. */
  arn?: string
  /** What the AWS checks (verify-secret, verify-roles, validate-api-key) came to; undefined when none was asked. */
  awsChecks?: string
}

/** A run that failed: what failed, where, and the fix, for the job summary. */
export interface FailedRun {
  family?: string
  errors: { message: string; hint?: string; file?: string; line?: number; col?: number }[]
  warnings: string[]
  /** Set when the failure came after the registration (a step output that could not be written). */
  registered?: string
}

/** Markdown for $GITHUB_STEP_SUMMARY after a failure: every error with where it is and its fix. */
export function renderFailureSummary(failed: FailedRun): string {
  const where = (e: FailedRun['errors'][number]): string =>
    e.file === undefined
      ? ''
      : ` (${codeSpan(e.file)}${e.line !== undefined ? `, line ${e.line}${e.col !== undefined ? `, column ${e.col}` : ''}` : ''})`
  const lines = [
    `### Datadog FireLens: ${failed.family === undefined ? 'failed' : `${markdown(failed.family)} failed`}`,
    '',
    failed.registered
      ? `The task definition was registered (${codeSpan(failed.registered)}), then the step failed:`
      : `Nothing was registered. ${failed.errors.length === 1 ? 'The error' : `The ${failed.errors.length} errors`}, each with its fix:`,
    '',
    ...failed.errors.map(e => `- ${markdown(e.message)}${where(e)}${e.hint ? `<br>**Fix:** ${markdown(e.hint)}` : ''}`)
  ]
  if (failed.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...failed.warnings.map(w => `- ${markdown(w)}`))
  }
  return `${lines.join('\n')}\n`
}

function secretLabel(config: PatchConfig): string {
  const ref = config.apiKeySecret
  return ref.kind === 'ssm' ? `SSM parameter \`${ref.name}\`` : `Secrets Manager secret \`${ref.secretId}\``
}

/**
 * What happened to the definition. With a region and `register: false` this file is what the deploy step registers
 * (the quick-start pairing): not a dry run, and not called one.
 */
export function registration(report: Pick<RunReport, 'arn' | 'config'>): string {
  if (report.arn) return `registered \`${report.arn}\``
  return report.config.region ? 'not registered here: the deploy step registers this file' : 'dry run: not registered'
}

/** A change row's detail with what it changed that the container already had, old → new (for the log). */
export function changeDetail(change: Change): string {
  const edits = change.edits ?? []
  return edits.length === 0 ? change.detail : `${change.detail}: ${edits.map(formatEdit).join('; ')}`
}

/**
 * The same as a table cell: each value in its own code span, so a backtick or a pipe in a value cannot pair with
 * another one or split the cell.
 */
function detailCell(change: Change): string {
  const detail = markdown(change.detail, true)
  const edits = change.edits ?? []
  if (edits.length === 0) return detail
  const value = (v: string | undefined): string =>
    v === undefined ? '(unset)' : v === HIDDEN ? escapeText(HIDDEN) : codeSpan(v, true)
  const edit = (e: Edit): string =>
    `${escapeText(e.what)} ${e.to === undefined ? `${value(e.from)} removed` : e.from === undefined ? `${value(e.to)} added` : `${value(e.from)} → ${value(e.to)}`}`
  return `${detail}: ${edits.map(edit).join('; ')}`
}

/*
 * Everything in the summary that comes from the user (names, details and warnings that quote the file or the
 * inputs) goes through `markdown`: nothing they write can end a table row, add a cell, open a code span that swallows
 * the rest, or start HTML. Text written as `code` stays code, re-fenced so that no backtick inside can close it early.
 */

/** A code span holding `text` exactly: a fence longer than any backtick run inside, padded if it starts or ends with one. */
export function codeSpan(text: string, inTable = false): string {
  let content = text.replace(/\r?\n|\r/g, ' ')
  if (inTable) {
    // In a GFM table a pipe splits the cell even inside a code span; escaped, it shows as a pipe. A backslash right
    // before a pipe cannot be shown in code there (it would escape the escape), so that text goes as plain text.
    if (content.includes('\\|')) return escapeText(content)
    content = content.replace(/\|/g, '\\|')
  }
  if (content === '') return '` `'
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = /^[`\s]|[`\s]$/.test(content) && content.trim() !== '' ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

// ASCII punctuation Markdown gives a meaning inline (emphasis, links, HTML, entities, tables, escapes).
const SPECIAL = /[\\`*_[\]<>|~&]/g

/** Plain text as inline Markdown: `code` spans kept as code, everything else shown as written, on one line. */
export function markdown(text: string, inTable = false): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const tick = text.indexOf('`', i)
    if (tick === -1) {
      out += escapeText(text.slice(i))
      break
    }
    out += escapeText(text.slice(i, tick))
    const run = /^`+/.exec(text.slice(tick))![0]
    const close = findClosingRun(text, tick + run.length, run.length)
    if (close === -1) {
      // No closing fence: the backticks are literal text.
      out += '\\`'.repeat(run.length)
      i = tick + run.length
    } else {
      let content = text.slice(tick + run.length, close).replace(/\r?\n|\r/g, ' ')
      if (/^ .* $/s.test(content) && content.trim() !== '') content = content.slice(1, -1)
      out += codeSpan(content, inTable)
      i = close + run.length
    }
  }
  // At the start of a list item these would open a nested list, a heading or a numbered list.
  return out.replace(/^([-+=#])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')
}

/** Where a run of exactly `length` backticks starts at or after `from`, or -1. */
function findClosingRun(text: string, from: number, length: number): number {
  const runs = /`+/g
  runs.lastIndex = from
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) if (m[0].length === length) return m.index
  return -1
}

function escapeText(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(SPECIAL, '\\$&')
}

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function renderSummary(report: RunReport): string {
  const { config } = report
  const cell = (text: string): string => markdown(text, true)
  const lines = [
    `### Datadog FireLens: ${markdown(report.family)}`,
    '',
    '| | |',
    '|---|---|',
    `| Site | ${config.site.code} → ${codeSpan(intakeHost(config.site), true)} |`,
    `| API key | ${cell(secretLabel(config))} |`,
    `| Task definition | ${cell(registration(report))} |`,
    ...(report.awsChecks ? [`| AWS checks | ${cell(report.awsChecks)} |`] : []),
    '',
    '| Container | Change | Detail |',
    '|---|---|---|',
    ...report.changes.map(c => `| ${codeSpan(c.container, true)} | ${cell(c.action)} | ${detailCell(c)} |`)
  ]
  if (report.warnings.length > 0) {
    lines.push('', '**Warnings**', '', ...report.warnings.map(w => `- ${markdown(w)}`))
  }
  const notices = report.notices ?? []
  if (notices.length > 0) lines.push('', '**Notices**', '', ...notices.map(n => `- ${markdown(n)}`))
  return `${lines.join('\n')}\n`
}

/** The same facts as plain lines for the step's log; a newline a user wrote cannot start a line (or a command). */
export function renderLog(report: RunReport): string[] {
  const { config } = report
  const line = (text: string): string => text.replace(/\r?\n|\r/g, ' ')
  const width = Math.max(...report.changes.map(c => c.container.length), 9)
  return [
    `Site: ${config.site.code} → ${intakeHost(config.site)}`,
    `API key: ${line(secretLabel(config).replace(/`/g, ''))}`,
    `Task definition: ${registration(report).replace(/`/g, '')}`,
    ...(report.awsChecks ? [`AWS checks: ${line(report.awsChecks)}`] : []),
    `Patched file: ${line(report.outputPath)}`,
    ...report.changes.map(c => line(`  ${c.container.padEnd(width)}  ${c.action}: ${changeDetail(c)}`)),
    ...(report.warnings.length > 0 ? [`Warnings: ${report.warnings.length} (see annotations)`] : [])
  ]
}
