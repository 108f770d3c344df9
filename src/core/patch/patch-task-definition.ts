import { checkConfigValue } from '../config-value.js'
import { UserError } from '../errors.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import { AGENT_NAME, agentSiteWarning, checkAgentFits, ensureAgent, findAgents, isAgentContainer } from './agent.js'
import type { Change } from './change.js'
import { containerEdits } from './container-edits.js'
import { findClearTextKeys, keptKeyWarning, moveClearTextKey } from './clear-text-keys.js'
import type { PatchConfig } from './config.js'
import { checkLogRouterName, ensureLogRouter, findLogRouter } from './log-router.js'
import { applyRouterConfig, findConfigContainer, isConfigContainer } from './router-config-container.js'
import { OptionMap } from './options.js'
import { notRoutedWarnings, routeContainer, routingChange } from './route.js'
import { disagreementWarning, serviceIdentity } from './service-identity.js'
import { applyServiceTagging, tagsFromConfig } from './service-tagging.js'

export interface PatchResult {
  taskDefinition: TaskDefinition
  /** One row per container, in the order of the containers, so the summary reads like the file. */
  changes: Change[]
  /** Things the user should look at, as warnings. */
  warnings: string[]
  /** Things the user should know, as notices: a setting kept or corrected on purpose. */
  notices: string[]
}

const AGENT_LOG_SERVICE = 'datadog-agent'

/**
 * Routes the selected containers to Datadog through FireLens and makes sure there is exactly one log router.
 * Keeps what the user set (a container's service, its tags, a router's choices) unless an input says otherwise,
 * and flags what is already wrong where it changes nothing. Pure: the input is not modified. Running it on its own
 * output changes nothing.
 */
export function patchTaskDefinition(input: TaskDefinition, config: PatchConfig): PatchResult {
  const taskDefinition = structuredClone(input)
  const containers = taskDefinition.containerDefinitions
  const defaultService = config.service ?? taskDefinition.family
  const warnings: string[] = []
  const notices: string[] = []

  // Every refusal first, before anything changes.
  const existingRouter = findLogRouter(containers)
  findConfigContainer(containers)
  const existingAgents = findAgents(containers, existingRouter)
  if (config.agent) checkAgentFits(taskDefinition, existingAgents)
  const agentName = existingAgents[0]?.name ?? (config.agent ? AGENT_NAME : undefined)
  checkLogRouterName(containers, existingRouter, config.logRouter.name, agentName)
  const addedAgent = config.agent && existingAgents.length === 0 ? AGENT_NAME : undefined
  const selected = selectContainers(containers, existingRouter, config.containers, addedAgent)
  // Read before any change: the service each container already has, and everything it had (for the edits).
  const identities = new Map(containers.map(c => [c, serviceIdentity(c)]))
  const originals = new Map(containers.map(c => [c, structuredClone(c)]))

  const router = ensureLogRouter(taskDefinition, config, existingRouter)
  warnings.push(...router.warnings)
  notices.push(...router.notices)
  const agent = config.agent
    ? ensureAgent(taskDefinition, config, config.agent, existingAgents[0], defaultService)
    : undefined
  if (agent) {
    warnings.push(...agent.warnings)
    notices.push(...agent.notices)
    // The agent the action manages sends its own logs through the router, whatever `containers` says.
    selected.add(agent.container)
  } else {
    if (existingAgents.length > 1) {
      warnings.push(
        `The task definition has ${existingAgents.length} Datadog Agent containers (${existingAgents.map(a => a.name).join(', ')}); only one can bind ports 8125/8126. Remove all but one.`
      )
    }
    for (const existing of existingAgents) {
      const warning = agentSiteWarning(existing, config.site)
      if (warning) warnings.push(warning)
    }
  }

  // The router's generated configuration (multiline, parse-json, Grace, health check), or its removal.
  const routerConfig = applyRouterConfig(
    taskDefinition,
    router.container,
    config.wholeLogs,
    config.parseJson,
    containers.filter(c => selected.has(c)),
    agentName
  )
  warnings.push(...routerConfig.warnings)
  notices.push(...routerConfig.notices)

  const tags = tagsFromConfig(config)
  const changes = containers.map((container): Change => {
    if (container === router.container) return router.change
    if (routerConfig.change && container.name === routerConfig.change.container) return routerConfig.change
    if (!selected.has(container)) {
      warnings.push(...notRoutedWarnings(container, config.site))
      return { container: container.name, action: 'not selected', detail: 'left as it was (not in `containers`)' }
    }
    const isAgent = isAgentContainer(container)
    const before = JSON.stringify(container)
    const previous = container.logConfiguration
    const identity = identities.get(container)
    let service: string
    let replaced = ''
    if (isAgent) {
      // The Agent's own logs: its own dd_service if it has one, else datadog-agent (never the app's service).
      service = OptionMap.fromRecord(previous?.options).get('dd_service') ?? AGENT_LOG_SERVICE
    } else if (config.service !== undefined) {
      service = config.service
      if (identity && identity.value !== service)
        replaced = `; service "${identity.value}" (from ${identity.from}) replaced by the \`service\` input "${service}"`
    } else {
      service = identity?.value ?? defaultService
      // DD_SERVICE or the label may hold anything; as dd_service it lands in the router's configuration file.
      if (identity)
        checkConfigValue(service, `The service of containerDefinitions[${container.name}] (${identity.from})`)
      const warning = identity && disagreementWarning(container.name, identity)
      if (warning) warnings.push(warning)
    }
    warnings.push(
      ...routeContainer(container, config, {
        service,
        source: isAgent ? AGENT_LOG_SERVICE : config.source,
        sourceExplicit: !isAgent && config.source !== undefined,
        tags
      })
    )
    if (!isAgent) {
      // The key in clear text goes where the router's key comes from; the Agent's is moved by ensureAgent.
      const moved = moveClearTextKey(container, config.apiKeySecret)
      if (moved) warnings.push(moved)
      // What the router sends (log-options apply last) is what env and labels say, so they never disagree.
      const routedService = OptionMap.fromRecord(container.logConfiguration?.options).get('dd_service') ?? service
      applyServiceTagging(container, config, routedService)
    }
    const routing = routingChange(container.name, previous, before === JSON.stringify(container))
    if (container === agent?.container) {
      // The managed agent has its own row; it says there that its logs are routed too.
      return routing.action === 'unchanged'
        ? agent.change
        : { ...agent.change, detail: `${agent.change.detail}; its own logs routed to Datadog` }
    }
    return replaced ? { ...routing, detail: `${routing.detail}${replaced}` } : routing
  })

  // A removed config container has no row of its own in the file any more: it goes after the router's.
  if (routerConfig.change?.action === 'config removed') {
    changes.splice(changes.indexOf(router.change) + 1, 0, routerConfig.change)
  }

  // Every setting a container already had that this run changed, old and new value.
  const withEdits = changes.map((change): Change => {
    const container = containers.find(c => c.name === change.container)
    const original = container && originals.get(container)
    const edits = original ? containerEdits(original, container) : []
    return edits.length > 0 ? { ...change, edits } : change
  })

  // Keys this run removed were warned about where they were removed; these are still there.
  for (const key of findClearTextKeys(taskDefinition)) warnings.push(keptKeyWarning(key))
  return { taskDefinition, changes: withEdits, warnings, notices }
}

function selectContainers(
  containers: ContainerDefinition[],
  router: ContainerDefinition | undefined,
  names: string[] | undefined,
  /** The name of the Agent `agent: true` is about to add: `containers` may name it. */
  addedAgent: string | undefined
): Set<ContainerDefinition> {
  // The router's config container only writes a file; it is never routed.
  if (names === undefined) return new Set(containers.filter(c => c !== router && !isConfigContainer(c)))
  const byName = new Map(containers.map(c => [c.name, c]))
  const available = containers.filter(c => c !== router).map(c => c.name)
  const selected = new Set<ContainerDefinition>()
  for (const name of names) {
    if (name === addedAgent) continue
    const container = byName.get(name)
    if (!container) {
      throw new UserError(
        `Input \`containers\` names "${name}", which is not a container of this task definition.`,
        `The containers are: ${available.join(', ')}.`
      )
    }
    if (isConfigContainer(container)) {
      throw new UserError(
        `Input \`containers\` names "${name}", the container this action adds to write the log router's configuration.`,
        'It exits before the router starts and has no logs to route; remove it from `containers`.'
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
