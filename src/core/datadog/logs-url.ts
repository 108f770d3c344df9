import type { Site } from '../sites.js'

/**
 * The web app of a site: `app.` before the sites that are a bare domain (datadoghq.com, datadoghq.eu, ddog-gov.com),
 * the site domain itself for the others (ap1.datadoghq.com, us3.datadoghq.com …), as Datadog's site table lists them.
 */
export function appBase(site: Site): string {
  return site.domain.split('.').length === 2 ? `https://app.${site.domain}` : `https://${site.domain}`
}

/** A Logs explorer link for a query over a fixed time range (epoch milliseconds). */
export function logsExplorerUrl(site: Site, query: string, fromMs: number, toMs: number): string {
  const params = new URLSearchParams({
    query,
    from_ts: String(Math.floor(fromMs)),
    to_ts: String(Math.ceil(toMs)),
    live: 'false'
  })
  return `${appBase(site)}/logs?${params.toString()}`
}
