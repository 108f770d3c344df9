/**
 * A mistake the user can fix. The job prints `message` and `hint` as one annotation (an `error:` line) and exits 1;
 * anything that is not a UserError is a bug of ours and keeps its stack in debug output.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError'
  constructor(
    message: string,
    /** What to change to fix it. */
    readonly hint?: string,
    /** The file the problem is in, for the annotation (usually the task definition). */
    readonly file?: string,
    /** Where in the file, when known: a line and column, or a path in messages' style for the shell to map to one. */
    readonly at?: SourceLocation
  ) {
    super(message)
  }

  /** The message and the hint as the user reads them. */
  get text(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message
  }
}

/** Where a problem is in a file: a position, or a path (`containerDefinitions[web].logConfiguration.options`). */
export interface SourceLocation {
  line?: number
  col?: number
  /** A path as messages write it, relative to the task definition (see definition/json-path.ts). */
  path?: string
}

/**
 * Several independent mistakes found in one run, each reported on its own (as a linter does), so a user fixes them
 * all at once instead of one per run.
 */
export class UserErrors extends UserError {
  override readonly name = 'UserErrors'
  constructor(readonly errors: readonly UserError[]) {
    super(errors.map(e => e.message).join('\n'), undefined, errors[0]?.file)
  }

  override get text(): string {
    return this.errors.map(e => e.text).join('\n\n')
  }
}

/** Every UserError inside `error`: itself, or each of a UserErrors. */
export function userErrorsOf(error: UserError): readonly UserError[] {
  return error instanceof UserErrors ? error.errors.flatMap(userErrorsOf) : [error]
}

/** Throws nothing, one error as it is, or several as a UserErrors. */
export function throwAll(errors: readonly UserError[]): void {
  const all = errors.flatMap(userErrorsOf)
  if (all.length === 1) throw all[0]!
  if (all.length > 1) throw new UserErrors(all)
}

/**
 * Runs `read` and returns its value; a UserError it throws is added to `errors` instead (undefined is returned), so
 * the next independent check still runs.
 */
export function collect<T>(errors: UserError[], read: () => T): T | undefined {
  try {
    return read()
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    errors.push(error)
    return undefined
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
