import type { ContainerDefinition, LogConfiguration } from '../definition/task-definition.js'
import { intakeHost, type Site } from '../sites.js'
import { formatTags, mergeTags, parseExistingTags, type Tag } from '../tags.js'
import type { Change } from './change.js'
import type { PatchConfig } from './config.js'
import { OptionMap } from './options.js'
import { routerHeader } from '../router/option-values.js'

/** Options the action owns: the site decides Host, TLS is always on, the key only comes from secretOptions. */
const OWNED_OPTIONS = ['Name', 'Host', 'TLS', 'apikey'] as const

/**
 * Defaults of every routed container, kept when the container already sets them (any spelling). retry_limit 2 is
 * what Datadog's own injectors (their CDK construct, their Terraform module) set: Fluent Bit's default gives up
 * after one retry and drops the chunk.
 */
const DEFAULT_OPTIONS: readonly [string, string][] = [
  ['compress', 'gzip'],
  ['provider', 'ecs'],
  ['dd_message_key', 'log']
]
export const RETRY_LIMIT: readonly [string, string] = ['retry_limit', '2']

/** The fixed order of the options the action knows; other options follow in the order they were written. */
const OPTION_ORDER = [
  ...OWNED_OPTIONS.slice(0, 3),
  ...DEFAULT_OPTIONS.map(([name]) => name),
  'dd_service',
  'dd_source',
  'dd_tags',
  RETRY_LIMIT[0]
]

/** Fluent Bit's datadog output sends to US1 when Host is not set. */
export const DEFAULT_HOST = 'http-intake.logs.datadoghq.com'

/** The service, source and tags one container is routed with. */
export interface RouteSettings {
  /** Already decided by the caller: the `service` input, the container's own service, or the default. */
  service: string
  source: string | undefined
  /** Whether `source` came from the input, and so overrides a dd_source already there. */
  sourceExplicit: boolean
  tags: Tag[]
}

/** Gives one container the awsfirelens → datadog log configuration. Returns the warnings it has for the user. */
export function routeContainer(container: ContainerDefinition, config: PatchConfig, route: RouteSettings): string[] {
  const warnings: string[] = []
  const previous = container.logConfiguration
  const routed = routesToDatadog(previous)
  const keep = routed ? OptionMap.fromRecord(previous?.options) : new OptionMap()

  // Also from a log configuration replaced wholesale: the key is gone either way, and it must be rotated.
  const leakedKeys = OptionMap.spellings(previous?.options, 'apikey').map(([key]) => key)
  if (leakedKeys.length > 0) {
    warnings.push(
      `${container.name}: logConfiguration.options had the API key in clear text (${leakedKeys.join(', ')}); it was removed. The key now comes from secretOptions. Rotate that key.`
    )
  }
  const owned = new Set(OWNED_OPTIONS.map(name => name.toLowerCase()))
  for (const spellings of OptionMap.duplicateSpellings(routed ? previous?.options : undefined)) {
    const name = spellings[0]!
    if (owned.has(name.toLowerCase())) continue
    const values = new Set(OptionMap.spellings(previous?.options, name).map(([, value]) => value))
    if (values.size > 1) {
      warnings.push(
        `${container.name}: logConfiguration.options wrote ${name} ${spellings.length} ways with different values (${spellings.join(', ')}); Fluent Bit reads names case-insensitively, so only one can apply. Kept the value of the last one, as ${keep.keyOf(name)}.`
      )
    }
  }
  for (const name of OWNED_OPTIONS) keep.delete(name)
  const options = new OptionMap([
    ['Name', 'datadog'],
    ['Host', intakeHost(config.site)],
    ['TLS', 'on']
  ])
  // The user's spelling of a name is kept with the user's value.
  const keepOr = ([name, fallback]: readonly [string, string]): void => {
    options.set(keep.keyOf(name) ?? name, keep.get(name) ?? fallback)
    keep.delete(name)
  }
  for (const option of DEFAULT_OPTIONS) keepOr(option)
  options.set(keep.keyOf('dd_service') ?? 'dd_service', route.service)
  keep.delete('dd_service')
  const sourceKey = keep.keyOf('dd_source') ?? 'dd_source'
  const existingSource = keep.delete('dd_source')
  const source = route.sourceExplicit ? route.source : (existingSource ?? route.source)
  if (source !== undefined) options.set(sourceKey, source)
  const tagsKey = keep.keyOf('dd_tags') ?? 'dd_tags'
  const tags = mergeTags(parseExistingTags(keep.delete('dd_tags') ?? ''), route.tags)
  if (tags.length > 0) options.set(tagsKey, formatTags(tags))

  keepOr(RETRY_LIMIT)
  // `header X-Team: payments` sends ": payments": written as the router reads it (an edit says so).
  for (const [key, value] of keep.entries())
    options.set(key, key.toLowerCase() === 'header' ? (routerHeader(value) ?? value) : value)
  for (const [key, value] of config.logOptions) options.set(key, value)
  const providerEcs = options.get('provider')?.trim().toLowerCase() === 'ecs'
  const tooMany = tagCountWarning(container.name, tags.length, providerEcs)
  if (tooMany) warnings.push(tooMany)

  const secretOptions = (routed ? (previous?.secretOptions ?? []) : []).filter(s => s?.name?.toLowerCase() !== 'apikey')
  container.logConfiguration = {
    logDriver: 'awsfirelens',
    options: options.toRecord(OPTION_ORDER),
    secretOptions: [...secretOptions, { name: 'apikey', valueFrom: config.apiKeySecret.value }]
  }
  return warnings
}

/** Whether a log configuration already sends to Fluent Bit's datadog output through FireLens. */
export function routesToDatadog(log: LogConfiguration | undefined): boolean {
  if (log?.logDriver !== 'awsfirelens') return false
  return OptionMap.fromRecord(log.options).get('Name')?.toLowerCase() === 'datadog'
}

/** Fluent Bit's booleans: on, true, yes (any case) are true. */
function isOn(value: string | undefined): boolean {
  return value !== undefined && ['on', 'true', 'yes'].includes(value.trim().toLowerCase())
}

/**
 * What is already wrong with a container the action leaves alone (not in `containers`) but that sends its logs to
 * Datadog itself: another site's host, TLS off, two spellings of one option. Its clear-text key is warned about
 * with the others (clear-text-keys.ts).
 */
export function notRoutedWarnings(container: ContainerDefinition, site: Site): string[] {
  const log = container.logConfiguration
  if (!routesToDatadog(log)) return []
  const warnings: string[] = []
  const left = `${container.name}: not routed by this run (left out by \`containers\`), but it already sends its logs to Datadog`
  const fix = `Add it to \`containers\`, or fix containerDefinitions[${container.name}].logConfiguration.options`
  const options = OptionMap.fromRecord(log?.options)
  const host = options.get('Host')?.trim()
  const wanted = intakeHost(site)
  if ((host ?? DEFAULT_HOST).toLowerCase() !== wanted) {
    const shown = host === undefined ? `${DEFAULT_HOST} (no Host set: the US1 default)` : host
    warnings.push(
      `${left} at ${shown}, not at ${wanted} (${site.code}): a key of ${site.code} is refused there (HTTP 403) and the logs are dropped. ${fix}: Host ${wanted}.`
    )
  }
  const tls = tlsOff(options)
  if (tls) warnings.push(`${left} with ${tls}. ${fix}: TLS on.`)
  for (const spellings of OptionMap.duplicateSpellings(log?.options)) {
    warnings.push(`${left} with ${writtenManyWays(spellings)}. ${fix}: keep one.`)
  }
  return warnings
}

/**
 * A datadog output whose TLS is not on, in words (the patch's warning and the audit's finding both say it), or
 * undefined when TLS is on.
 */
export function tlsOff(options: OptionMap): string | undefined {
  const tls = options.get('TLS')
  if (isOn(tls)) return undefined
  return `TLS ${tls === undefined ? 'unset (off by default)' : `"${tls}"`}: logs and the API key travel unencrypted over HTTP`
}

/** One option name written several ways in one output, in words (the patch's warning and the audit's finding). */
export function writtenManyWays(spellings: readonly string[]): string {
  return `the option written ${spellings.length} ways (${spellings.join(', ')}); Fluent Bit reads names case-insensitively and ECS writes them in no fixed order, so either may win`
}

/** The change row of a routed container, from what it had before. */
export function routingChange(container: string, previous: LogConfiguration | undefined, unchanged: boolean): Change {
  if (unchanged) return { container, action: 'unchanged', detail: 'already routed to Datadog as configured' }
  if (routesToDatadog(previous)) return { container, action: 'updated', detail: 'Datadog output options updated' }
  if (!previous?.logDriver)
    return { container, action: 'routed', detail: 'routed to Datadog (had no log configuration)' }
  const output =
    previous.logDriver === 'awsfirelens'
      ? ` (output ${OptionMap.fromRecord(previous.options).get('Name') ?? 'unset'})`
      : ''
  return {
    container,
    action: 're-routed',
    detail: `was ${previous.logDriver}${output}; that log configuration was replaced by FireLens → Datadog`
  }
}

/** Datadog's Logs API keeps at most this many tags on one log. */
export const MAX_LOG_TAGS = 100
/**
 * The tags the router adds with `provider ecs` (observed: container_id, container_name, cluster_name, task_arn,
 * region, task_id, task_family, task_version).
 */
export const ECS_PROVIDER_TAGS = 8

/** A warning when a container's dd_tags, with the router's own, exceed what Datadog keeps on a log. */
export function tagCountWarning(container: string, tags: number, providerEcs: boolean): string | undefined {
  const total = tags + (providerEcs ? ECS_PROVIDER_TAGS : 0)
  if (total <= MAX_LOG_TAGS) return undefined
  return `${container}: its logs would carry ${total} tags (${tags} in dd_tags${providerEcs ? ` and about ${ECS_PROVIDER_TAGS} the router adds with provider ecs` : ''}); Datadog's Logs API keeps at most ${MAX_LOG_TAGS} per log, so some are dropped. Keep the tags you search by (fewer \`tags\`, or fewer dd_tags items in the file).`
}
