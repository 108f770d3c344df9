import type { ContainerDefinition } from '../definition/task-definition.js'
import { dockerLabel, environmentValue } from './container-settings.js'
import { OptionMap } from './options.js'

const SERVICE_LABEL = 'com.datadoghq.tags.service'

/** Where a container's service was found, in the order that decides. */
const SOURCES = [
  { from: 'its dd_service option', read: ddServiceOption },
  { from: 'DD_SERVICE in its environment', read: (c: ContainerDefinition) => environmentValue(c, 'DD_SERVICE') },
  { from: `its ${SERVICE_LABEL} label`, read: (c: ContainerDefinition) => dockerLabel(c, SERVICE_LABEL) }
] as const

export interface ServiceIdentity {
  /** The service the container already has. */
  value: string
  /** Where it came from, as the user reads it: "DD_SERVICE in its environment". */
  from: string
  /** The other places that name a different service, for the warning. */
  disagreeing: { value: string; from: string }[]
}

/**
 * The service a container already has: its dd_service option (any spelling), else DD_SERVICE in its environment,
 * else its com.datadoghq.tags.service label. Undefined when it has none of them.
 */
export function serviceIdentity(container: ContainerDefinition): ServiceIdentity | undefined {
  const found = SOURCES.flatMap(({ from, read }) => {
    const value = read(container)?.trim()
    return value ? [{ value, from }] : []
  })
  const [first, ...rest] = found
  if (!first) return undefined
  return { ...first, disagreeing: rest.filter(other => other.value !== first.value) }
}

/** The warning for a container whose service is written differently in two or three places. */
export function disagreementWarning(container: string, identity: ServiceIdentity): string | undefined {
  if (identity.disagreeing.length === 0) return undefined
  const others = identity.disagreeing.map(o => `"${o.value}" (${o.from})`).join(' and ')
  return `${container}: its service is "${identity.value}" (${identity.from}) but ${others}; "${identity.value}" was kept and now stands in all three places (the dd_service option decides, then DD_SERVICE, then the ${SERVICE_LABEL} label). Set the \`service\` input if another name is right.`
}

function ddServiceOption(container: ContainerDefinition): string | undefined {
  const log = container.logConfiguration
  if (log?.logDriver !== 'awsfirelens') return undefined
  return OptionMap.fromRecord(log.options).get('dd_service')
}
