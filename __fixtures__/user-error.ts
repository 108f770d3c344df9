import { UserError } from '../src/core/errors.js'

/** Runs fn, expects a UserError, and returns what the user reads (message and hint). */
export function userErrorText(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof UserError) return error.text
    throw error
  }
  throw new Error('expected a UserError, but nothing was thrown')
}

/** Awaits a promise that must reject with a UserError, and returns that error. */
export async function rejectedUserError(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError, but nothing was thrown')
}
