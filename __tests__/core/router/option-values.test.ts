import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { OptionMap } from '../../../src/core/patch/options.js'
import {
  inertOption,
  optionSetProblems,
  optionValueProblem,
  routerHeader,
  shownValue
} from '../../../src/core/router/option-values.js'

// Each row was run against the real router (Fluent Bit 5.0.9): "exits" rows stopped it at start-up, the others
// started it.
const severity = (name: string, value: string): string | undefined => optionValueProblem(name, value)?.severity

describe('option values the router refuses at start-up', () => {
  it.each([
    ['Log_Level', 'verbose'],
    ['log_level', 'none'],
    ['storage.total_limit_size', 'lots'],
    ['storage.total_limit_size', '-1'],
    ['storage.total_limit_size', '5KiB'],
    ['storage.total_limit_size', '5T'],
    ['storage.total_limit_size', '5 M'],
    ['include_tag_key', 'maybe'],
    ['include_tag_key', '1'],
    ['include_tag_key', 'y'],
    ['net.keepalive', 'maybe'],
    ['net.dns.prefer_ipv4', 'maybe'],
    ['net.tcp_keepalive', '0'],
    ['net.proxy_env_ignore', 'maybe'],
    ['net.connect_timeout_log_error', 'x'],
    ['proxy', 'foo']
  ])('%s %s is an error', (name, value) => {
    const problem = optionValueProblem(name, value)!
    expect(problem.severity).toBe('error')
    expect(problem.message).toMatch(/refuse it at start-up and stop the task/)
  })

  it.each([
    ['Log_Level', 'off'],
    ['Log_Level', 'WARN'],
    ['Log_Level', 'warning'],
    ['Log_Level', 'trace'],
    ['storage.total_limit_size', '5M'],
    ['storage.total_limit_size', '5mb'],
    ['storage.total_limit_size', '1.5M'],
    ['storage.total_limit_size', '1G'],
    ['storage.total_limit_size', '100'],
    ['storage.total_limit_size', 'off'],
    ['include_tag_key', 'TRUE'],
    ['include_tag_key', 'Yes'],
    ['include_tag_key', 'off'],
    ['net.keepalive', 'on'],
    ['Retry_Limit', '2'],
    ['Retry_Limit', 'no_limits'],
    ['Retry_Limit', 'NO_LIMITS'],
    ['Retry_Limit', 'False'],
    ['Retry_Limit', 'off'],
    ['Retry_Limit', 'no_retries'],
    ['Retry_Limit', '1000000'],
    ['compress', 'gzip'],
    ['compress', 'GZIP'],
    ['provider', 'ecs'],
    ['Port', '443'],
    ['Workers', '2'],
    ['net.connect_timeout', '10'],
    ['net.dns.mode', 'udp'],
    ['net.dns.resolver', 'ASYNC'],
    ['tls.min_version', 'TLSv1.2'],
    ['Log_Suppress_Interval', '10s'],
    ['header', 'X-Team payments'],
    ['proxy', 'http://proxy:3128'],
    ['dd_message_key', 'log'],
    ['json_date_key', 'false']
  ])('%s %s is accepted as it is', (name, value) => {
    expect(optionValueProblem(name, value)).toBeUndefined()
  })
})

describe('option values the router starts with but does not read as written', () => {
  it.each([
    ['Retry_Limit', 'true', /invalid retry_limit/],
    ['Retry_Limit', '0', /retries once and then drops the chunk/],
    ['Retry_Limit', 'unlimited', /no_limits/],
    ['Retry_Limit', '2.5', /reads it as 2/],
    ['IPv6', 'maybe', /reads it as off/],
    ['Port', 'abc', /not a whole number from 1 to 65,535/],
    ['Port', '70000', /from 1 to 65,535/],
    ['Workers', 'abc', /1 or more/],
    ['net.connect_timeout', '1m', /seconds/],
    ['compress', 'zstd', /uncompressed/],
    ['provider', 'foo', /only ecs/],
    ['net.dns.mode', 'foo', /UDP or TCP/],
    ['tls.min_version', '1.2', /TLSv1.2/],
    ['Log_Suppress_Interval', 'abc', /10s/],
    ['proxy', 'https://proxy:3128', /HTTP proxy/],
    ['header', 'X-Team', /<Name> <value>/],
    ['net.source_address', 'foo', /IP address/],
    ['tls.ciphers', 'foo', /OpenSSL cipher list/],
    ['tls.ca_file', '/etc/ssl/ca.pem', /must exist inside the log router's container/],
    ['tls.key_file', '/certs/k.pem', /encrypted key also needs tls.key_passwd/]
  ])('%s %s is a warning', (name, value, text) => {
    const problem = optionValueProblem(name, value)!
    expect(problem.severity).toBe('warning')
    expect(`${problem.message} ${problem.hint}`).toMatch(text)
  })

  it('never shows a password, a proxy URL (it may hold credentials) or a key-like value', () => {
    expect(optionValueProblem('proxy', 'http://user:s3cret@proxy')).toBeUndefined()
    expect(optionValueProblem('proxy', 'https://user:s3cret@proxy')!.message).not.toContain('s3cret')
    const key = 'a'.repeat(32)
    expect(optionValueProblem('Log_Level', key)!.message).not.toContain(key)
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), key => {
        expect(shownValue(`x ${key}`)).toBe('a value')
      })
    )
  })

  it('judges names in any case alike', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Log_Level', 'storage.total_limit_size', 'include_tag_key', 'Retry_Limit', 'Port'),
        fc.constantFrom('verbose', 'lots', 'maybe', '2', 'abc'),
        fc.boolean(),
        (name, value, upper) => {
          const spelled = upper ? name.toUpperCase() : name.toLowerCase()
          expect(severity(spelled, value)).toBe(severity(name, value))
        }
      )
    )
  })
})

describe('options that must go together', () => {
  const set = (...entries: [string, string][]): string[] =>
    optionSetProblems(new OptionMap(entries)).map(p => `${p.severity}: ${p.option}`)

  it('refuses tls.key_file without tls.crt_file (the router exits), and warns about the halves that do nothing', () => {
    expect(set(['tls.key_file', '/k.pem'])).toEqual(['error: tls.key_file'])
    expect(set(['TLS.Key_File', '/k.pem'], ['tls.crt_file', '/c.pem'])).toEqual([])
    expect(set(['tls.crt_file', '/c.pem'])).toEqual(['warning: tls.crt_file'])
    expect(set(['tls.key_passwd', 'pw'])).toEqual(['warning: tls.key_passwd'])
    expect(set(['tls.key_file', '/k.pem'], ['tls.crt_file', '/c.pem'], ['tls.key_passwd', 'pw'])).toEqual([])
  })
})

describe('header as the router reads it', () => {
  it('turns "Name: value" into "Name value" and leaves the right form alone', () => {
    expect(routerHeader('X-Team: payments')).toBe('X-Team payments')
    expect(routerHeader('X-Team:payments')).toBe('X-Team payments')
    expect(routerHeader('Authorization: Bearer a b')).toBe('Authorization Bearer a b')
    expect(routerHeader('X-Team payments')).toBeUndefined()
    expect(routerHeader('X-Time 10:30')).toBeUndefined()
  })

  it('writes every "Name: value" as the name, one space and the value, which it then leaves alone', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][\w-]{0,10}$/), fc.stringMatching(/^\S[\w :]{0,10}$/), (n, v) => {
        const rewritten = routerHeader(`${n}: ${v}`)!
        expect(rewritten).toBe(`${n} ${v.trim()}`.trim())
        expect(routerHeader(rewritten)).toBeUndefined()
      })
    )
  })
})

describe('options the router accepts that do nothing for this output', () => {
  it('names oauth2.*, active and condition', () => {
    expect(inertOption('oauth2.enable')).toMatch(/does nothing for the datadog output/)
    expect(inertOption('OAuth2.token_url')).toMatch(/never OAuth/)
    expect(inertOption('active')).toMatch(/active false still delivers/)
    expect(inertOption('condition')).toMatch(/does nothing/)
    expect(inertOption('Retry_Limit')).toBeUndefined()
  })
})
