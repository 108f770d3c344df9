import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { FLUENT_BIT_2X, optionNeeds, optionSince } from '../../../src/core/router/option-versions.js'
import { ROUTER_OPTIONS } from '../../../src/core/router/option-names.js'
import { compareVersions } from '../../../src/core/router/router-version.js'

describe('option names by Fluent Bit version', () => {
  it.each(['dd_hostname', 'header', 'DD_HOSTNAME', 'tls.verify_hostname', 'net.tcp_keepalive', 'tls.ciphers'])(
    'Fluent Bit 1.9.10 (aws-for-fluent-bit 2.x) does not have %s',
    name => {
      expect(optionNeeds(name, FLUENT_BIT_2X)).toBeDefined()
    }
  )

  it.each([
    'compress',
    'provider',
    'dd_message_key',
    'Retry_Limit',
    'Workers',
    'net.keepalive',
    'net.dns.mode',
    'tls.verify'
  ])('Fluent Bit 1.9.10 has %s', name => {
    expect(optionNeeds(name, FLUENT_BIT_2X)).toBeUndefined()
  })

  it('names the version a name needs', () => {
    expect(optionNeeds('dd_hostname', FLUENT_BIT_2X)).toBe('3.1.0')
    expect(optionNeeds('header', [3, 1])).toBe('3.2.0')
    expect(optionNeeds('header', [3, 2])).toBeUndefined()
  })

  it('Fluent Bit 5.0.9 (the pinned router) has every name the check accepts', () => {
    for (const name of ROUTER_OPTIONS) expect(optionNeeds(name, [5, 0, 9])).toBeUndefined()
  })

  it('a name no version accepts is left to the name check', () => {
    expect(optionSince('retry_limt')).toBeUndefined()
    expect(optionNeeds('retry_limt', [1, 9, 10])).toBeUndefined()
  })

  it('a name available in one version stays available in every later one', () => {
    const version = fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 12 }), fc.nat({ max: 20 }))
    fc.assert(
      fc.property(fc.constantFrom(...ROUTER_OPTIONS), version, version, (name, a, b) => {
        const [older, newer] = compareVersions(a, b) <= 0 ? [a, b] : [b, a]
        if (optionNeeds(name, older) === undefined) expect(optionNeeds(name, newer)).toBeUndefined()
      })
    )
  })
})
