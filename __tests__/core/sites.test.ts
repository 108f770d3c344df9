import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../__fixtures__/user-error.js'
import { SITES, apiBase, intakeHost, resolveSite, siteSuggestions } from '../../src/core/sites.js'

describe('resolving the Datadog site', () => {
  it.each([
    ['ap1', 'AP1'],
    ['AP1', 'AP1'],
    [' eu1 ', 'EU1'],
    ['us1-fed', 'US1-FED'],
    ['us1_fed', 'US1-FED'],
    ['ap1.datadoghq.com', 'AP1'],
    ['datadoghq.com', 'US1'],
    ['https://app.datadoghq.eu', 'EU1'],
    ['https://app.datadoghq.eu/logs?query=x', 'EU1'],
    ['https://us3.datadoghq.com/', 'US3'],
    ['http-intake.logs.datadoghq.eu', 'EU1'],
    ['api.us5.datadoghq.com', 'US5'],
    ['https://app.ddog-gov.com', 'US1-FED'],
    ['us2.ddog-gov.com', 'US2-FED'],
    ['AP2.DATADOGHQ.COM', 'AP2'],
    ['uk1', 'UK1'],
    ['UK1', 'UK1'],
    ['uk1.datadoghq.com', 'UK1'],
    ['https://app.uk1.datadoghq.com/logs', 'UK1'],
    ['http-intake.logs.uk1.datadoghq.com', 'UK1']
  ])('reads %j as %s', (input, code) => {
    expect(resolveSite(input).code).toBe(code)
  })

  it('derives the intake host and API from the site domain', () => {
    expect(intakeHost(resolveSite('ap1'))).toBe('http-intake.logs.ap1.datadoghq.com')
    expect(intakeHost(resolveSite('eu1'))).toBe('http-intake.logs.datadoghq.eu')
    expect(apiBase(resolveSite('us3'))).toBe('https://api.us3.datadoghq.com')
    expect(intakeHost(resolveSite('uk1'))).toBe('http-intake.logs.uk1.datadoghq.com')
    expect(apiBase(resolveSite('uk1.datadoghq.com'))).toBe('https://api.uk1.datadoghq.com')
  })

  it('fails on an unknown site with the list of valid ones', () => {
    const text = userErrorText(() => resolveSite('ap3'))
    expect(text).toContain('"ap3"')
    for (const site of SITES) expect(text).toContain(site.code)
  })

  it('fails on an empty site instead of defaulting to US1', () => {
    expect(userErrorText(() => resolveSite('  '))).toMatch(/empty.*403/s)
  })

  it('resolves every code and domain, in any case, to itself', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.boolean(), fc.boolean(), (site, useDomain, upper) => {
        const text = useDomain ? site.domain : site.code
        expect(resolveSite(upper ? text.toUpperCase() : text.toLowerCase())).toBe(site)
      })
    )
  })
})

describe('suggesting the site a value most likely meant', () => {
  it.each([
    ['eu', ['EU1']],
    ['ap-1', ['AP1']],
    ['AP_2', ['AP2']],
    ['eu1.datadoghq.com', ['EU1']],
    ['https://app.us3.datadog.com', ['US3']],
    ['logs.datadoghq.eu', ['EU1']],
    ['uk', ['UK1']],
    ['ap', ['AP1', 'AP2']],
    ['gov', ['US1-FED', 'US2-FED']],
    ['datadoghq.ue', ['EU1']],
    ['ddog-gov.co', ['US1-FED']]
  ])('suggests for %j: %j', (input, codes) => {
    expect(siteSuggestions(input).map(s => s.code)).toEqual(codes)
    const text = userErrorText(() => resolveSite(input))
    expect(text).toContain(`Did you mean ${codes[0]} (`)
    // Still the whole list: a suggestion is a hint, not a choice made for the user.
    for (const site of SITES) expect(text).toContain(site.code)
  })

  it('suggests nothing for a value that is nothing like a site', () => {
    expect(siteSuggestions('foo')).toEqual([])
    expect(userErrorText(() => resolveSite('foo'))).not.toContain('Did you mean')
  })

  it('never resolves a near miss: every suggestion is only in the error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.constantFrom('-', ' x', 'x', '.'), (site, noise) => {
        const value = `${site.code}${noise}`
        expect(() => resolveSite(value)).toThrow()
      })
    )
  })

  it('suggests only sites that exist, and the meant one for a code with one letter changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.integer({ min: 0, max: 2 }), (site, at) => {
        const code = site.code.toLowerCase()
        const typo = `${code.slice(0, at)}${code.slice(at + 1)}`
        const suggestions = siteSuggestions(typo)
        for (const s of suggestions) expect(SITES).toContain(s)
      })
    )
  })
})
