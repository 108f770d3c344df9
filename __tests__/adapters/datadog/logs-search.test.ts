import { describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { searchLogs, type SearchFetch } from '../../../src/adapters/datadog/logs-search.js'

const API_KEY = '0123456789abcdef0123456789abcdef'
const APP_KEY = 'fedcba9876543210fedcba9876543210fedcba98'
const request = {
  apiBase: 'https://api.ap1.datadoghq.com',
  apiKey: API_KEY,
  applicationKey: APP_KEY,
  query: 'task_family:web task_version:7',
  fromMs: Date.parse('2026-11-25T10:00:00Z'),
  toMs: Date.parse('2026-11-25T10:05:00Z')
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): SearchFetch {
  return async () => ({
    status,
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    text: async () => (typeof body === 'string' ? body : JSON.stringify(body))
  })
}

describe('the Datadog logs search', () => {
  it('posts the query, the time range and both keys to the site, asking for the newest record only', async () => {
    const seen: Parameters<SearchFetch>[] = []
    const fetchFn: SearchFetch = async (url, init) => {
      seen.push([url, init])
      return answer(200, { data: [], meta: { status: 'done' } })(url, init)
    }
    expect(await searchLogs(request, fetchFn)).toEqual({ kind: 'none' })
    const [url, init] = seen[0]!
    expect(url).toBe('https://api.ap1.datadoghq.com/api/v2/logs/events/search')
    expect(init.method).toBe('POST')
    expect(init.headers).toMatchObject({
      'DD-API-KEY': API_KEY,
      'DD-APPLICATION-KEY': APP_KEY,
      'Content-Type': 'application/json'
    })
    expect(JSON.parse(init.body)).toEqual({
      filter: {
        query: 'task_family:web task_version:7',
        from: '2026-11-25T10:00:00.000Z',
        to: '2026-11-25T10:05:00.000Z',
        indexes: ['*']
      },
      sort: '-timestamp',
      page: { limit: 1 }
    })
    expect(init.signal).toBeInstanceOf(AbortSignal)
  })

  it('reads the record: its time, service and task', async () => {
    const found = await searchLogs(
      request,
      answer(200, {
        data: [
          {
            id: 'AQAAAZ',
            type: 'log',
            attributes: {
              timestamp: '2026-11-25T10:01:02.000Z',
              service: 'web',
              tags: ['task_family:web', 'task_arn:arn:aws:ecs:ap-northeast-1:111122223333:task/prod/abc']
            }
          }
        ]
      })
    )
    expect(found).toEqual({
      kind: 'found',
      record: {
        timestamp: '2026-11-25T10:01:02.000Z',
        service: 'web',
        taskArn: 'arn:aws:ecs:ap-northeast-1:111122223333:task/prod/abc'
      }
    })
  })

  it.each([
    [403, { errors: ['Forbidden'] }, { kind: 'refused', status: 403 }],
    [400, { errors: ['Invalid query'] }, { kind: 'refused', status: 400 }],
    [500, { errors: ['Internal Server Error'] }, { kind: 'unavailable' }],
    [503, 'upstream connect error', { kind: 'unavailable' }]
  ])('HTTP %d is %j', async (status, body, expected) => {
    const result = await searchLogs(request, answer(status, body))
    expect(result).toMatchObject(expected)
    expect(JSON.stringify(result)).not.toContain(API_KEY)
    expect(JSON.stringify(result)).not.toContain(APP_KEY)
  })

  it('waits as long as X-RateLimit-Reset says on a 429 (a minute when it says nothing)', async () => {
    expect(
      await searchLogs(request, answer(429, { errors: ['Too many requests'] }, { 'x-ratelimit-reset': '17' }))
    ).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 17_000
    })
    expect(await searchLogs(request, answer(429, {}))).toEqual({ kind: 'rate-limited', retryAfterMs: 60_000 })
  })

  it('calls a network failure unavailable, naming the URL', async () => {
    const result = await searchLogs(request, async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })
    })
    expect(result).toEqual({
      kind: 'unavailable',
      detail: 'could not reach https://api.ap1.datadoghq.com/api/v2/logs/events/search: ECONNREFUSED'
    })
  })

  it('gives up on a server that never answers, and when the step aborts', async () => {
    const sockets = new Set<Socket>()
    const server = createServer(() => undefined)
    server.on('connection', s => sockets.add(s))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 200)
      const started = Date.now()
      const result = await searchLogs({ ...request, apiBase: base, signal: controller.signal }, fetch)
      expect(result).toEqual({
        kind: 'unavailable',
        detail: `no answer from ${base}/api/v2/logs/events/search in time`
      })
      expect(Date.now() - started).toBeLessThan(5_000)
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise(resolve => server.close(resolve))
    }
  })
})
