/**
 * What a check concluded, as the user reads it: what happened, the line or reason it is based on, and what to change.
 * Checks return findings; the verify shell decides what fails the step and prints them.
 */
export interface Finding {
  /** error: logs are not (or cannot be) delivered; warning: worth knowing, not a failure by itself. */
  severity: 'error' | 'warning'
  /** A stable name for the kind of problem, e.g. `http-403`, `tls`, `secrets-access-denied`. */
  kind: string
  /** What happened, in one or two sentences. */
  message: string
  /** What to change. */
  fix: string
  /** The log line or ECS reason it is based on, verbatim (first occurrence). */
  quote?: string
  /** How many lines of this kind were seen, when more than one. */
  count?: number
}

/** Longest quote printed: router lines and ECS reasons can be long, and an annotation should stay readable. */
const QUOTE_LIMIT = 400

export function quoteOf(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ').trim()
  return oneLine.length > QUOTE_LIMIT ? `${oneLine.slice(0, QUOTE_LIMIT)}…` : oneLine
}

/** A finding as one block of text: message, the quoted line, the fix. */
export function formatFinding(finding: Finding): string {
  const times = finding.count && finding.count > 1 ? ` (${finding.count} lines like it)` : ''
  const quote = finding.quote ? `\n  ${finding.quote}${times}` : ''
  return `${finding.message}${quote}\n${finding.fix}`
}
