/**
 * What a Datadog key looks like: an API key is 32 hexadecimal characters, an application key 40. Such a value where
 * a reference or an option belongs is a key pasted in clear text: it must be masked before anything can print it,
 * refused, and never repeated in a message.
 */

// A run of exactly 32 or 40 hex characters: longer runs (a SHA-256) and shorter ones are something else.
const KEY_TOKEN = /(?<![0-9a-f])(?:[0-9a-f]{40}|[0-9a-f]{32})(?![0-9a-f])/gi

/** Whether the whole value (trimmed) is a key. */
export function isDatadogKey(value: string): boolean {
  return /^(?:[0-9a-f]{32}|[0-9a-f]{40})$/i.test(value.trim())
}

/** Every key-like run in `text`, e.g. in `header=DD-API-KEY <key>`, for masking. */
export function findDatadogKeys(text: string): string[] {
  return [...new Set(text.match(KEY_TOKEN) ?? [])]
}
