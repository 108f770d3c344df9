// Its own module so that messages can quote the numbers without loading the SDK's HTTP code.

/**
 * Bounds on every AWS call, whatever the server does (hang, trickle a body, answer slowly): a failing endpoint stops
 * the step in well under a minute, not after the job's six hours. README's "What it checks" states these numbers.
 */
export const AWS_TIMEOUTS = {
  /** TCP connect (and, behind a proxy, until the tunnel is open). */
  connectionTimeoutMs: 5_000,
  /** One attempt, wall time: connect, request, headers and the whole body. */
  attemptTimeoutMs: 10_000,
  maxAttempts: 3,
  /** All attempts of one call together, the waits between them included: no retry starts that could end later. */
  totalTimeoutMs: 35_000
} as const
