import { UserError } from '../errors.js'
import type { Logger } from '../logger.js'
import { SITES, apiBase, type Site } from '../sites.js'
import { keyOnOtherSite, keyRejectedEverywhere } from './site-mismatch.js'

export type ApiBaseFor = (site: Site) => string
export type Fetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal }
) => Promise<{ status: number }>

const TIMEOUT_MS = 10_000

/**
 * Asks Datadog whether the key is valid on the chosen site (GET /api/v1/validate). A 403 there means a bad key or a
 * key of another site: the other sites are probed to tell which, since sites are fully separate. A network problem
 * only warns: the check is a convenience, not a gate on Datadog's availability.
 */
export async function validateApiKey(
  key: string,
  site: Site,
  logger: Logger,
  fetchFn: Fetch,
  baseFor: ApiBaseFor = apiBase
): Promise<void> {
  const answer = await probe(key, site, fetchFn, baseFor)
  if (answer.status === 200) {
    logger.info(`API key check: the key is valid on ${site.code} (${site.domain}).`)
    return
  }
  if (answer.status !== 403) {
    logger.warning(
      `Could not validate the API key with ${baseFor(site)} (${answer.status === undefined ? 'no answer' : `HTTP ${answer.status}`}); going on without the check.${answer.failure ? ` ${answer.failure}` : ''}`,
      { title: 'API key not validated' }
    )
    return
  }
  const others = SITES.filter(s => s !== site)
  const answers = await Promise.all(
    others.map(async s => ({ site: s, status: (await probe(key, s, fetchFn, baseFor)).status }))
  )
  const home = answers.find(a => a.status === 200)?.site
  if (home) {
    const text = keyOnOtherSite(home, site)
    throw new UserError(text.message, text.hint)
  }
  const text = keyRejectedEverywhere(site)
  throw new UserError(text.message, text.hint)
}

/** The status of GET /api/v1/validate, or why there is none (a sentence, for the warning). */
async function probe(
  key: string,
  site: Site,
  fetchFn: Fetch,
  baseFor: ApiBaseFor
): Promise<{ status?: number; failure?: string }> {
  const signal = AbortSignal.timeout(TIMEOUT_MS)
  try {
    const response = await fetchFn(`${baseFor(site)}/api/v1/validate`, { headers: { 'DD-API-KEY': key }, signal })
    return { status: response.status }
  } catch (error) {
    if (signal.aborted) return { failure: `No answer within ${TIMEOUT_MS / 1000} s.` }
    // A network error's first line (code, host, proxy): never the request, so never the key.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200)
    return { failure: `Cause: ${key ? reason.replaceAll(key, '***') : reason}.` }
  }
}

/** Tests point the check at a loopback server: `{domain}` in the template is replaced by the site's domain. */
export function apiBaseFromTemplate(template: string | undefined): ApiBaseFor {
  return template ? site => template.replace('{domain}', site.domain).replace(/\/+$/, '') : apiBase
}
