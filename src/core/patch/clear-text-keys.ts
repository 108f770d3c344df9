import type { TaskDefinition } from '../definition/task-definition.js'
import type { ContainerDefinition } from '../definition/task-definition.js'
import type { SecretRef } from '../secret-ref.js'
import { setSecret } from './container-settings.js'
import { OptionMap } from './options.js'

/** A Datadog API key written in clear text in the task definition. */
export interface ClearTextKey {
  container: string
  /** Where it is: `containerDefinitions[web].logConfiguration.options.APIKey`. */
  path: string
  /** `option` for a Fluent Bit apikey option, `environment` for DD_API_KEY. */
  kind: 'option' | 'environment'
  value: string
}

/**
 * Every clear-text Datadog key: an `apikey` option under any spelling (each spelling, even two in one container)
 * and DD_API_KEY in any container's environment. main.ts masks their values before anything can print them.
 */
export function findClearTextKeys(taskDefinition: TaskDefinition): ClearTextKey[] {
  const found: ClearTextKey[] = []
  const containers = Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  for (const container of containers) {
    const name = String(container?.name)
    const where = `containerDefinitions[${name}]`
    const options = container?.logConfiguration?.options
    for (const [key, value] of OptionMap.spellings(options, 'apikey')) {
      found.push({ container: name, path: `${where}.logConfiguration.options.${key}`, kind: 'option', value })
    }
    const environment = Array.isArray(container?.environment) ? container.environment : []
    environment.forEach(entry => {
      // Environment names are case-sensitive, but a dd_api_key holding a key is a leak all the same.
      if (typeof entry?.name === 'string' && entry.name.toUpperCase() === 'DD_API_KEY') {
        found.push({
          container: name,
          path: `${where}.environment[${entry.name}]`,
          kind: 'environment',
          value: typeof entry.value === 'string' ? entry.value : String(entry.value ?? '')
        })
      }
    })
  }
  return found
}

/**
 * Datadog API keys are 32 characters. A much shorter value is a placeholder (`x`, `TODO`), and masking it would hide
 * every occurrence of those characters in the whole log.
 */
const SHORTEST_MASKED = 8

/** The values to register as secrets (masked in every log line); placeholders too short to be a key left out. */
export function clearTextKeyValues(taskDefinition: TaskDefinition): string[] {
  return [...new Set(findClearTextKeys(taskDefinition).map(k => k.value.trim()))].filter(
    v => v.length >= SHORTEST_MASKED
  )
}

/** The warning for a key this run leaves where it is (a container the action does not route, an app's DD_API_KEY). */
export function keptKeyWarning(key: ClearTextKey): string {
  return `${key.container}: a Datadog API key is written in clear text at ${key.path}; this run left it there (it is masked in this log, but anyone who can read the task definition can read it). ${clearTextKeyFix(key)}`
}

/** What to do about a clear-text key (the patch's warning and the audit's finding). */
export function clearTextKeyFix(key: Pick<ClearTextKey, 'kind'>): string {
  const fix =
    key.kind === 'option'
      ? 'Route the container with this action (it moves the key to secretOptions), or replace the option by secretOptions [{"name": "apikey", "valueFrom": <SSM parameter or Secrets Manager ARN>}]'
      : 'Replace it by a `secrets` entry {"name": "DD_API_KEY", "valueFrom": <SSM parameter or Secrets Manager ARN>}'
  return `${fix}, then rotate the key.`
}

/**
 * Moves a clear-text DD_API_KEY (any case, every entry) out of a routed container's environment into `secrets`, from
 * `api-key-secret`: the same variable name, so the application reads it as before. A secret of that name the
 * container already has is kept as it is. Returns the warning, or undefined when there was nothing to move.
 */
export function moveClearTextKey(container: ContainerDefinition, apiKeySecret: SecretRef): string | undefined {
  const environment = Array.isArray(container.environment) ? container.environment : []
  const names = [
    ...new Set(
      environment
        .map(e => e?.name)
        .filter((n): n is string => typeof n === 'string' && n.toUpperCase() === 'DD_API_KEY')
    )
  ]
  if (names.length === 0) return undefined
  container.environment = environment.filter(e => !names.includes(e?.name as string))
  const secrets = Array.isArray(container.secrets) ? container.secrets : []
  const kept: string[] = []
  for (const name of names) {
    if (secrets.some(s => s?.name === name)) kept.push(name)
    else setSecret(container, name, apiKeySecret.value)
  }
  const moved = names.filter(n => !kept.includes(n))
  const said = [
    moved.length > 0 ? `it now comes from \`api-key-secret\` through secrets (${moved.join(', ')})` : '',
    kept.length > 0 ? `its secrets entry (${kept.join(', ')}) was kept` : ''
  ].filter(Boolean)
  return `${container.name}: ${names.join(' and ')} was set in clear text in its environment; it was removed and ${said.join(', and ')}. The application reads the same variable. Rotate that key.`
}
