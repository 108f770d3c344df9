import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  DATADOG_PLUGIN_OPTIONS,
  GENERIC_OUTPUT_OPTIONS,
  NET_OPTIONS,
  RESERVED_OPTIONS,
  ROUTER_OPTIONS,
  TLS_OPTIONS,
  optionProblem,
  reservedOption,
  routerOptionName
} from '../../../src/core/router/option-names.js'

/** Each spelling a user may write: as listed, lower, upper. */
const spellings = (name: string): string[] => [name, name.toLowerCase(), name.toUpperCase()]

describe('the names the router accepts, by family (observed with Fluent Bit 5.1.1)', () => {
  it("the datadog plugin's own names: exactly the list the router prints with its error", () => {
    expect([...DATADOG_PLUGIN_OPTIONS]).toEqual([
      'compress',
      'header',
      'apikey',
      'dd_service',
      'dd_source',
      'dd_tags',
      'dd_hostname',
      'proxy',
      'include_tag_key',
      'tag_key',
      'dd_message_key',
      'provider',
      'json_date_key'
    ])
    for (const name of DATADOG_PLUGIN_OPTIONS) for (const s of spellings(name)) expect(routerOptionName(s)).toBe(name)
  })

  it('the generic output names, in any case', () => {
    expect([...GENERIC_OUTPUT_OPTIONS].sort()).toEqual(
      [
        'Name',
        'Match',
        'Match_Regex',
        'Alias',
        'Log_Level',
        'Log_Suppress_Interval',
        'Host',
        'Port',
        'IPv6',
        'Retry_Limit',
        'Workers',
        'storage.total_limit_size'
      ].sort()
    )
    for (const name of GENERIC_OUTPUT_OPTIONS) for (const s of spellings(name)) expect(routerOptionName(s)).toBe(name)
    expect(optionProblem('retry_limit', '2')).toBeUndefined()
    expect(optionProblem('WORKERS', '2')).toBeUndefined()
  })

  it('the tls.* names, in any case', () => {
    expect(TLS_OPTIONS.every(name => name === 'tls' || name.startsWith('tls.'))).toBe(true)
    expect(TLS_OPTIONS).toHaveLength(13)
    for (const name of TLS_OPTIONS) for (const s of spellings(name)) expect(routerOptionName(s)).toBe(name)
    expect(optionProblem('tls.ca_file', '/etc/ssl/ca.pem')).toBeUndefined()
    expect(optionProblem('tls.verfy', 'on')?.hint).toMatch(/^Did you mean tls\.verify\?/)
  })

  it('the net.* names, in any case', () => {
    expect(NET_OPTIONS.every(name => name.startsWith('net.'))).toBe(true)
    expect(NET_OPTIONS).toHaveLength(17)
    for (const name of NET_OPTIONS) for (const s of spellings(name)) expect(routerOptionName(s)).toBe(name)
    expect(optionProblem('net.keepalive', 'off')).toBeUndefined()
    expect(optionProblem('net.keepalive_idle_timout', '30')?.hint).toMatch(/Did you mean net\.keepalive_idle_timeout\?/)
  })

  it('knows nothing else: a name outside the four families is unknown', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.-]{1,30}$/), name => {
        const known = ROUTER_OPTIONS.some(option => option.toLowerCase() === name.toLowerCase())
        expect(routerOptionName(name) !== undefined).toBe(known)
      })
    )
  })
})

describe('unknown names', () => {
  it.each([
    ['Retry_Limt', 'Retry_Limit'],
    ['retry-limit', 'Retry_Limit'],
    ['dd_host', 'dd_hostname'],
    ['compres', 'compress'],
    ['Log_Levl', 'Log_Level']
  ])('refuses %s, naming the closest valid name %s', (name, closest) => {
    const problem = optionProblem(name, 'x')!
    expect(problem.message).toContain(`"${name}", which is not an option of Fluent Bit's datadog output`)
    expect(problem.hint).toMatch(new RegExp(`^Did you mean ${closest.replace('.', '\\.')}\\?`))
  })

  it('lists the valid names when nothing is close, without the reserved ones', () => {
    const { hint } = optionProblem('zzzzzz', 'x')!
    expect(hint).toMatch(/^Valid names \(any case\): compress, header, dd_hostname/)
    expect(hint).toContain('Retry_Limit')
    expect(hint).not.toMatch(/\bdd_service\b|\bMatch\b|\bapikey\b/)
  })

  it('points a near miss of a reserved name at the input that sets it', () => {
    expect(optionProblem('dd_servce', 'web')!.hint).toMatch(/Did you mean dd_service\? Set the `service` input instead/)
  })
})

describe('reserved names', () => {
  it.each([
    ['Name', /output is always datadog/],
    ['host', /derived from `site`/],
    ['TLS', /always on/],
    ['APIKEY', /api-key-secret/],
    ['match', /Match <container>-firelens\*/],
    ['Match_regex', /other containers' logs/],
    ['DD_SERVICE', /`service` input/],
    ['dd_source', /`source` input/],
    ['dd_Tags', /`tags` input/]
  ])('refuses %s and says what to do instead', (name, hint) => {
    const problem = optionProblem(name, 'x')!
    expect(problem.message).toMatch(/^sets \w+, which (this action|FireLens) controls\.$/)
    expect(problem.hint).toMatch(hint)
    expect(reservedOption(name)).toBeDefined()
  })

  it('reserves only names the router accepts', () => {
    for (const name of Object.keys(RESERVED_OPTIONS))
      expect(routerOptionName(name)?.toLowerCase()).toBe(name.toLowerCase())
  })
})

describe('TLS verification', () => {
  it.each(['tls.verify', 'TLS.Verify', 'tls.verify_hostname', 'Tls.Verify_Hostname'])(
    'refuses %s with any value Fluent Bit reads as off',
    name => {
      for (const value of ['off', 'OFF', 'false', 'False', 'no', 'No', '0', 'n', 'disabled', ' off ', '']) {
        const problem = optionProblem(name, value)
        expect(problem?.message).toMatch(/turn(s|ing) off checking the intake's certificate.*whoever intercepts/)
      }
    }
  )

  it('accepts on and true, the spellings every Fluent Bit version reads as on', () => {
    for (const value of ['on', 'On', 'ON', 'true', 'TRUE']) {
      expect(optionProblem('tls.verify', value)).toBeUndefined()
      expect(optionProblem('tls.verify_hostname', value)).toBeUndefined()
    }
    // Fluent Bit 1.9 reads yes as off.
    expect(optionProblem('tls.verify', 'yes')?.message).toMatch(/"yes", which Fluent Bit 1\.9 reads as off/)
  })

  it('shows a short word it refuses, never a longer value', () => {
    expect(optionProblem('tls.verify', 'off')!.message).toContain('"off"')
    expect(optionProblem('tls.verify', 'some long value here')!.message).toContain('a value other than on')
  })
})
