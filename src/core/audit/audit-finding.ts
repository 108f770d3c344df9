import type { Finding } from '../checks/finding.js'

/** A finding of the audit: what a check found, and the container it is about when it is about one. */
export interface AuditFinding extends Finding {
  container?: string
}

export type Severity = AuditFinding['severity']

/** What `fail-on` compares with: the worst severity, or none. */
export type Status = 'ok' | 'warning' | 'error'

/** The worst severity among the findings. */
export function worst(findings: readonly Pick<AuditFinding, 'severity'>[]): Status {
  if (findings.some(f => f.severity === 'error')) return 'error'
  if (findings.some(f => f.severity === 'warning')) return 'warning'
  return 'ok'
}

/** Errors first, then warnings; within each, in the order found. */
export function bySeverity<T extends Pick<AuditFinding, 'severity'>>(findings: readonly T[]): T[] {
  return [...findings.filter(f => f.severity === 'error'), ...findings.filter(f => f.severity === 'warning')]
}
