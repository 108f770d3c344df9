import { findOptionKey, setDockerLabel, setEnvironment } from './container-settings.js'
import { UserError } from './errors.js'
import { DEFAULT_LOG_ROUTER_IMAGE, type PatchConfig } from './inputs.js'
import { intakeHost } from './sites.js'
import { formatTags, mergeTags, parseExistingTags, type Tag } from './tags.js'
import type { ContainerDefinition, LogConfiguration, TaskDefinition } from './task-definition.js'
import { ensureAgent, isAgentContainer } from './agent.js'

/** One line of what the patch did, read by the log, the job summary and the tests. */
export interface Change {
  container: string
  action:
    | 'routed'
    | 're-routed'
    | 'updated'
    | 'unchanged'
    | 'not selected'
    | 'router added'
    | 'router reused'
    | 'agent added'
    | 'agent reused'
  detail: string
}

export interface PatchResult {
  taskDefinition: TaskDefinition
  changes: Change[]
  /** Things the user should look at, as warnings. */
  warnings: string[]
}

/** What every routed container's options start from, in this order. */
const DEFAULT_OPTIONS: readonly [string, string][] = [
  ['compress', 'gzip'],
  ['provider', 'ecs'],
  ['dd_message_key', 'log']
]
const PARSE_JSON_CONFIG = '/fluent-bit/configs/parse-json.conf'
const AGENT_LOG_SERVICE = 'datadog-agent'

/**
 * Routes the selected containers to Datadog through FireLens and makes sure there is exactly one log router.
 * Pure: the input is not modified. Running it on its own output changes nothing.
 */
export function patchTaskDefinition(input: TaskDefinition, config: PatchConfig): PatchResult {
  const taskDefinition = structuredClone(input)
  const containers = taskDefinition.containerDefinitions
  const changes: Change[] = []
  const warnings: string[] = []

  const family = typeof taskDefinition.family === 'string' ? taskDefinition.family : undefined
  const service = config.service ?? family
  if (service === undefined) {
    throw new UserError(
      'The task definition has no family, so there is no default for `service`.',
      'Add "family" to the task definition (ECS requires it) or set the `service` input.'
    )
  }

  const router = ensureLogRouter(taskDefinition, config, changes, warnings)
  const agent = config.agent ? ensureAgent(taskDefinition, config, service, changes, warnings) : undefined

  const selected = selectContainers(containers, router, config.containers, agent)
  const inputTags = tagsFromConfig(config)
  for (const container of containers) {
    if (container === router) continue
    if (!selected.has(container)) {
      changes.push({
        container: container.name,
        action: 'not selected',
        detail: 'left as it was (not in `containers`)'
      })
      continue
    }
    const isAgent = isAgentContainer(container)
    const before = JSON.stringify(container)
    const previous = routeContainer(container, config, {
      service: isAgent ? AGENT_LOG_SERVICE : service,
      serviceExplicit: !isAgent && config.service !== undefined,
      source: isAgent ? AGENT_LOG_SERVICE : config.source,
      sourceExplicit: !isAgent && config.source !== undefined,
      tags: inputTags,
      warnings
    })
    const routing = routingChange(container.name, previous, before === JSON.stringify(container))
    if (isAgent) {
      // The agent has its own row (added or reused); say there that its logs are routed too.
      const agentRow = changes.find(c => c.container === container.name)
      if (agentRow && routing.action !== 'unchanged') agentRow.detail += '; its own logs routed to Datadog'
      else if (!agentRow) changes.push(routing)
      continue
    }
    applyServiceTagging(container, config)
    changes.push(routing)
  }
  // In the order of the containers, so the summary reads like the file.
  const order = new Map(containers.map((c, i) => [c.name, i]))
  changes.sort((a, b) => (order.get(a.container) ?? 0) - (order.get(b.container) ?? 0))
  return { taskDefinition, changes, warnings }
}

/** env/version and the git metadata join dd_tags after the `tags` input (a later tag with the same key wins). */
function tagsFromConfig(config: PatchConfig): Tag[] {
  const tags = [...config.tags]
  if (config.env !== undefined) tags.push({ key: 'env', value: config.env })
  if (config.version !== undefined) tags.push({ key: 'version', value: config.version })
  if (config.git) {
    tags.push({ key: 'git.commit.sha', value: config.git.commitSha })
    tags.push({ key: 'git.repository_url', value: config.git.repositoryUrl })
  }
  return tags
}

function selectContainers(
  containers: ContainerDefinition[],
  router: ContainerDefinition,
  names: string[] | undefined,
  /** The agent the action manages sends its own logs through the router, whatever `containers` says. */
  agent: ContainerDefinition | undefined
): Set<ContainerDefinition> {
  if (names === undefined) return new Set(containers.filter(c => c !== router))
  const byName = new Map(containers.map(c => [c.name, c]))
  const available = containers.filter(c => c !== router).map(c => c.name)
  const selected = new Set<ContainerDefinition>(agent ? [agent] : [])
  for (const name of names) {
    const container = byName.get(name)
    if (!container) {
      throw new UserError(
        `Input \`containers\` names "${name}", which is not a container of this task definition.`,
        `The containers are: ${available.join(', ')}.`
      )
    }
    if (container === router) {
      throw new UserError(
        `Input \`containers\` names "${name}", the log router.`,
        'The log router cannot send its own logs through FireLens; remove it from `containers` (use `log-router-log-group` to keep its logs).'
      )
    }
    selected.add(container)
  }
  return selected
}

interface RouteOptions {
  service: string
  /** Whether `service` came from the input, and so overrides a dd_service already there. */
  serviceExplicit: boolean
  source: string | undefined
  sourceExplicit: boolean
  tags: Tag[]
  warnings: string[]
}

/** Gives one container the awsfirelens → datadog log configuration. Returns what it had before. */
function routeContainer(
  container: ContainerDefinition,
  config: PatchConfig,
  route: RouteOptions
): LogConfiguration | undefined {
  const previous = container.logConfiguration
  const keep = routesToDatadog(previous) ? stringOptions(previous!.options) : {}

  // Options the action owns: drop every spelling of them (`host`, `HOST`, …), then set them once.
  const leakedKey = findOptionKey(keep, 'apikey')
  if (leakedKey) {
    route.warnings.push(
      `${container.name}: logConfiguration.options had the API key in clear text (${leakedKey}); it was removed. The key now comes from secretOptions. Rotate that key.`
    )
  }
  for (const owned of ['Name', 'Host', 'TLS', 'apikey']) {
    const key = findOptionKey(keep, owned)
    if (key) delete keep[key]
  }
  const options: Record<string, string> = { Name: 'datadog', Host: intakeHost(config.site), TLS: 'on' }
  for (const [key, value] of DEFAULT_OPTIONS) options[key] = take(keep, key) ?? value
  const existingService = take(keep, 'dd_service')
  options.dd_service = route.serviceExplicit ? route.service : (existingService ?? route.service)
  const existingSource = take(keep, 'dd_source')
  const source = route.sourceExplicit ? route.source : (existingSource ?? route.source)
  if (source !== undefined) options.dd_source = source
  const tags = mergeTags(parseExistingTags(take(keep, 'dd_tags') ?? ''), route.tags)
  if (tags.length > 0) options.dd_tags = formatTags(tags)
  Object.assign(options, keep)
  for (const [key, value] of config.logOptions) {
    const existing = findOptionKey(options, key)
    if (existing !== undefined && existing !== key) delete options[existing]
    options[key] = value
  }

  const secretOptions = (routesToDatadog(previous) ? (previous!.secretOptions ?? []) : []).filter(
    s => s?.name?.toLowerCase() !== 'apikey'
  )
  container.logConfiguration = {
    logDriver: 'awsfirelens',
    options,
    secretOptions: [...secretOptions, { name: 'apikey', valueFrom: config.apiKeySecret.value }]
  }
  return previous
}

/** Removes an option (any spelling of its key) and returns its value. */
function take(options: Record<string, string>, key: string): string | undefined {
  const found = findOptionKey(options, key)
  if (found === undefined) return undefined
  const value = options[found]
  delete options[found]
  return value
}

function routesToDatadog(log: LogConfiguration | undefined): boolean {
  if (log?.logDriver !== 'awsfirelens') return false
  const nameKey = findOptionKey(log.options, 'Name')
  return nameKey !== undefined && String(log.options?.[nameKey]).toLowerCase() === 'datadog'
}

/** Option values must be strings; a number or boolean a user wrote is kept as its text. */
function stringOptions(options: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(options ?? {})) {
    if (typeof value === 'string') result[key] = value
    else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value)
    else if (value !== null && value !== undefined) result[key] = JSON.stringify(value)
  }
  return result
}

function routingChange(container: string, previous: LogConfiguration | undefined, unchanged: boolean): Change {
  if (unchanged) return { container, action: 'unchanged', detail: 'already routed to Datadog as configured' }
  if (routesToDatadog(previous)) return { container, action: 'updated', detail: 'Datadog output options updated' }
  if (!previous?.logDriver)
    return { container, action: 'routed', detail: 'routed to Datadog (had no log configuration)' }
  const output =
    previous.logDriver === 'awsfirelens'
      ? ` (output ${String(previous.options?.[findOptionKey(previous.options, 'Name') ?? 'Name'] ?? 'unset')})`
      : ''
  return {
    container,
    action: 're-routed',
    detail: `was ${previous.logDriver}${output}; that log configuration was replaced by FireLens → Datadog`
  }
}

/** Unified service tagging: DD_SERVICE/DD_ENV/DD_VERSION and the matching docker labels, plus the git metadata. */
function applyServiceTagging(container: ContainerDefinition, config: PatchConfig): void {
  const service = container.logConfiguration?.options?.dd_service
  const values: [string, string | undefined][] = [
    ['service', service],
    ['env', config.env],
    ['version', config.version]
  ]
  for (const [name, value] of values) {
    if (value === undefined) continue
    setEnvironment(container, `DD_${name.toUpperCase()}`, value)
    setDockerLabel(container, `com.datadoghq.tags.${name}`, value)
  }
  if (config.git) {
    setEnvironment(container, 'DD_GIT_REPOSITORY_URL', config.git.repositoryUrl)
    setEnvironment(container, 'DD_GIT_COMMIT_SHA', config.git.commitSha)
  }
}

/** Finds the one container with a firelensConfiguration and patches it, or adds one. */
function ensureLogRouter(
  taskDefinition: TaskDefinition,
  config: PatchConfig,
  changes: Change[],
  warnings: string[]
): ContainerDefinition {
  const containers = taskDefinition.containerDefinitions
  const routers = containers.filter(c => c.firelensConfiguration !== undefined)
  if (routers.length > 1) {
    throw new UserError(
      `The task definition has ${routers.length} containers with a firelensConfiguration (${routers.map(r => r.name).join(', ')}); ECS allows exactly one.`,
      'Remove the firelensConfiguration from all but one log router.'
    )
  }
  const routerConfig = config.logRouter
  let router = routers[0]
  if (router) {
    const before = JSON.stringify(router)
    const firelens = router.firelensConfiguration!
    if (firelens.type !== undefined && firelens.type !== 'fluentbit') {
      warnings.push(
        `${router.name}: firelensConfiguration.type was "${firelens.type}" and is now "fluentbit"; make sure its image (${router.image ?? 'unset'}) is Fluent Bit, e.g. set \`log-router-image\`.`
      )
    }
    router.firelensConfiguration = {
      ...firelens,
      type: 'fluentbit',
      options: routerOptions(stringOptions(firelens.options), config, router.name, warnings)
    }
    if (routerConfig.image !== undefined) router.image = routerConfig.image
    else warnAboutRouterImage(router, warnings)
    applyRouterLogging(router, config)
    const imageNote = router.image ? `image ${router.image}` : 'no image'
    changes.push({
      container: router.name,
      action: 'router reused',
      detail:
        before === JSON.stringify(router)
          ? `${imageNote}, nothing to change`
          : `${imageNote}, firelensConfiguration updated`
    })
    return router
  }
  if (containers.some(c => c.name === routerConfig.name)) {
    throw new UserError(
      `A container named "${routerConfig.name}" exists but has no firelensConfiguration, so it cannot be the log router.`,
      'Set `log-router-name` to a free name, or add a firelensConfiguration to that container if it is a Fluent Bit router.'
    )
  }
  router = {
    name: routerConfig.name,
    image: routerConfig.image ?? DEFAULT_LOG_ROUTER_IMAGE,
    essential: true,
    firelensConfiguration: { type: 'fluentbit', options: routerOptions({}, config, routerConfig.name, warnings) },
    memoryReservation: routerConfig.memory
  }
  applyRouterLogging(router, config)
  containers.push(router)
  changes.push({
    container: router.name,
    action: 'router added',
    detail: `image ${router.image}, memoryReservation ${routerConfig.memory} MiB`
  })
  return router
}

function routerOptions(
  existing: Record<string, string>,
  config: PatchConfig,
  name: string,
  warnings: string[]
): Record<string, string> {
  const options: Record<string, string> = { ...existing, 'enable-ecs-log-metadata': 'true' }
  if (config.parseJson) {
    const hasOwnConfig = existing['config-file-type'] !== undefined || existing['config-file-value'] !== undefined
    if (!hasOwnConfig) {
      options['config-file-type'] = 'file'
      options['config-file-value'] = PARSE_JSON_CONFIG
    } else if (existing['config-file-value'] !== PARSE_JSON_CONFIG) {
      warnings.push(
        `${name}: \`parse-json\` is on but the router already has its own config file (${existing['config-file-value'] ?? 'unset'}); it was kept. Include ${PARSE_JSON_CONFIG}'s parser in it to parse JSON logs.`
      )
    }
  }
  return options
}

/** The router's own logs (a Datadog 403 shows only there) go to CloudWatch when a log group is given. */
function applyRouterLogging(router: ContainerDefinition, config: PatchConfig): void {
  const logGroup = config.logRouter.logGroup
  if (logGroup !== undefined) {
    router.logConfiguration = {
      logDriver: 'awslogs',
      options: { 'awslogs-group': logGroup, 'awslogs-region': config.region ?? '', 'awslogs-stream-prefix': 'firelens' }
    }
  } else if (router.logConfiguration?.logDriver === 'awsfirelens') {
    throw new UserError(
      `The log router "${router.name}" logs through awsfirelens itself, which ECS rejects.`,
      'Give it an awslogs log configuration, e.g. set `log-router-log-group`.'
    )
  }
}

/**
 * An existing router keeps its image, but a moving tag (latest, stable) or the 2.x line (end of life 2026-06-30,
 * Fluent Bit 1.9) is worth a warning: both have changed tasks under people without a deploy.
 */
function warnAboutRouterImage(router: ContainerDefinition, warnings: string[]): void {
  const image = router.image ?? ''
  if (!/aws-for-fluent-bit/.test(image)) return
  const tag = /:([^/:@]+)$/.exec(image)?.[1]
  const fix = `set \`log-router-image\` (e.g. ${DEFAULT_LOG_ROUTER_IMAGE}) to pin it`
  if (!image.includes('@') && (tag === undefined || tag === 'latest' || tag === 'stable')) {
    warnings.push(
      `${router.name}: the log router image ${image} is a moving tag that can change the running router without a deploy; ${fix}.`
    )
  } else if (tag?.startsWith('2.')) {
    warnings.push(
      `${router.name}: the log router image ${image} is aws-for-fluent-bit 2.x, which reached end of life on 2026-06-30; ${fix}.`
    )
  }
}
