import { describe, expect, it } from '@jest/globals'
import { appBase, logsExplorerUrl } from '../../../src/core/datadog/logs-url.js'
import { SITES, resolveSite } from '../../../src/core/sites.js'

describe('the Logs explorer link', () => {
  it.each([
    ['US1', 'https://app.datadoghq.com'],
    ['US3', 'https://us3.datadoghq.com'],
    ['US5', 'https://us5.datadoghq.com'],
    ['EU1', 'https://app.datadoghq.eu'],
    ['AP1', 'https://ap1.datadoghq.com'],
    ['AP2', 'https://ap2.datadoghq.com'],
    ['US1-FED', 'https://app.ddog-gov.com'],
    ['US2-FED', 'https://us2.ddog-gov.com']
  ])("points at %s's web app %s", (code, base) => {
    expect(appBase(resolveSite(code))).toBe(base)
  })

  it('has an app host for every site of the table', () => {
    for (const site of SITES) expect(appBase(site)).toMatch(/^https:\/\/[a-z0-9.-]+\.(com|eu)$/)
  })

  it('carries the query and a fixed time range', () => {
    const url = new URL(
      logsExplorerUrl(resolveSite('eu1'), 'task_family:web task_version:7', 1_764_064_800_000.4, 1_764_065_100_000.2)
    )
    expect(url.origin + url.pathname).toBe('https://app.datadoghq.eu/logs')
    expect(url.searchParams.get('query')).toBe('task_family:web task_version:7')
    expect(url.searchParams.get('from_ts')).toBe('1764064800000')
    expect(url.searchParams.get('to_ts')).toBe('1764065100001')
    expect(url.searchParams.get('live')).toBe('false')
  })
})
