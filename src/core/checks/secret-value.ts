import { UserError } from '../errors.js'

/**
 * What ECS hands the log router as the API key, from a Secrets Manager value: the whole SecretString, or one key of
 * its JSON when the reference ends in `:<json-key>::`. `validate-api-key` must check that same string, so a JSON
 * secret referenced without its key (ECS would pass the whole JSON) is an error that says how to select the key.
 * No message ever contains the value, nor a key name that could be part of it.
 */
export function apiKeyFromSecret(value: string, secretId: string, jsonKey?: string): string {
  const json = parseObject(value)
  if (jsonKey === undefined) {
    if (!json) return value
    const suggestion = suggestKey(json)
    throw new UserError(
      `The Secrets Manager secret ${secretId} (api-key-secret) holds JSON ${describeKeys(json)}, but api-key-secret selects none of its keys: ECS would hand the whole JSON to the log router as the API key, and Datadog would reject every log.`,
      `Select the key that holds the API key, in ECS's arn…:json-key:: form: api-key-secret: ${secretId}:${suggestion ?? '<json-key>'}::`
    )
  }
  const where = `The Secrets Manager secret ${secretId} (api-key-secret, json-key "${jsonKey}")`
  if (!json) {
    throw new UserError(
      `${where} is not a JSON object, so the key "${jsonKey}" selects nothing: the task would fail to start (ECS cannot pull the secret).`,
      `Drop ":${jsonKey}::" from api-key-secret to use the whole value, or store the key as JSON ({"${jsonKey}": "<API key>"}).`
    )
  }
  if (!Object.hasOwn(json, jsonKey)) {
    throw new UserError(
      `${where} has no key "${jsonKey}"; it holds ${describeKeys(json)}. The task would fail to start (ECS cannot pull the secret).`,
      `Set api-key-secret to ${secretId}:<json-key>:: with the key that holds the API key.`
    )
  }
  const field = json[jsonKey]
  if (typeof field !== 'string') {
    throw new UserError(
      `${where}: the value of "${jsonKey}" is not a string (${field === null ? 'null' : Array.isArray(field) ? 'an array' : typeof field}), so it cannot be the API key.`,
      'Store the API key as a JSON string value.'
    )
  }
  return field
}

function parseObject(value: string): Record<string, unknown> | undefined {
  const text = value.trim()
  if (!text.startsWith('{')) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    // JSON.parse's message quotes the text: never let the secret reach a log.
    return undefined
  }
}

/** A key name that reads like a name (api_key, DD_API_KEY), not like a key or token someone used as a name. */
function isSafeKeyName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(name) && !/[0-9a-f]{16,}/i.test(name) && !/\d{6,}/.test(name)
}

const MAX_LISTED = 10

/** "with the keys a, b" when every name is safe to print; otherwise only how many there are. */
function describeKeys(json: Record<string, unknown>): string {
  const names = Object.keys(json)
  if (names.length === 0) return '(an empty object)'
  if (!names.every(isSafeKeyName)) return `(${names.length} key${names.length === 1 ? '' : 's'}; names not shown)`
  const listed = names.slice(0, MAX_LISTED).join(', ')
  return `with the key${names.length === 1 ? '' : 's'} ${listed}${names.length > MAX_LISTED ? ', …' : ''}`
}

/** The key most likely to hold a Datadog API key: the only value shaped like one, else a name that says so. */
function suggestKey(json: Record<string, unknown>): string | undefined {
  const safe = Object.keys(json).filter(isSafeKeyName)
  const byValue = safe.filter(name => {
    const field = json[name]
    return typeof field === 'string' && /^[0-9a-f]{32}$/i.test(field.trim())
  })
  if (byValue.length === 1) return byValue[0]
  const byName = safe.filter(name => /api[_.-]?key/i.test(name))
  if (byName.length === 1) return byName[0]
  // A lone key is the one, whatever its name.
  return Object.keys(json).length === 1 ? safe[0] : undefined
}
