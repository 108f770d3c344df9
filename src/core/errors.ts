/**
 * A mistake the user can fix. The job prints `message` and `hint` as one annotation (an `error:` line) and exits 1;
 * anything that is not a UserError is a bug of ours and keeps its stack in debug output.
 */
export class UserError extends Error {
  override readonly name = 'UserError'
  constructor(
    message: string,
    /** What to change to fix it. */
    readonly hint?: string,
    /** The file the problem is in, for the annotation (usually the task definition). */
    readonly file?: string
  ) {
    super(message)
  }

  /** The message and the hint as the user reads them. */
  get text(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message
  }
}

/** An AWS call that failed, already described for the user; `accessDenied` lets a check downgrade it to a warning. */
export class AwsCallError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    /** The IAM action that was denied, when AWS said access was denied. */
    readonly deniedAction?: string
  ) {
    super(message, hint)
  }

  get accessDenied(): boolean {
    return this.deniedAction !== undefined
  }
}

/**
 * No usable AWS credentials were found (none configured, not expired ones). When nothing is registered the AWS
 * checks only warn about it, so a workflow without credentials can still patch the file.
 */
export class MissingCredentialsError extends AwsCallError {}

/** A call stopped because the step's own time was up: the caller reports the timeout, not an AWS failure. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached'
}
