// The option-value rules (src/core/router/option-values.ts) against the real router: Fluent Bit 5.0.9, the version
// aws-for-fluent-bit 3.4.17 bundles. A value the action refuses must stop the router at start-up; a value it lets
// through (with or without a warning) must let it start; a header written as the action writes it must arrive.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../../__fixtures__/action-env.mjs'
import { optionSetProblems, optionValueProblem, routerHeader } from '../../src/core/router/option-values.js'
import { OptionMap } from '../../src/core/patch/options.js'

const FLUENT_BIT = process.env.FLUENT_BIT_BIN ?? join(REPO_ROOT, '..', 'shared', 'fluent-bit', 'bin', 'fluent-bit')
const HAVE_ROUTER = existsSync(FLUENT_BIT)
if (!HAVE_ROUTER) console.warn(`real-router.test.ts skipped: no Fluent Bit at ${FLUENT_BIT} (set FLUENT_BIT_BIN)`)
const maybe = HAVE_ROUTER ? describe : describe.skip

/** How long a router that accepted its configuration is left running before it counts as started. */
const STARTED_AFTER_MS = 2000

const dir = mkdtempSync(join(tmpdir(), 'dd-firelens-router-'))

/** Runs the router with these datadog output options; 'exits' when it stops by itself (non-zero) before the window. */
async function start(options: [string, string][], port = 9): Promise<'exits' | 'starts'> {
  const conf = join(dir, `c${Math.random().toString(36).slice(2)}.conf`)
  const lines = [
    '[SERVICE]',
    '    Flush 1',
    '    Log_Level error',
    '[INPUT]',
    '    Name dummy',
    '    Samples 1',
    '[OUTPUT]',
    '    Name datadog',
    '    Match *',
    '    Host 127.0.0.1',
    `    Port ${port}`,
    '    apikey x',
    ...options.map(([k, v]) => `    ${k} ${v}`)
  ]
  writeFileSync(conf, `${lines.join('\n')}\n`)
  const child = spawn(FLUENT_BIT, ['-c', conf], { stdio: 'ignore' })
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve('starts')
    }, STARTED_AFTER_MS)
    child.once('exit', code => {
      clearTimeout(timer)
      resolve(code === 0 ? 'starts' : 'exits')
    })
  })
}

const key = join(dir, 'client.key')
writeFileSync(
  key,
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })
)

/** [name, value]: the verdict of option-values.ts, checked against the router below. */
const VALUES: [string, string][] = [
  ['Log_Level', 'verbose'],
  ['Log_Level', 'warning'],
  ['storage.total_limit_size', 'lots'],
  ['storage.total_limit_size', '5 M'],
  ['storage.total_limit_size', '1.5M'],
  ['include_tag_key', '1'],
  ['include_tag_key', 'Yes'],
  ['net.keepalive', 'maybe'],
  ['net.tcp_keepalive', 'off'],
  ['proxy', 'foo'],
  ['proxy', 'http://proxy:3128'],
  ['Retry_Limit', 'true'],
  ['Retry_Limit', 'no_limits'],
  ['IPv6', 'maybe'],
  ['Port', 'abc'],
  ['compress', 'zstd'],
  ['net.dns.mode', 'foo'],
  ['Log_Suppress_Interval', 'abc'],
  ['oauth2.enable', 'true'],
  ['active', 'false']
]

maybe('option values against the real router', () => {
  it('refuses a value here exactly when the router refuses it', async () => {
    const expected = VALUES.map(([name, value]) => {
      const refused = optionValueProblem(name, value)?.severity === 'error'
      return `${name} ${value}: ${refused ? 'exits' : 'starts'}`
    })
    // Four routers at a time: each takes the whole window when it starts.
    const seen: string[] = []
    for (let i = 0; i < VALUES.length; i += 4) {
      const batch = VALUES.slice(i, i + 4)
      const verdicts = await Promise.all(
        batch.map(([name, value]) =>
          start([
            ['tls', 'on'],
            [name, value]
          ])
        )
      )
      batch.forEach(([name, value], j) => seen.push(`${name} ${value}: ${verdicts[j]}`))
    }
    expect(seen).toEqual(expected)
    // Both kinds are in the table, so neither half of the rule goes untested.
    expect(expected.filter(e => e.endsWith('exits')).length).toBeGreaterThan(3)
    expect(expected.filter(e => e.endsWith('starts')).length).toBeGreaterThan(3)
  })

  it('tls.key_file without tls.crt_file stops the router, as the pair check says', async () => {
    const options: [string, string][] = [
      ['tls', 'on'],
      ['tls.key_file', key]
    ]
    expect(optionSetProblems(new OptionMap(options)).map(p => p.severity)).toEqual(['error'])
    expect(await start(options)).toBe('exits')
  })

  it('a tls file that is not in the router stops it, as the warning says', async () => {
    expect(optionValueProblem('tls.ca_file', '/nonexistent/ca.pem')?.message).toMatch(/refuses to start/)
    expect(
      await start([
        ['tls', 'on'],
        ['tls.ca_file', '/nonexistent/ca.pem']
      ])
    ).toBe('exits')
  })
})

maybe('a header as the action writes it', () => {
  let server: Server
  let received: Promise<IncomingHttpHeaders>
  beforeAll(async () => {
    let resolve: (headers: IncomingHttpHeaders) => void = () => undefined
    received = new Promise(r => (resolve = r))
    server = createServer((req, res) => {
      resolve(req.headers)
      req.resume()
      res.writeHead(202).end('{}')
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
  })
  afterAll(() => new Promise<void>(r => server.close(() => r())))

  it('arrives as the header the user meant: X-Team: payments', async () => {
    const port = (server.address() as AddressInfo).port
    const written = routerHeader('X-Team: payments')!
    expect(written).toBe('X-Team payments')
    await start([['header', written]], port)
    expect((await received)['x-team']).toBe('payments')
  })
})
