import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../__fixtures__/user-error.js'
import { SITES, apiBase, intakeHost, resolveSite } from '../../src/core/sites.js'

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
