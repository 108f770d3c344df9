import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { PROXY_VARIABLES, withoutEnv } from '../../../__fixtures__/clean-env.js'
import { recordingLogger, type LogEntry } from '../../../__fixtures__/recording-logger.js'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startConnectProxy, type ConnectProxy } from '../../../__fixtures__/connect-proxy.mjs'
import { apiBaseFromTemplate, validateApiKey, type Fetch } from '../../../src/core/checks/api-key-check.js'
import { fetchStatus } from '../../../src/adapters/http/proxy.js'
import type { UserError } from '../../../src/core/errors.js'
import { SITES, resolveSite, type Site } from '../../../src/core/sites.js'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'

const KEY = '0123456789abcdef0123456789abcdef'

interface Request {
  url: string
  headers: Record<string, string>
}

/** A fake fetch answering by host: status(url) gives the status, or throws to simulate a network error. */
function fakeFetch(status: (url: string) => number): Fetch & { requests: Request[] } {
  const requests: Request[] = []
  const fn = async (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => {
    requests.push({ url, headers: init.headers })
    expect(init.signal).toBeInstanceOf(AbortSignal)
    return { status: status(url) }
  }
  return Object.assign(fn, { requests })
}

const site = (code: string): Site => resolveSite(code)

const userError = rejectedUserError

function expectNoKey(logger: { entries: LogEntry[] }, error?: UserError): void {
  for (const entry of logger.entries) expect(entry.message).not.toContain(KEY)
  if (error) {
    expect(error.text).not.toContain(KEY)
    expect(String(error.stack)).not.toContain(KEY)
  }
}

describe('validateApiKey with an injected fetch', () => {
  it('accepts a key valid on the chosen site with one request', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(() => 200)
    await validateApiKey(KEY, site('AP1'), logger, fetchFn)
    expect(fetchFn.requests).toEqual([
      { url: 'https://api.ap1.datadoghq.com/api/v1/validate', headers: { 'DD-API-KEY': KEY } }
    ])
    expect(logger.at('info')).toEqual(['API key check: the key is valid on AP1 (ap1.datadoghq.com).'])
    expect(logger.at('warning')).toEqual([])
    expectNoKey(logger)
  })

  it('tells which site a key of another site belongs to', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(url => (url === 'https://api.datadoghq.eu/api/v1/validate' ? 200 : 403))
    const error = await userError(validateApiKey(KEY, site('US1'), logger, fetchFn))
    expect(error.message).toMatch(/belongs to EU1 \(datadoghq\.eu\), not to US1/)
    expect(error.hint).toBe('Set site: EU1.')
    // The chosen site first, then every other site once.
    expect(fetchFn.requests[0]!.url).toBe('https://api.datadoghq.com/api/v1/validate')
    expect(fetchFn.requests).toHaveLength(SITES.length)
    expect(new Set(fetchFn.requests.map(r => r.url)).size).toBe(SITES.length)
    for (const request of fetchFn.requests) expect(request.headers).toEqual({ 'DD-API-KEY': KEY })
    expectNoKey(logger, error)
  })

  it('says the key is invalid when every site rejects it', async () => {
    const logger = recordingLogger()
    const error = await userError(
      validateApiKey(
        KEY,
        site('EU1'),
        logger,
        fakeFetch(() => 403)
      )
    )
    expect(error.message).toBe('Datadog rejected the API key on EU1 (HTTP 403), and no other site accepts it.')
    expect(error.hint).toMatch(/invalid or revoked/)
    expectNoKey(logger, error)
  })

  it('only warns when Datadog cannot be reached', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(() => {
      throw new TypeError('fetch failed')
    })
    await expect(validateApiKey(KEY, site('US5'), logger, fetchFn)).resolves.toBeUndefined()
    expect(fetchFn.requests).toHaveLength(1)
    expect(logger.at('warning')).toEqual([
      'Could not validate the API key with https://api.us5.datadoghq.com (no answer); going on without the check. Cause: fetch failed.'
    ])
    expectNoKey(logger)
  })

  it('never repeats the key, even if a network error quoted it', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(() => {
      throw new Error(`connect ECONNREFUSED for ${KEY}\nsecond line`)
    })
    await validateApiKey(KEY, site('US5'), logger, fetchFn)
    expect(logger.at('warning')).toEqual([expect.stringContaining('Cause: connect ECONNREFUSED for ***.')])
    expectNoKey(logger)
  })

  it('only warns on a server error', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(() => 500)
    await validateApiKey(KEY, site('US3'), logger, fetchFn)
    expect(fetchFn.requests).toHaveLength(1)
    expect(logger.at('warning')).toHaveLength(1)
    expect(logger.at('warning')[0]).toContain('HTTP 500')
    expect(logger.at('info')).toEqual([])
  })

  it('treats a network error on the other sites as "not this one"', async () => {
    const logger = recordingLogger()
    const fetchFn = fakeFetch(url => {
      if (url.includes('ap1.')) return 403
      throw new TypeError('fetch failed')
    })
    const error = await userError(validateApiKey(KEY, site('AP1'), logger, fetchFn))
    expect(error.message).toMatch(/no other site accepts it/)
  })
})

describe('validateApiKey against a loopback server', () => {
  let server: Server
  let base: string
  const seen: { url: string; key: string | undefined }[] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      const key = req.headers['dd-api-key']
      seen.push({ url: req.url ?? '', key: Array.isArray(key) ? key[0] : key })
      const ok = req.url === '/datadoghq.eu/api/v1/validate' && key === KEY
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' })
      res.end(ok ? '{"valid":true}' : '{"errors":["Forbidden"]}')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{domain}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  })

  it('with the real fetch, finds that an AP1-configured key belongs to EU1', async () => {
    const logger = recordingLogger()
    seen.length = 0
    const error = await userError(validateApiKey(KEY, site('AP1'), logger, fetch, apiBaseFromTemplate(base)))
    expect(error.message).toMatch(/belongs to EU1/)
    expect(error.hint).toBe('Set site: EU1.')
    expect(seen).toHaveLength(SITES.length)
    expect(seen[0]).toEqual({ url: '/ap1.datadoghq.com/api/v1/validate', key: KEY })
    expect(seen.map(s => s.url)).toContain('/datadoghq.eu/api/v1/validate')
    expectNoKey(logger, error)
  })

  it('with the real fetch, accepts the key on EU1', async () => {
    const logger = recordingLogger()
    await validateApiKey(KEY, site('EU1'), logger, fetch, apiBaseFromTemplate(base))
    expect(logger.at('info')).toEqual(['API key check: the key is valid on EU1 (datadoghq.eu).'])
    expectNoKey(logger)
  })

  it('with the real fetch, rejects another key everywhere', async () => {
    const logger = recordingLogger()
    const other = 'ffffffffffffffffffffffffffffffff'
    const error = await userError(validateApiKey(other, site('EU1'), logger, fetch, apiBaseFromTemplate(base)))
    expect(error.message).toMatch(/no other site accepts it/)
    expect(error.text).not.toContain(other)
  })
})

describe('validateApiKey with the proxy-aware fetchStatus (what main.ts passes)', () => {
  let server: Server
  let port: number
  let proxy: ConnectProxy
  withoutEnv(PROXY_VARIABLES)

  beforeAll(async () => {
    server = createServer((req, res) => {
      const ok = req.url?.startsWith('/datadoghq.eu/') && req.headers['dd-api-key'] === KEY
      if (ok && req.url?.includes('trickle')) {
        // The status at once, then a body that never ends: only the status matters.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
        res.write('{')
        return
      }
      res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' })
      res.end(ok ? '{"valid":true}' : '{"errors":["Forbidden"]}')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  })
  beforeEach(async () => {
    proxy = await startConnectProxy({ refuse: ['127.0.0.1'] })
  })
  afterEach(async () => {
    await proxy.close()
  })

  it('goes through HTTP_PROXY: one tunnel per site asked, and finds the home site', async () => {
    process.env.HTTP_PROXY = proxy.url
    const logger = recordingLogger()
    const base = apiBaseFromTemplate(`http://datadog.fake.test:${port}/{domain}`)
    const error = await userError(validateApiKey(KEY, site('AP1'), logger, fetchStatus, base))
    expect(error.message).toMatch(/belongs to EU1/)
    expect(proxy.tunnels).toHaveLength(SITES.length)
    expect(proxy.tunnels.every(t => t.host === 'datadog.fake.test' && t.port === port)).toBe(true)
    expect(proxy.refused).toEqual([])
    expectNoKey(logger, error)
  })

  it('goes direct to a loopback API, which the proxy refuses', async () => {
    process.env.HTTP_PROXY = proxy.url
    process.env.NO_PROXY = '127.0.0.1'
    const logger = recordingLogger()
    await validateApiKey(
      KEY,
      site('EU1'),
      logger,
      fetchStatus,
      apiBaseFromTemplate(`http://127.0.0.1:${port}/{domain}`)
    )
    expect(logger.at('info')).toEqual(['API key check: the key is valid on EU1 (datadoghq.eu).'])
    expect(proxy.tunnels).toEqual([])
    expect(proxy.refused).toEqual([])
  })

  it('takes the status without waiting for a body that never ends', async () => {
    const logger = recordingLogger()
    const started = Date.now()
    await validateApiKey(
      KEY,
      site('EU1'),
      logger,
      fetchStatus,
      apiBaseFromTemplate(`http://127.0.0.1:${port}/{domain}/trickle`)
    )
    expect(logger.at('info')).toEqual(['API key check: the key is valid on EU1 (datadoghq.eu).'])
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('says that the proxy refused, without the key', async () => {
    const refusing = await startConnectProxy({ refuse: ['datadog.fake.test'] })
    process.env.HTTP_PROXY = refusing.url
    try {
      const logger = recordingLogger()
      await validateApiKey(
        KEY,
        site('EU1'),
        logger,
        fetchStatus,
        apiBaseFromTemplate(`http://datadog.fake.test:${port}/{domain}`)
      )
      expect(logger.at('warning')).toEqual([
        expect.stringMatching(
          new RegExp(
            `no answer\\); going on without the check\\. Cause: .*statusCode=403 \\(through the proxy ${refusing.url.replace(/[.]/g, '\\.')} \\(HTTP_PROXY\\)\\)\\.$`
          )
        )
      ])
      expect(refusing.refused).toEqual([{ kind: 'tunnel', host: 'datadog.fake.test', port }])
      expectNoKey(logger)
    } finally {
      await refusing.close()
    }
  })
})

describe('apiBaseFromTemplate', () => {
  it('replaces {domain} and drops trailing slashes; without a template uses the public API', () => {
    expect(apiBaseFromTemplate('http://127.0.0.1:8080/{domain}/')(site('EU1'))).toBe(
      'http://127.0.0.1:8080/datadoghq.eu'
    )
    expect(apiBaseFromTemplate(undefined)(site('US1-FED'))).toBe('https://api.ddog-gov.com')
    expect(apiBaseFromTemplate('')(site('US1'))).toBe('https://api.datadoghq.com')
  })
})
