/**
 * A client-side token bucket: `acquire()` resolves when a request may go, so a fleet audit stays under the API's own
 * throttling instead of meeting it and retrying. ECS throttles per account and region, shared with every deploy and
 * console user of the account, so the audit keeps well below the documented rates (see ECS_RATES).
 */
export class RateLimiter {
  private tokens: number
  private last: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    /** Requests per second, sustained. */
    readonly perSecond: number,
    /** Requests at once after a quiet spell. */
    readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = ms => new Promise(resolve => setTimeout(resolve, ms))
  ) {
    this.tokens = burst
    this.last = now()
  }

  /** Waits for a token (in call order). Rejects once `signal` is aborted, without taking one. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal))
    // The next caller waits for this one's token, not for its failure.
    this.queue = turn.catch(() => undefined)
    return turn
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted')
      const now = this.now()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000))
    }
  }
}

/**
 * ECS's documented throttling (API Reference, "Request throttling for the Amazon ECS API"), per account and region,
 * bucket capacity / refill per second: cluster read actions (ListClusters) 50 / 20; service read actions
 * (ListServices, DescribeServices) 100 / 20; task definition read actions (DescribeTaskDefinition) 50 / 20; cluster
 * resource read actions (ListTasks) 100 / 20. The audit uses half of each sustained rate, with a small burst, so that
 * the deploys running in the same account meanwhile keep their share.
 */
export const ECS_RATES = {
  'cluster-read': { perSecond: 10, burst: 10 },
  'service-read': { perSecond: 10, burst: 10 },
  'task-definition-read': { perSecond: 10, burst: 10 },
  'cluster-resource-read': { perSecond: 10, burst: 10 }
} as const

/** CloudWatch Logs' FilterLogEvents has a low per-account quota of its own (Service Quotas); the router reads stay slow. */
export const LOGS_RATE = { perSecond: 3, burst: 3 } as const
