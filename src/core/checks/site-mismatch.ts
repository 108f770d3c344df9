import { intakeHost, type Site } from '../sites.js'

/**
 * One text per problem, wherever it is found: the main action's `validate-api-key` (a key that another site accepts,
 * or none) and the verify action (an `HTTP status=403` line in the router's log, a 403 from the logs search) point at
 * the same fix.
 */
export interface ProblemText {
  message: string
  hint: string
}

/** What a 403 from Datadog means, for a message that quotes one. */
export const FORBIDDEN_MEANING =
  'Datadog refused the API key: it belongs to another Datadog site (sites are fully separate), or it is invalid or revoked'

/** The fix for a 403 when it is not yet known which of the two it is. */
export const FORBIDDEN_FIX =
  'Set `site` to the site your key belongs to (the one in the URL you log in to Datadog with), and run the main action with `validate-api-key: true`: it names the site a key belongs to, or says that no site accepts it (then put a valid key in the secret: Organization Settings → API Keys).'

/** The key works, but on another site. */
export function keyOnOtherSite(home: Site, site: Site): ProblemText {
  return {
    message: `The Datadog API key belongs to ${home.code} (${home.domain}), not to ${site.code}: logs sent to ${site.code} would be rejected with HTTP 403.`,
    hint: `Set site: ${home.code}.`
  }
}

/** No site accepts the key. */
export function keyRejectedEverywhere(site: Site): ProblemText {
  return {
    message: `Datadog rejected the API key on ${site.code} (HTTP 403), and no other site accepts it.`,
    hint: 'The key is invalid or revoked: put a valid key in the secret (Organization Settings → API Keys).'
  }
}

/** The router sends to another site's intake than `site`: its Host is wrong, whatever the key. */
export function routerSendsToOtherSite(sentTo: Site, site: Site): ProblemText {
  return {
    message: `The log router sends to ${sentTo.code}'s intake (${intakeHost(sentTo)}), but \`site\` is ${site.code}: a key of ${site.code} gets HTTP 403 there.`,
    hint: `Run the main action with site: ${site.code} on this task definition (it sets Host to ${intakeHost(site)}), then deploy the new revision.`
  }
}
