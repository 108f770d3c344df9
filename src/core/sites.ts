import { UserError } from './errors.js'

/** A Datadog site. Sites are fully separate: a key from one gets 403 on every other. */
export interface Site {
  /** The code Datadog's docs use, e.g. AP1. */
  code: string
  /** The site parameter (DD_SITE), e.g. ap1.datadoghq.com. */
  domain: string
}

/**
 * The sites in Datadog's "Getting Started with Datadog Sites" table, plus US2-FED and UK1 (confirmed: Datadog's CDK
 * constructs added the site on 2026-07-01, and its PrivateLink table lists http-intake.logs.uk1.datadoghq.com).
 * Every host is derived from the domain, so a site is added here and nowhere else (validate-api-key probes them all).
 */
export const SITES: readonly Site[] = [
  { code: 'US1', domain: 'datadoghq.com' },
  { code: 'US3', domain: 'us3.datadoghq.com' },
  { code: 'US5', domain: 'us5.datadoghq.com' },
  { code: 'EU1', domain: 'datadoghq.eu' },
  { code: 'AP1', domain: 'ap1.datadoghq.com' },
  { code: 'AP2', domain: 'ap2.datadoghq.com' },
  { code: 'US1-FED', domain: 'ddog-gov.com' },
  { code: 'US2-FED', domain: 'us2.ddog-gov.com' },
  { code: 'UK1', domain: 'uk1.datadoghq.com' }
]

/** Fluent Bit's datadog output Host for a site. */
export function intakeHost(site: Site): string {
  return `http-intake.logs.${site.domain}`
}

/** Base URL of the site's public API (used to validate an API key). */
export function apiBase(site: Site): string {
  return `https://api.${site.domain}`
}

// Prefixes people paste along with the domain: the web app, the intake host, the API host.
const HOST_PREFIXES = ['app.', 'http-intake.logs.', 'api.', 'www.']

/**
 * Accepts the site however users write it: `ap1`, `AP1`, `us1_fed`, `ap1.datadoghq.com`, `https://app.datadoghq.eu/`,
 * `http-intake.logs.datadoghq.eu`. Anything else fails with the list of valid values.
 */
export function resolveSite(input: string): Site {
  const raw = input.trim()
  if (raw === '') {
    throw new UserError(
      'Input `site` is empty.',
      `Set it to your Datadog site, one of: ${validSiteList()}. There is no default: a wrong site drops every log with HTTP 403.`
    )
  }
  const code = raw.toUpperCase().replace(/_/g, '-')
  const byCode = SITES.find(s => s.code === code)
  if (byCode) return byCode

  let host = raw.toLowerCase().replace(/^[a-z]+:\/\//, '')
  host = host
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
  for (const prefix of HOST_PREFIXES) {
    if (host.startsWith(prefix)) host = host.slice(prefix.length)
  }
  const byDomain = SITES.find(s => s.domain === host)
  if (byDomain) return byDomain

  throw new UserError(
    `Input \`site\` is "${raw}", which is not a Datadog site this action knows.`,
    `Use one of: ${validSiteList()}. Your site is in the URL you use to log in to Datadog (e.g. https://ap1.datadoghq.com is AP1).`
  )
}

function validSiteList(): string {
  return SITES.map(s => `${s.code} (${s.domain})`).join(', ')
}
