import type { Reporter } from '../src/core/jobs/reporter.js'
import type { AnnotationProps } from '../src/core/logger.js'

export interface ReportedEntry {
  kind: 'info' | 'debug' | 'notice' | 'warning' | 'error' | 'bug' | 'mask' | 'output' | 'report'
  message: string
  props?: AnnotationProps
}

/** A Reporter that keeps everything it is told, in order, for tests of the jobs. */
export function recordingReporter<R>(): Reporter<R> & {
  entries: ReportedEntry[]
  reports: R[]
  outputs: Record<string, string>
  at(kind: ReportedEntry['kind']): string[]
} {
  const entries: ReportedEntry[] = []
  const reports: R[] = []
  const outputs: Record<string, string> = {}
  const say =
    (kind: ReportedEntry['kind']) =>
    (message: string, props?: AnnotationProps): void => {
      entries.push({ kind, message, ...(props ? { props } : {}) })
    }
  return {
    entries,
    reports,
    outputs,
    at: kind => entries.filter(e => e.kind === kind).map(e => e.message),
    info: say('info'),
    debug: say('debug'),
    notice: say('notice'),
    warning: say('warning'),
    error: say('error'),
    bug: say('bug'),
    mask: say('mask'),
    output: (name, value) => {
      outputs[name] = value
      entries.push({ kind: 'output', message: `${name}=${value}` })
    },
    report: async report => {
      reports.push(report)
      entries.push({ kind: 'report', message: '' })
    }
  }
}
