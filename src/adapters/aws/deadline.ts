import { DeadlineReached } from '../../core/errors.js'
import { describeAwsError, type AwsCallContext } from './errors.js'

// The class lives in the core, which reports it; re-exported for the adapters and their tests.
export { DeadlineReached }

/** The error to throw for a failed AWS call made with `signal`: ours when we aborted it, else AWS's, explained. */
export function callFailure(error: unknown, context: AwsCallContext, signal?: AbortSignal): Error {
  if (signal?.aborted)
    return new DeadlineReached(`stopped waiting for ${context.action}: the step's timeout was reached`)
  return describeAwsError(error, context)
}
