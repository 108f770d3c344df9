import { afterEach, beforeEach } from '@jest/globals'

/** The runner's proxy settings, in both spellings @actions/http-client reads. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

/**
 * Unsets these environment variables before each test of the current `describe` (or file) and restores them after,
 * so neither the developer's settings nor one test's reach another.
 */
export function withoutEnv(names: readonly string[]): void {
  const saved = new Map<string, string | undefined>()
  beforeEach(() => {
    for (const name of names) {
      saved.set(name, process.env[name])
      delete process.env[name]
    }
  })
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}
