import { StandardRetryStrategy } from '@smithy/core/retry'
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler'
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken as RetryToken } from '@smithy/types'
import { finished, Readable } from 'node:stream'
import { proxyAgentFor, proxyFor } from '../http/proxy.js'
import { AWS_TIMEOUTS } from './timeouts.js'

export { AWS_TIMEOUTS }

export type AwsTimeouts = { [K in keyof typeof AWS_TIMEOUTS]: number }

type Handle = NodeHttpHandler['handle']
type HttpRequest = Parameters<Handle>[0]
type HandlerOptions = NonNullable<Parameters<Handle>[1]>
type Handled = Awaited<ReturnType<Handle>>
type ConfigKey = keyof NodeHttpHandlerOptions

/**
 * Client settings shared by every AWS client (ECS, SSM, Secrets Manager, IAM …): the runner's proxy, a deadline per
 * attempt and one for the whole call. `timeouts` is for tests.
 */
export function clientConfig(region: string, timeouts: Partial<AwsTimeouts> = {}) {
  const bounds: AwsTimeouts = { ...AWS_TIMEOUTS, ...timeouts }
  return {
    region,
    maxAttempts: bounds.maxAttempts,
    retryMode: 'standard' as const,
    retryStrategy: new BoundedRetryStrategy(bounds),
    requestHandler: new BoundedHttpHandler(bounds)
  }
}

/** An attempt that ran out of time: a TimeoutError, so the SDK retries it and errors.ts says "did not answer in time". */
function attemptTimeout(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms / 1000} s`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT'
  })
}

/**
 * A proxy that answered CONNECT with an HTTP error (403, 407 …) will answer the same to a retry. The tunnel agent
 * reports it as ECONNRESET, which the SDK would retry: as a plain error it is not.
 */
function proxyRefusal(error: unknown): Error | undefined {
  const message = error instanceof Error ? error.message : ''
  if (!/tunneling socket could not be established, statusCode=\d+/.test(message)) return undefined
  return Object.assign(new Error(message), { name: 'ProxyRefusedError' })
}

/**
 * @smithy/node-http-handler with two things it lacks. A deadline per attempt that covers the body: its own
 * requestTimeout stops when the headers arrive, so a server that answers 200 and then trickles one byte every few
 * seconds would hold the call for minutes. And the runner's proxy, chosen per request (HTTPS_PROXY, NO_PROXY …), so
 * every client gets it whatever endpoint it resolves.
 */
export class BoundedHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' }
  /** One NodeHttpHandler per route: 'direct', or the target scheme and the proxy it goes through. */
  private readonly routes = new Map<string, NodeHttpHandler>()
  private readonly updates: Array<[ConfigKey, NodeHttpHandlerOptions[ConfigKey]]> = []

  constructor(readonly timeouts: AwsTimeouts) {}

  async handle(request: HttpRequest, options: HandlerOptions = {}): Promise<Handled> {
    const handler = this.handlerFor(request)
    const ms = this.timeouts.attemptTimeoutMs
    const deadline = attemptTimeout(ms)
    const attempt = new AbortController()
    let body: Readable | undefined
    const timer = setTimeout(() => {
      // The body first, so the SDK reading it sees the deadline rather than the "aborted" of the request below.
      body?.destroy(deadline)
      attempt.abort(deadline)
    }, ms)
    // Never what keeps the process alive: an open socket does that, and the timer then ends it.
    timer.unref()
    const outer = options.abortSignal
    const signal = outer instanceof AbortSignal ? AbortSignal.any([outer, attempt.signal]) : attempt.signal

    let handled: Handled
    try {
      handled = await handler.handle(request, { ...options, abortSignal: signal })
    } catch (error) {
      clearTimeout(timer)
      if (attempt.signal.aborted) throw deadline
      throw proxyRefusal(error) ?? error
    }
    const stream: unknown = handled.response.body
    if (attempt.signal.aborted) {
      if (stream instanceof Readable) stream.destroy(deadline)
      throw deadline
    }
    if (stream instanceof Readable) {
      body = stream
      finished(stream, () => clearTimeout(timer))
    } else {
      clearTimeout(timer)
    }
    return handled
  }

  private handlerFor(request: HttpRequest): NodeHttpHandler {
    const host =
      request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname
    const target = new URL(`${request.protocol}//${host}${request.port ? `:${request.port}` : ''}`)
    const route = proxyFor(target)
    const key = route ? `${target.protocol} via ${route.url.href}` : 'direct'
    let handler = this.routes.get(key)
    if (!handler) {
      const agent = route ? proxyAgentFor(target) : undefined
      handler = new NodeHttpHandler({
        connectionTimeout: this.timeouts.connectionTimeoutMs,
        ...(agent ? (target.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent }) : {})
      })
      for (const [name, value] of this.updates) handler.updateHttpClientConfig(name, value)
      this.routes.set(key, handler)
    }
    return handler
  }

  updateHttpClientConfig(key: ConfigKey, value: NodeHttpHandlerOptions[ConfigKey]): void {
    this.updates.push([key, value])
    for (const handler of this.routes.values()) handler.updateHttpClientConfig(key, value)
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return { connectionTimeout: this.timeouts.connectionTimeoutMs }
  }

  destroy(): void {
    for (const handler of this.routes.values()) handler.destroy()
    this.routes.clear()
  }
}

/**
 * The SDK's standard retries (throttling, 5xx, timeouts; backoff with jitter), with a budget for the whole call: a
 * retry that could not finish before `totalTimeoutMs` is not started, so the call fails with the last error instead.
 */
export class BoundedRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard'
  private readonly standard: StandardRetryStrategy
  private readonly started = new WeakMap<RetryToken, number>()

  constructor(readonly timeouts: AwsTimeouts) {
    this.standard = new StandardRetryStrategy(timeouts.maxAttempts)
  }

  async acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    const token = await this.standard.acquireInitialRetryToken(scope)
    this.started.set(token, Date.now())
    return token
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const started = this.started.get(token) ?? Date.now()
    this.requireTimeFor(started, 0)
    const next = await this.standard.refreshRetryTokenForRetry(token, errorInfo)
    this.requireTimeFor(started, next.getRetryDelay())
    this.started.set(next, started)
    return next
  }

  recordSuccess(token: RetryToken): void {
    this.standard.recordSuccess(token)
  }

  /** Throws (the SDK then reports the last error) unless one more attempt, after `wait` ms, ends within the budget. */
  private requireTimeFor(started: number, wait: number): void {
    const end = Date.now() + wait + this.timeouts.attemptTimeoutMs
    if (end - started > this.timeouts.totalTimeoutMs) {
      throw new Error(`no time left for another attempt within ${this.timeouts.totalTimeoutMs / 1000} s`)
    }
  }
}
