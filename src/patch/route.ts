import type { ContainerDefinition, LogConfiguration } from '../task-definition.js'
import { intakeHost } from '../sites.js'
import { formatTags, mergeTags, parseExistingTags, type Tag } from '../tags.js'
import type { Change } from './change.js'
import type { PatchConfig } from './config.js'
import { OptionMap } from './options.js'

/** Options the action owns: the site decides Host, TLS is always on, the key only comes from secretOptions. */
export const OWNED_OPTIONS = ['Name', 'Host', 'TLS', 'apikey'] as const

/** What every routed container's options start from, in this order. */
const DEFAULT_OPTIONS: readonly [string, string][] = [
  ['compress', 'gzip'],
  ['provider', 'ecs'],
  ['dd_message_key', 'log']
]

/** The service, source and tags one container is routed with. */
export interface RouteSettings {
  service: string
  /** Whether `service` came from the input, and so overrides a dd_service already there. */
  serviceExplicit: boolean
  source: string | undefined
  sourceExplicit: boolean
  tags: Tag[]
}

/** Gives one container the awsfirelens → datadog log configuration. Returns the warnings it has for the user. */
export function routeContainer(container: ContainerDefinition, config: PatchConfig, route: RouteSettings): string[] {
  const warnings: string[] = []
  const previous = container.logConfiguration
  const routed = routesToDatadog(previous)
  const keep = routed ? OptionMap.fromRecord(previous?.options) : new OptionMap()

  const leakedKey = keep.keyOf('apikey')
  if (leakedKey) {
    warnings.push(
      `${container.name}: logConfiguration.options had the API key in clear text (${leakedKey}); it was removed. The key now comes from secretOptions. Rotate that key.`
    )
  }
  for (const owned of OWNED_OPTIONS) keep.delete(owned)
  const options = new OptionMap([
    ['Name', 'datadog'],
    ['Host', intakeHost(config.site)],
    ['TLS', 'on']
  ])
  for (const [key, value] of DEFAULT_OPTIONS) options.set(key, keep.delete(key) ?? value)
  const existingService = keep.delete('dd_service')
  options.set('dd_service', route.serviceExplicit ? route.service : (existingService ?? route.service))
  const existingSource = keep.delete('dd_source')
  const source = route.sourceExplicit ? route.source : (existingSource ?? route.source)
  if (source !== undefined) options.set('dd_source', source)
  const tags = mergeTags(parseExistingTags(keep.delete('dd_tags') ?? ''), route.tags)
  if (tags.length > 0) options.set('dd_tags', formatTags(tags))
  for (const [key, value] of keep.entries()) options.set(key, value)
  for (const [key, value] of config.logOptions) options.set(key, value)

  const secretOptions = (routed ? (previous?.secretOptions ?? []) : []).filter(s => s?.name?.toLowerCase() !== 'apikey')
  container.logConfiguration = {
    logDriver: 'awsfirelens',
    options: options.toRecord(),
    secretOptions: [...secretOptions, { name: 'apikey', valueFrom: config.apiKeySecret.value }]
  }
  return warnings
}

/** Whether a log configuration already sends to Fluent Bit's datadog output through FireLens. */
export function routesToDatadog(log: LogConfiguration | undefined): boolean {
  if (log?.logDriver !== 'awsfirelens') return false
  return OptionMap.fromRecord(log.options).get('Name')?.toLowerCase() === 'datadog'
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
