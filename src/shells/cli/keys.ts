import { findDatadogKeys, isDatadogKey } from '../../core/datadog-key.js'
import type { ParsedFlags } from './flags.js'

// A Datadog API key is 32 hexadecimal characters, an application key 40.
const API_KEY_TOKEN = /(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/i

/**
 * The flags the jobs check themselves, with their own messages and masks, as the actions do: a key where its
 * reference belongs, or among the router options.
 */
const CHECKED_BY_THE_JOB = new Set(['api-key-secret', 'application-key-secret', 'log-options'])

/**
 * Every key-like value on the command line (to mask before anything runs), and the first flag that holds one where
 * no key belongs: a whole value of 32 or 40 hex characters, or an API-key-like run of 32 inside one. A run of 40
 * inside a value, and a whole `--version` of 40, is a git commit SHA and allowed.
 */
export function keysOnTheCommandLine(flags: ParsedFlags): { secrets: string[]; refused?: string } {
  const secrets = new Set<string>()
  let refused: string | undefined
  for (const [name, values] of flags.values) {
    for (const value of values) {
      for (const key of findDatadogKeys(value)) secrets.add(key)
      if (isDatadogKey(value)) secrets.add(value.trim())
      if (CHECKED_BY_THE_JOB.has(name) || refused) continue
      const commitSha = name === 'version' && /^[0-9a-f]{40}$/i.test(value.trim())
      if ((isDatadogKey(value) && !commitSha) || API_KEY_TOKEN.test(value)) refused = name
    }
  }
  return { secrets: [...secrets], ...(refused ? { refused } : {}) }
}

/** The refusal, without the value. */
export function keyRefusal(flag: string): string {
  return `\`--${flag}\` holds what looks like a Datadog API or application key (32 or 40 hexadecimal characters); its value is not shown.\nA key never goes on a command line (shell history, process lists, CI logs): keep it in SSM Parameter Store or Secrets Manager and pass its name with --api-key-secret. Then rotate that key: it has been exposed.`
}
