import type { AnnotationProps, Logger } from '../logger.js'

/**
 * How a job speaks: the log levels of Logger plus errors, masking, named results and the final report. Each shell
 * backs it its own way (@actions/core annotations, outputs and the job summary; the CLI's stderr lines, stdout and
 * --json), so the jobs never know where they run. `R` is the job's report.
 */
export interface Reporter<R> extends Logger {
  /** A finding that fails the run (the job also returns exit code 1). */
  error(message: string, props?: AnnotationProps): void
  /** A bug of ours: said once, after its stack went to debug. */
  bug(message: string): void
  /** A secret nothing may print from now on. */
  mask(secret: string): void
  /**
   * A named result of the run (a step output, a field of --json). Throws a UserError when it cannot be kept, saying
   * where it should have gone.
   */
  output(name: string, value: string): void
  /** The report of the whole run, last (the job summary, the CLI's closing lines or --json). */
  report(report: R): Promise<void>
}

/** The exit code of a job: 0 fine, 1 a finding (or a bug) that fails the run. */
export type ExitCode = 0 | 1

/** The text of a bug, the same in every shell. */
export function unexpectedError(error: unknown): { message: string; stack: string } {
  return {
    message: `Unexpected error (a bug in datadog-firelens-action, please report it): ${error instanceof Error ? error.message : String(error)}`,
    stack: error instanceof Error ? (error.stack ?? error.message) : String(error)
  }
}
