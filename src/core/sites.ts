import { editDistance } from './checks/suggest.js'
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

  const meant = siteSuggestions(raw)
  const didYouMean =
    meant.length === 0 ? '' : `Did you mean ${meant.map(s => `${s.code} (${s.domain})`).join(' or ')}? `
  throw new UserError(
    `Input \`site\` is "${raw}", which is not a Datadog site this action knows.`,
    `${didYouMean}Use one of: ${validSiteList()}. Your site is in the URL you use to log in to Datadog (e.g. https://ap1.datadoghq.com is AP1).`
  )
}

/** A code or domain as compared loosely: lower case, without separators (`ap-1`, `AP_1`, `ap 1` are `ap1`). */
const loose = (text: string): string => text.toLowerCase().replace(/[-_\s]/g, '')

/**
 * The sites a value that is not one most likely meant, best first (never chosen for the user: the site decides where
 * the key is accepted). Covers a code with a separator (`ap-1`), a code without its number (`eu` → EU1, `us` → US1,
 * US3, US5), a code written as a subdomain (`eu1.datadoghq.com` → EU1), a known domain inside a longer host, and
 * near-miss spellings of a code or a domain (`datadoghq.ue`, `ap11`).
 */
export function siteSuggestions(input: string): Site[] {
  const raw = input.trim().toLowerCase()
  if (raw === '') return []
  const host = raw
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
  const labels = host.split('.')
  const byCode = (code: string): Site[] => SITES.filter(s => loose(s.code) === loose(code))
  const found: Site[] = []
  const add = (sites: readonly Site[]): void => {
    for (const site of sites) if (!found.includes(site)) found.push(site)
  }
  // The code itself with a separator, or as the first label of a host (eu1.datadoghq.com, app.eu1.datadoghq.com).
  add(byCode(host))
  for (const label of labels.slice(0, 3)) add(byCode(label))
  if (found.length > 0) return found
  // A host that ends with a site's domain (logs.datadoghq.eu, foo.us3.datadoghq.com): the longest domain wins.
  const suffix = [...SITES]
    .sort((a, b) => b.domain.length - a.domain.length)
    .find(s => host.endsWith(`.${s.domain}`) || host === s.domain)
  if (suffix) return [suffix]
  // A code without its number or suffix: eu → EU1, us → US1, US3, US5, fed → the two FED sites.
  const word = loose(labels[0] ?? '')
  if (word.length >= 2) {
    add(SITES.filter(s => loose(s.code).replace(/\d+/g, '') === word.replace(/\d+/g, '') && !/\d/.test(word)))
    add(SITES.filter(s => !/\d/.test(word) && loose(s.code).split(/\d/).includes(word)))
  }
  if (found.length > 0) return found
  // A word of a domain: gov → the two ddog-gov.com sites.
  if (word.length >= 3) add(SITES.filter(s => s.domain.split(/[.-]/).includes(word) && !/^(datadoghq|com)$/.test(word)))
  if (found.length > 0) return found
  // Near misses of a code or a domain: at most one edit in a short code, two in a domain.
  const scored = SITES.map(site => ({
    site,
    distance: Math.min(
      editDistance(loose(host), loose(site.code)) <= 1 ? 1 : Infinity,
      editDistance(host, site.domain) <= 2 ? editDistance(host, site.domain) : Infinity
    )
  })).filter(s => s.distance !== Infinity)
  const best = Math.min(...scored.map(s => s.distance))
  return scored.filter(s => s.distance === best).map(s => s.site)
}

function validSiteList(): string {
  return SITES.map(s => `${s.code} (${s.domain})`).join(', ')
}
