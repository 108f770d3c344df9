import * as core from '@actions/core'
import { UserError } from '../../core/errors.js'
import type { Reporter } from '../../core/jobs/reporter.js'
import type { AnnotationProps } from '../../core/logger.js'

/** A job's annotation properties as @actions/core names them; every annotation gets the action's title. */
function annotation(title: string, props: AnnotationProps | undefined): core.AnnotationProperties {
  const { line, col, ...rest } = props ?? {}
  return {
    title,
    ...rest,
    ...(line !== undefined ? { startLine: line } : {}),
    ...(line !== undefined && col !== undefined ? { startColumn: col } : {})
  }
}

/**
 * A Reporter backed by @actions/core: workflow commands on stdout, masks, step outputs in GITHUB_OUTPUT; `report`
 * is the action's own (its log groups and job summary). Shared by the main and the verify action.
 */
export function actionsReporter<R>(title: string, report: (report: R) => Promise<void>): Reporter<R> {
  return {
    info: message => core.info(message),
    debug: message => core.debug(message),
    notice: (message, props) => core.notice(message, annotation(title, props)),
    warning: (message, props) => core.warning(message, annotation(title, props)),
    error: (message, props) => core.error(message, annotation(title, props)),
    bug: message => core.setFailed(message),
    mask: secret => core.setSecret(secret),
    output: (name, value) => {
      try {
        core.setOutput(name, value)
      } catch (error) {
        // A runner file that cannot be written is the runner's problem, said as such.
        const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
        throw new UserError(
          `Could not write the step output \`${name}\` to GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT ?? 'not set'}): ${code}.`,
          "GITHUB_OUTPUT is the runner's file for step outputs: check the runner's work folder (writable, not full)."
        )
      }
    },
    report
  }
}
