import type { FoundRecord, SearchAnswer } from '../../core/verify/watch.js'

/** The part of fetch the search uses, so tests pass a fake and the shell passes the proxy-aware one. */
export type SearchFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal }
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>

export interface LogsSearchRequest {
  /** https://api.<site domain> (or a test server). */
  apiBase: string
  apiKey: string
  applicationKey: string
  query: string
  fromMs: number
  toMs: number
  /** Aborts the request when the whole step's time is up. */
  signal?: AbortSignal
}

const REQUEST_TIMEOUT_MS = 10_000

/**
 * One call of Datadog's logs search (POST /api/v2/logs/events/search, scope logs_read_data): is there any record for
 * the query in the time range? The newest record is enough, so one page of one. The keys go in headers only and
 * never into an answer's text.
 */
export async function searchLogs(request: LogsSearchRequest, fetchFn: SearchFetch): Promise<SearchAnswer> {
  const url = `${request.apiBase}/api/v2/logs/events/search`
  const body = JSON.stringify({
    filter: {
      query: request.query,
      from: new Date(request.fromMs).toISOString(),
      to: new Date(request.toMs).toISOString(),
      indexes: ['*']
    },
    sort: '-timestamp',
    page: { limit: 1 }
  })
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout
  let response: Awaited<ReturnType<SearchFetch>>
  let text: string
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'DD-API-KEY': request.apiKey,
        'DD-APPLICATION-KEY': request.applicationKey
      },
      body,
      signal
    })
    text = await response.text()
  } catch (error) {
    const name = (error as Error)?.name
    return {
      kind: 'unavailable',
      detail:
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer from ${url} in time`
          : `could not reach ${url}: ${causeOf(error)}`
    }
  }
  const status = response.status
  if (status === 200) {
    const record = firstRecord(text)
    return record ? { kind: 'found', record } : { kind: 'none' }
  }
  const detail = `${errorsOf(text)} at ${url}`
  if (status === 429) {
    // X-RateLimit-Reset: seconds until the limit resets.
    const reset = Number(response.headers.get('x-ratelimit-reset'))
    return { kind: 'rate-limited', retryAfterMs: Number.isFinite(reset) && reset > 0 ? reset * 1_000 : 60_000 }
  }
  if (status >= 500 || status === 408) return { kind: 'unavailable', detail: `HTTP ${status}, ${detail}` }
  return { kind: 'refused', status, detail }
}

function firstRecord(text: string): FoundRecord | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const data = (parsed as { data?: unknown })?.data
  if (!Array.isArray(data) || data.length === 0) return undefined
  const attributes = ((data[0] as { attributes?: unknown })?.attributes ?? {}) as {
    timestamp?: unknown
    service?: unknown
    tags?: unknown
  }
  const tags = Array.isArray(attributes.tags) ? attributes.tags.filter((t): t is string => typeof t === 'string') : []
  const taskArn = tags.find(t => t.startsWith('task_arn:'))?.slice('task_arn:'.length)
  return {
    ...(typeof attributes.timestamp === 'string' ? { timestamp: attributes.timestamp } : {}),
    ...(typeof attributes.service === 'string' ? { service: attributes.service } : {}),
    ...(taskArn ? { taskArn } : {})
  }
}

/** Datadog's `{"errors": ["Forbidden"]}`, as text; a body that is not that is cut short. */
function errorsOf(text: string): string {
  try {
    const errors = (JSON.parse(text) as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0) return errors.map(String).join('; ').slice(0, 200)
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 200) || 'no message'
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))
}
