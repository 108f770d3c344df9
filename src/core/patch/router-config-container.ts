import { UserError } from '../errors.js'
import { DEFAULT_LOG_ROUTER_IMAGE, imageTag } from '../images.js'
import { hasVersion, routerVersion, type FluentBitVersion } from '../router/router-version.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import type { Change } from './change.js'
import { repositorySegments } from './image-name.js'
import { OptionMap } from './options.js'
import { multilineByContainer, type MultilineSetting, multilineIsOn } from '../router/multiline.js'
import {
  GENERATED_CONFIG,
  GENERATED_DIR,
  GENERATED_PARSERS,
  ROUTER_HEALTH_CHECK_COMMAND,
  ROUTER_HTTP_PORT,
  checkIncludePath,
  routerConfigFiles
} from '../router/router-config.js'

/**
 * How the generated router configuration reaches the router without a custom image or an S3 object: a short-lived
 * container from the router's own image writes it from an environment variable into a task volume the router
 * mounts, and the router starts only after it exited 0 (dependsOn SUCCESS). The revision carries its whole
 * pipeline. The container's environment also keeps what the router had before (its own config file, its
 * stopTimeout), so turning the feature off gives exactly that back.
 */
export const CONFIG_CONTAINER = 'datadog-firelens-config'
const GENERATED_WHAT =
  'the configuration this action generates for the log router (`multiline`, `wait-for-router`, `log-router-grace`)'
export const CONFIG_VOLUME = 'datadog-firelens-config'
const ENV_CONFIG = 'DATADOG_FIRELENS_CONFIG'
const ENV_PARSERS = 'DATADOG_FIRELENS_PARSERS'
const ENV_BEFORE = 'DATADOG_FIRELENS_ROUTER_BEFORE'
/** Enough for sh and printf; it counts in the Fargate memory sum like any container. */
export const CONFIG_CONTAINER_MEMORY = 16
/** Seconds of Grace when the action generates the file and `log-router-grace` is not set (as AWS's own files). */
export const DEFAULT_GRACE = 30
/** ECS stops the router after SIGTERM plus stopTimeout; Fargate allows at most 120 s. */
export const MAX_STOP_TIMEOUT = 120
const STOP_MARGIN = 5
export const MAX_GRACE = MAX_STOP_TIMEOUT - STOP_MARGIN
const PARSE_JSON_CONFIG = '/fluent-bit/configs/parse-json.conf'
/** AWS's built-in file with only Flush 1 / Grace 30, which the generated file already says. */
const MINIMIZE_LOG_LOSS_CONFIG = '/fluent-bit/configs/minimize-log-loss.conf'

/** The health check the action puts on the router; a router's own is kept. */
export const ROUTER_HEALTH_CHECK = {
  command: ROUTER_HEALTH_CHECK_COMMAND,
  interval: 5,
  timeout: 2,
  retries: 3,
  startPeriod: 10
}

/** The "Whole logs" inputs. */
export interface WholeLogsConfig {
  multiline: MultilineSetting
  /** Routed containers start only once the router is HEALTHY. */
  waitForRouter: boolean
  /** Seconds; undefined: DEFAULT_GRACE when a file is generated. */
  grace?: number
}

/** What the router had before the action generated its file: given back when the feature is turned off. */
interface RouterBefore {
  configFileType?: string
  configFileValue?: string
  stopTimeout?: number
  /** Router keys (and `volumes` of the task) that did not exist, so they are deleted rather than left empty. */
  absent: string[]
}

export interface RouterConfigResult {
  /** The config container's row, when there is (or was) one. */
  change?: Change
  warnings: string[]
  notices: string[]
}

/** Whether the inputs ask for a generated file at all. */
export function wantsGeneratedConfig(config: WholeLogsConfig | undefined): boolean {
  return config !== undefined && (multilineIsOn(config.multiline) || config.waitForRouter || config.grace !== undefined)
}

/** The action's config container, if the definition has one; a user's container under that name is refused. */
export function findConfigContainer(containers: ContainerDefinition[]): ContainerDefinition | undefined {
  const named = containers.find(c => c.name === CONFIG_CONTAINER)
  if (named === undefined) return undefined
  if (!(named.environment ?? []).some(e => e.name === ENV_CONFIG)) {
    throw new UserError(
      `containerDefinitions[${CONFIG_CONTAINER}] is not the container this action adds for the log router's configuration (it has no ${ENV_CONFIG} variable), but it has its name.`,
      `Rename that container: the action needs the name ${CONFIG_CONTAINER} for the container that writes the router's configuration.`
    )
  }
  return named
}

/** A container the action added for the router: never routed, never the Agent. */
export function isConfigContainer(container: ContainerDefinition): boolean {
  return container.name === CONFIG_CONTAINER && (container.environment ?? []).some(e => e.name === ENV_CONFIG)
}

/**
 * Generates (or updates) the router's configuration, the config container, the volume, the router's mount,
 * dependency, health check and stopTimeout, and the routed containers' HEALTHY dependency; or, when nothing asks for
 * it any more, removes exactly what an earlier run added. `routed`: the containers this run routes, in order.
 */
export function applyRouterConfig(
  taskDefinition: TaskDefinition,
  router: ContainerDefinition,
  config: WholeLogsConfig | undefined,
  parseJson: boolean,
  routed: ContainerDefinition[],
  agentName: string | undefined
): RouterConfigResult {
  const containers = taskDefinition.containerDefinitions
  const existing = findConfigContainer(containers)
  const options = OptionMap.fromRecord(router.firelensConfiguration?.options)
  const ours = options.get('config-file-value') === GENERATED_CONFIG
  if (!wantsGeneratedConfig(config)) {
    if (!existing && !ours) return { warnings: [], notices: [] }
    return removeRouterConfig(taskDefinition, router, existing, parseJson)
  }
  const whole = config!
  const warnings: string[] = []
  const notices: string[] = []
  checkRouterCanRun(router)

  const before: RouterBefore = ours && existing ? readBefore(existing) : currentBefore(taskDefinition, router, options)
  // The Agent's own logs are joined only when named: `multiline: java` means the applications.
  const named = whole.multiline.containers.map(([name]) => name)
  const multiline = multilineByContainer(
    whole.multiline,
    routed.map(c => c.name).filter(name => name !== agentName || named.includes(name))
  )
  if (multiline.length > 0) checkMultilineVersion(router, warnings)
  const grace = whole.grace ?? DEFAULT_GRACE

  let include: string | undefined
  let foldParseJson = parseJson
  const type = before.configFileType?.toLowerCase()
  if (before.configFileValue !== undefined) {
    const where = `containerDefinitions[${router.name}].firelensConfiguration.options.config-file-value`
    if (type === 's3') {
      throw new UserError(
        `The log router's own config file is in S3 (config-file-type s3, ${before.configFileValue}); the configuration this action generates must @INCLUDE it, and Fluent Bit can only include a file inside the router container.`,
        'Bake the file into a router image (or fetch it with the init image) and use config-file-type file, or turn `multiline`, `wait-for-router` and `log-router-grace` off.'
      )
    }
    if (before.configFileValue === PARSE_JSON_CONFIG) foldParseJson = true
    else if (before.configFileValue !== MINIMIZE_LOG_LOSS_CONFIG) {
      checkIncludePath(before.configFileValue, where)
      include = before.configFileValue
    }
  }
  const files = routerConfigFiles({
    multiline,
    parseJson: foldParseJson,
    grace,
    healthCheck: whole.waitForRouter,
    include
  })

  // The config container, in place when it exists, else right after the router.
  const writes = [`printf '%s' "$${ENV_CONFIG}" > ${GENERATED_CONFIG}`]
  if (files.parsers !== undefined) writes.push(`printf '%s' "$${ENV_PARSERS}" > ${GENERATED_PARSERS}`)
  const environment = [{ name: ENV_CONFIG, value: files.config }]
  if (files.parsers !== undefined) environment.push({ name: ENV_PARSERS, value: files.parsers })
  environment.push({ name: ENV_BEFORE, value: JSON.stringify(before) })
  const container: ContainerDefinition = {
    name: CONFIG_CONTAINER,
    image: router.image,
    essential: false,
    entryPoint: ['/bin/sh', '-c'],
    command: [writes.join(' && ')],
    environment,
    mountPoints: [{ sourceVolume: CONFIG_VOLUME, containerPath: GENERATED_DIR, readOnly: false }],
    memoryReservation: CONFIG_CONTAINER_MEMORY
  }
  // The same image, pulled the same way.
  if (router.repositoryCredentials !== undefined)
    container.repositoryCredentials = structuredClone(router.repositoryCredentials)
  const routerLog = router.logConfiguration
  if (routerLog?.logDriver === 'awslogs') {
    // Its own lines (a failed write) land beside the router's.
    container.logConfiguration = structuredClone(routerLog)
  }
  const beforeJson = existing ? JSON.stringify(existing) : undefined
  if (existing) containers[containers.indexOf(existing)] = container
  else containers.splice(containers.indexOf(router) + 1, 0, container)

  // The volume: a task-scoped bind mount (Fargate task storage, a Docker-managed folder on EC2).
  const volumes = (taskDefinition.volumes as { name?: string; [key: string]: unknown }[] | undefined) ?? []
  const volume = volumes.find(v => v.name === CONFIG_VOLUME)
  if (volume && Object.keys(volume).some(key => key !== 'name')) {
    throw new UserError(
      `The task definition's volume "${CONFIG_VOLUME}" is not the one this action adds (it has ${Object.keys(volume)
        .filter(key => key !== 'name')
        .join(', ')}).`,
      `Rename that volume: the action needs the name ${CONFIG_VOLUME} for the router's configuration.`
    )
  }
  if (!volume) taskDefinition.volumes = [...volumes, { name: CONFIG_VOLUME }]

  // The router: reads the file, waits for it, and stops late enough for its Grace.
  options.set('config-file-type', 'file')
  options.set('config-file-value', GENERATED_CONFIG)
  router.firelensConfiguration = { ...router.firelensConfiguration, options: options.toRecord() }
  upsert(router, 'mountPoints', m => m.sourceVolume === CONFIG_VOLUME, {
    sourceVolume: CONFIG_VOLUME,
    containerPath: GENERATED_DIR,
    readOnly: true
  })
  upsert(router, 'dependsOn', d => d.containerName === CONFIG_CONTAINER, {
    containerName: CONFIG_CONTAINER,
    condition: 'SUCCESS'
  })
  const stopTimeout = Math.max(grace + STOP_MARGIN, before.stopTimeout ?? 0)
  if (stopTimeout > MAX_STOP_TIMEOUT) {
    throw new UserError(
      `The log router's Grace of ${grace} s needs a stopTimeout of ${grace + STOP_MARGIN} s, more than the ${MAX_STOP_TIMEOUT} s Fargate allows.`,
      `Set \`log-router-grace\` to at most ${MAX_GRACE}.`
    )
  }
  router.stopTimeout = stopTimeout

  const healthCheckOurs = isOurHealthCheck(router.healthCheck)
  if (whole.waitForRouter) {
    checkHealthPort(taskDefinition, router)
    if (router.healthCheck === undefined || healthCheckOurs) router.healthCheck = structuredClone(ROUTER_HEALTH_CHECK)
    else notices.push(`${router.name}: its own healthCheck was kept; the routed containers wait until it passes.`)
    for (const app of routed) {
      upsert(app, 'dependsOn', d => d.containerName === router.name, {
        containerName: router.name,
        condition: 'HEALTHY'
      })
    }
  } else if (healthCheckOurs) {
    removeHealthWait(taskDefinition, router, before)
  }

  const action = beforeJson === undefined ? 'config added' : 'config reused'
  const what = [
    multiline.length > 0 ? `multiline ${multiline.map(([name, mode]) => `${name}=${mode}`).join(', ')}` : undefined,
    foldParseJson ? 'parse-json' : undefined,
    `Grace ${grace} s (router stopTimeout ${stopTimeout} s)`,
    whole.waitForRouter ? 'health check on' : undefined,
    include ? `includes ${include}` : undefined
  ].filter(Boolean)
  const detail =
    action === 'config added'
      ? `writes ${GENERATED_CONFIG} for ${router.name}: ${what.join('; ')}`
      : beforeJson === JSON.stringify(container)
        ? `nothing to change (${what.join('; ')})`
        : `rewrote ${GENERATED_CONFIG}: ${what.join('; ')}`
  return { change: { container: CONFIG_CONTAINER, action, detail }, warnings, notices }
}

/** Turns the feature off: gives the router back what it had and removes the container and volume. */
function removeRouterConfig(
  taskDefinition: TaskDefinition,
  router: ContainerDefinition,
  existing: ContainerDefinition | undefined,
  parseJson: boolean
): RouterConfigResult {
  const warnings: string[] = []
  const before: RouterBefore = existing ? readBefore(existing) : { absent: [] }
  const options = OptionMap.fromRecord(router.firelensConfiguration?.options)
  if (options.get('config-file-value') === GENERATED_CONFIG) {
    // In place, so the options read as they did.
    if (before.configFileType !== undefined) options.set('config-file-type', before.configFileType)
    else options.delete('config-file-type')
    if (before.configFileValue !== undefined) options.set('config-file-value', before.configFileValue)
    else options.delete('config-file-value')
    if (before.configFileValue === undefined && parseJson) {
      // parse-json alone needs no generated file: the image's own one, as without the other inputs.
      options.set('config-file-type', 'file')
      options.set('config-file-value', PARSE_JSON_CONFIG)
    }
    router.firelensConfiguration = { ...router.firelensConfiguration, options: options.toRecord() }
    if (!existing) {
      warnings.push(
        `${router.name}: its config-file-value was ${GENERATED_CONFIG}, the file this action's config container writes, but that container is gone; the router's config file setting was removed (nothing would write the file).`
      )
    }
  }
  if (before.stopTimeout !== undefined) router.stopTimeout = before.stopTimeout
  else delete router.stopTimeout
  remove(router, 'mountPoints', m => m.sourceVolume === CONFIG_VOLUME, before)
  remove(router, 'dependsOn', d => d.containerName === CONFIG_CONTAINER, before)
  if (isOurHealthCheck(router.healthCheck)) removeHealthWait(taskDefinition, router, before)
  const containers = taskDefinition.containerDefinitions
  if (existing) containers.splice(containers.indexOf(existing), 1)
  const volumes = taskDefinition.volumes as { name?: string }[] | undefined
  if (volumes) {
    const kept = volumes.filter(v => v.name !== CONFIG_VOLUME)
    if (kept.length === 0 && before.absent.includes('volumes')) delete taskDefinition.volumes
    else taskDefinition.volumes = kept
  }
  return {
    change: existing
      ? {
          container: CONFIG_CONTAINER,
          action: 'config removed',
          detail: `removed with its volume; ${router.name} reads ${before.configFileValue ?? 'no config file of its own'} again`
        }
      : undefined,
    warnings,
    notices: []
  }
}

/** Our health check goes, and with it every HEALTHY dependency on the router (ECS needs a check for those). */
function removeHealthWait(taskDefinition: TaskDefinition, router: ContainerDefinition, before: RouterBefore): void {
  delete router.healthCheck
  for (const container of taskDefinition.containerDefinitions) {
    remove(
      container,
      'dependsOn',
      d => d.containerName === router.name && d.condition === 'HEALTHY',
      container === router ? before : { absent: ['dependsOn'] }
    )
  }
}

function isOurHealthCheck(healthCheck: unknown): boolean {
  const command = (healthCheck as { command?: unknown } | undefined)?.command
  return JSON.stringify(command) === JSON.stringify(ROUTER_HEALTH_CHECK_COMMAND)
}

function readBefore(container: ContainerDefinition): RouterBefore {
  const value = container.environment?.find(e => e.name === ENV_BEFORE)?.value
  try {
    const parsed = JSON.parse(value ?? '') as RouterBefore
    return { ...parsed, absent: Array.isArray(parsed.absent) ? parsed.absent : [] }
  } catch {
    return { absent: [] }
  }
}

function currentBefore(taskDefinition: TaskDefinition, router: ContainerDefinition, options: OptionMap): RouterBefore {
  const before: RouterBefore = { absent: [] }
  const type = options.get('config-file-type')
  const value = options.get('config-file-value')
  if (type !== undefined) before.configFileType = type
  // A file of ours with its container gone says nothing about what the router had.
  if (value !== undefined && value !== GENERATED_CONFIG) before.configFileValue = value
  if (value === GENERATED_CONFIG && type?.toLowerCase() === 'file') delete before.configFileType
  if (typeof router.stopTimeout === 'number') before.stopTimeout = router.stopTimeout
  for (const key of ['mountPoints', 'dependsOn']) if (router[key] === undefined) before.absent.push(key)
  if (taskDefinition.volumes === undefined) before.absent.push('volumes')
  return before
}

type Entry = Record<string, unknown>

/** Replaces the entry `matches` finds, or appends it. */
function upsert(container: ContainerDefinition, key: string, matches: (entry: Entry) => boolean, entry: Entry): void {
  const list = Array.isArray(container[key]) ? (container[key] as Entry[]) : []
  const index = list.findIndex(matches)
  if (index >= 0) list[index] = entry
  else list.push(entry)
  container[key] = list
}

function remove(
  container: ContainerDefinition,
  key: string,
  matches: (entry: Entry) => boolean,
  before: RouterBefore
): void {
  if (!Array.isArray(container[key])) return
  const kept = (container[key] as Entry[]).filter(entry => !matches(entry))
  if (kept.length === 0 && before.absent.includes(key)) delete container[key]
  else container[key] = kept
}

/**
 * The config container runs `/bin/sh -c … printf` in the router's image: the official fluent/fluent-bit images are
 * distroless (no shell) except their -debug tags.
 */
function checkRouterCanRun(router: ContainerDefinition): void {
  const image = router.image ?? ''
  const tag = imageTag(image) ?? ''
  const segments = repositorySegments(image)
  if (segments.at(-1) === 'fluent-bit' && segments.at(-2) === 'fluent' && !/debug/.test(tag)) {
    throw new UserError(
      `The log router's image ${image} is the distroless fluent/fluent-bit image, which has no shell: ${GENERATED_WHAT} is written by a container from the router's image with /bin/sh.`,
      `Use ${DEFAULT_LOG_ROUTER_IMAGE} (set \`log-router-image\`), or a -debug tag of fluent/fluent-bit.`
    )
  }
}

/** Below this, `multiline` is refused: Fluent Bit 1.x has no partial_message mode or loses parts with it. */
const MULTILINE_SINCE: FluentBitVersion = [2, 0, 0]

/**
 * The multiline filters by the router's Fluent Bit, as its image tag shows it: on Fluent Bit 1.9 (aws-for-fluent-bit
 * 2.x, end of life) `partial_message` mode loses the last part of long stdout lines (aws-for-fluent-bit issue 853,
 * where the maintainers point to 3.x), and before 1.9.3 it does not exist. A version the tag does not show gets a
 * warning: the filters are verified with Fluent Bit 5.0.9.
 */
function checkMultilineVersion(router: ContainerDefinition, warnings: string[]): void {
  const version = routerVersion(router.image ?? '')
  if (version.fluentBit === undefined) {
    warnings.push(
      `${router.name}: \`multiline\` adds multiline filters that were verified with Fluent Bit 5.0.9 (aws-for-fluent-bit 3.4.17); the Fluent Bit of this router is unknown (${version.evidence}). Before Fluent Bit 2 they lose parts of long lines. Pin a router image whose tag shows its version (e.g. \`log-router-image: ${DEFAULT_LOG_ROUTER_IMAGE}\`).`
    )
    return
  }
  if (hasVersion(version.fluentBit, MULTILINE_SINCE)) return
  const eol = version.endOfLife
    ? `, and the aws-for-fluent-bit 2.x line reached end of life on ${version.endOfLife}`
    : ''
  throw new UserError(
    `\`multiline\` needs a log router on Fluent Bit 2 or later, but ${version.evidence}: Fluent Bit 1.9 loses the last part of long stdout lines in partial_message mode (aws-for-fluent-bit issue 853), and before 1.9.3 the mode does not exist${eol}.`,
    `Set \`log-router-image\` to ${DEFAULT_LOG_ROUTER_IMAGE} (Fluent Bit 5.0.9), or turn \`multiline\` off.`
  )
}

/** The health check asks 127.0.0.1:2020: in awsvpc and host mode every container shares that port space. */
function checkHealthPort(taskDefinition: TaskDefinition, router: ContainerDefinition): void {
  const mode = (taskDefinition.networkMode as string | undefined) ?? ''
  const shared = mode === 'awsvpc' || mode === 'host' || taskDefinition.requiresCompatibilities?.includes('FARGATE')
  if (!shared) return
  for (const container of taskDefinition.containerDefinitions) {
    if (container === router) continue
    const ports = (container.portMappings as { containerPort?: number }[] | undefined) ?? []
    if (ports.some(p => Number(p.containerPort) === ROUTER_HTTP_PORT)) {
      throw new UserError(
        `Container "${container.name}" listens on port 2020, where \`wait-for-router\` starts the router's monitoring server for its health check (containers of an ${mode || 'awsvpc'} task share ports).`,
        'Move that container off port 2020, or turn `wait-for-router` off.'
      )
    }
  }
}
