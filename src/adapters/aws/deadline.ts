import { describeAwsError, type AwsCallContext } from './errors.js'

/** A call stopped because the step's own time was up: the caller reports the timeout, not an AWS failure. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached'
}

/** The error to throw for a failed AWS call made with `signal`: ours when we aborted it, else AWS's, explained. */
export function callFailure(error: unknown, context: AwsCallContext, signal?: AbortSignal): Error {
  if (signal?.aborted)
    return new DeadlineReached(`stopped waiting for ${context.action}: the step's timeout was reached`)
  return describeAwsError(error, context)
}
