import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { classifyRouterLine, routerLogFindings, siteOfIntakeHost } from '../../../src/core/diagnose/router-log.js'
import { FORBIDDEN_FIX } from '../../../src/core/checks/site-mismatch.js'
import { SITES, intakeHost, resolveSite } from '../../../src/core/sites.js'

// The lines the real router prints when delivery fails (Fluent Bit 5.1.1; see the project's facts notes).
const FORBIDDEN_LOCAL = '[error] [output:datadog:datadog.0] http://127.0.0.1:45051 HTTP status=403'
const FORBIDDEN_SEED = '[error] [output:datadog:datadog.0] http://http-intake.logs.datadoghq.com:80 HTTP status=403'
const FORBIDDEN_AP1 =
  '[error] [output:datadog:datadog.0] https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403'
const RETRY =
  "[ warn] [engine] failed to flush chunk '1-1764064805.512312.flb', retry in 10 seconds: task_id=0, input=forward.1 > output=datadog.0 (out_id=0)"
const DROPPED =
  "[error] [engine] chunk '1-1764064805.512312.flb' cannot be retried: task_id=0, input=forward.1 > output=datadog.0"
const TLS = '[error] [tls] error: error:0A000086:SSL routines::certificate verify failed'
const UNKNOWN =
  "[error] [config] datadog: unknown configuration property 'retry_limt'. The following properties are allowed: compress, header, apikey, dd_service, dd_source, dd_tags, dd_hostname, proxy, include_tag_key, tag_key, dd_message_key, provider, and json_date_key."
const INIT_FAILED = '[error] [engine] output initialization failed'
const TIME = "[error] [parser] cannot parse '2026-11-25T10:00:00Z'"
const BANNER = '[ info] [fluent bit] version=4.1.1, commit=, pid=1'

const AP1 = resolveSite('ap1')
const kinds = (lines: string[]) => routerLogFindings(lines, AP1).map(f => [f.severity, f.kind])

describe('one line of the router log', () => {
  it.each([
    [FORBIDDEN_LOCAL, { kind: 'http-status', status: 403, scheme: 'http', host: '127.0.0.1', port: 45051 }],
    [
      FORBIDDEN_SEED,
      { kind: 'http-status', status: 403, scheme: 'http', host: 'http-intake.logs.datadoghq.com', port: 80 }
    ],
    ['[out_datadog] http://http-intake.logs.datadoghq.com:80 HTTP status=403', { kind: 'http-status', status: 403 }],
    [RETRY, { kind: 'retrying' }],
    [DROPPED, { kind: 'dropped' }],
    [TLS, { kind: 'tls', detail: 'error: error:0A000086:SSL routines::certificate verify failed' }],
    [UNKNOWN, { kind: 'unknown-property', plugin: 'datadog', property: 'retry_limt' }],
    [INIT_FAILED, { kind: 'init-failed' }],
    [TIME, { kind: 'time-format' }],
    [
      "[error] [net] getaddrinfo(host='http-intake.logs.datadoghq.co', err=4): Domain name not found",
      { kind: 'network' }
    ]
  ])('reads %s', (line, expected) => {
    expect(classifyRouterLine(line)).toMatchObject(expected)
  })

  it('ignores what the router prints when all is well', () => {
    expect(classifyRouterLine(BANNER)).toBeUndefined()
    expect(classifyRouterLine('[ info] [output:datadog:datadog.0] worker #0 started')).toBeUndefined()
  })

  it('reads a line the same with or without the timestamp awslogs keeps, and whatever the case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(FORBIDDEN_AP1, RETRY, DROPPED, TLS, UNKNOWN, INIT_FAILED),
        fc.constantFrom('', '[2026/11/25 10:00:05] ', '2026-11-25T10:00:05.123Z '),
        fc.boolean(),
        (line, prefix, upper) => {
          const variant = `${prefix}${upper ? line.toUpperCase() : line}`
          expect(classifyRouterLine(variant)?.kind).toBe(classifyRouterLine(line)?.kind)
        }
      )
    )
  })

  it("knows every site's intake host, in any case", () => {
    for (const site of SITES) {
      expect(siteOfIntakeHost(intakeHost(site))).toBe(site)
      expect(siteOfIntakeHost(intakeHost(site).toUpperCase())).toBe(site)
    }
    expect(siteOfIntakeHost('127.0.0.1')).toBeUndefined()
  })
})

describe('findings from the router log', () => {
  it('finds nothing in a healthy log', () => {
    expect(routerLogFindings([BANNER, '[ info] [sp] stream processor started'], AP1)).toEqual([])
  })

  it("explains a 403 from the site's own intake with the same fix as validate-api-key's", () => {
    const [finding, ...rest] = routerLogFindings([FORBIDDEN_AP1, RETRY, FORBIDDEN_AP1, DROPPED], AP1)
    expect(finding).toMatchObject({
      severity: 'error',
      kind: 'http-403',
      quote: FORBIDDEN_AP1,
      count: 2,
      fix: FORBIDDEN_FIX
    })
    expect(finding!.message).toContain('another Datadog site')
    expect(finding!.message).toContain('revoked')
    // The drop is explained by the 403; the retry is part of the same story and not repeated.
    expect(rest.map(f => f.kind)).toEqual(['dropped'])
    expect(rest[0]!.message).toContain('because of the error above')
  })

  it("names the Host when the router sends to another site's intake, for every pair of sites", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.constantFrom(...SITES), (sentTo, site) => {
        fc.pre(sentTo !== site)
        const line = `[error] [output:datadog:datadog.0] https://${intakeHost(sentTo)}:443 HTTP status=403`
        const [finding] = routerLogFindings([line], site)
        expect(finding!.kind).toBe('wrong-intake')
        expect(finding!.message).toContain(`${sentTo.code}'s intake (${intakeHost(sentTo)})`)
        expect(finding!.fix).toContain(`site: ${site.code}`)
        expect(finding!.fix).toContain(intakeHost(site))
      })
    )
  })

  it('warns that the key travels in clear when the router sends without TLS', () => {
    expect(kinds([FORBIDDEN_SEED])).toEqual([
      ['error', 'wrong-intake'],
      ['warning', 'tls-off']
    ])
  })

  it('says the intake was unreachable when chunks are dropped with no HTTP or TLS error before', () => {
    const findings = routerLogFindings([RETRY, DROPPED], AP1)
    expect(findings.map(f => f.kind)).toEqual(['dropped'])
    expect(findings[0]!.message).toContain('not reachable')
    expect(findings[0]!.fix).toContain('http-intake.logs.ap1.datadoghq.com on port 443')
  })

  it('only warns while chunks are being retried', () => {
    expect(kinds([RETRY])).toEqual([['warning', 'retrying']])
  })

  it('fails on a TLS error, naming the Host the site needs', () => {
    const [finding] = routerLogFindings([TLS], AP1)
    expect(finding).toMatchObject({ severity: 'error', kind: 'tls', quote: TLS })
    expect(finding!.fix).toContain('http-intake.logs.ap1.datadoghq.com')
  })

  it('fails on an unknown option, naming it once (not again as "output initialization failed")', () => {
    const findings = routerLogFindings([UNKNOWN, INIT_FAILED], AP1)
    expect(findings.map(f => f.kind)).toEqual(['unknown-property'])
    expect(findings[0]!.message).toContain('`retry_limt`')
    expect(findings[0]!.fix).toContain('log-options')
  })

  it('treats transient intake answers as warnings and other refusals as errors', () => {
    const line = (status: number) =>
      `[error] [output:datadog:datadog.0] https://${intakeHost(AP1)}:443 HTTP status=${status}`
    expect(kinds([line(503)])).toEqual([['warning', 'http-503']])
    expect(kinds([line(429)])).toEqual([['warning', 'http-429']])
    expect(kinds([line(400)])).toEqual([['error', 'http-400']])
    expect(routerLogFindings([line(413)], AP1)[0]!.fix).toContain('too large')
  })

  it('only warns about the parse-json time format: the records are still delivered', () => {
    expect(
      kinds([TIME, "[ warn] [parser] invalid time format %d/%b/%Y:%H:%M:%S %z for '2026-11-25T10:00:00Z'"])
    ).toEqual([['warning', 'time-format']])
  })

  it('lists errors before warnings, and one finding per kind however many lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(FORBIDDEN_AP1, RETRY, DROPPED, TLS, TIME, BANNER), { maxLength: 30 }),
        lines => {
          const findings = routerLogFindings(lines, AP1)
          const severities = findings.map(f => f.severity)
          expect(severities).toEqual([...severities].sort())
          expect(new Set(findings.map(f => f.kind)).size).toBe(findings.length)
          const counted = findings.filter(f => f.kind !== 'tls-off').reduce((n, f) => n + (f.count ?? 1), 0)
          expect(counted).toBeLessThanOrEqual(lines.filter(l => l !== BANNER).length)
        }
      )
    )
  })
})
