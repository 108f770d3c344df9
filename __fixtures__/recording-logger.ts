import type { AnnotationProps, Logger } from '../src/core/logger.js'

export interface LogEntry {
  level: 'info' | 'debug' | 'notice' | 'warning'
  message: string
  props?: AnnotationProps
}

/** A Logger that keeps what it is told, for tests of code that takes a logger. */
export function recordingLogger(): Logger & { entries: LogEntry[]; at(level: LogEntry['level']): string[] } {
  const entries: LogEntry[] = []
  return {
    entries,
    at: level => entries.filter(e => e.level === level).map(e => e.message),
    info: message => entries.push({ level: 'info', message }),
    debug: message => entries.push({ level: 'debug', message }),
    notice: (message, props) => entries.push({ level: 'notice', message, ...(props ? { props } : {}) }),
    warning: (message, props) => entries.push({ level: 'warning', message, ...(props ? { props } : {}) })
  }
}
