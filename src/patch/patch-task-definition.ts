import { UserError } from '../errors.js'
import type { ContainerDefinition, TaskDefinition } from '../task-definition.js'
import { ensureAgent, isAgentContainer } from './agent.js'
import type { Change } from './change.js'
import type { PatchConfig } from './config.js'
import { ensureLogRouter } from './log-router.js'
import { OptionMap } from './options.js'
import { routeContainer, routingChange } from './route.js'
import { applyServiceTagging, tagsFromConfig } from './service-tagging.js'

export interface PatchResult {
  taskDefinition: TaskDefinition
  /** One row per container, in the order of the containers, so the summary reads like the file. */
  changes: Change[]
  /** Things the user should look at, as warnings. */
  warnings: string[]
}

const AGENT_LOG_SERVICE = 'datadog-agent'

/**
 * Routes the selected containers to Datadog through FireLens and makes sure there is exactly one log router.
 * Pure: the input is not modified. Running it on its own output changes nothing.
 */
export function patchTaskDefinition(input: TaskDefinition, config: PatchConfig): PatchResult {
  const taskDefinition = structuredClone(input)
  const containers = taskDefinition.containerDefinitions
  const service = config.service ?? taskDefinition.family

  const router = ensureLogRouter(taskDefinition, config)
  const agent = config.agent ? ensureAgent(taskDefinition, config, config.agent, service) : undefined
  const warnings = [...router.warnings, ...(agent?.warnings ?? [])]

  const selected = selectContainers(containers, router.container, config.containers, agent?.container)
  const tags = tagsFromConfig(config)
  const changes = containers.map((container): Change => {
    if (container === router.container) return router.change
    if (!selected.has(container)) {
      return { container: container.name, action: 'not selected', detail: 'left as it was (not in `containers`)' }
    }
    const isAgent = isAgentContainer(container)
    const before = JSON.stringify(container)
    const previous = container.logConfiguration
    warnings.push(
      ...routeContainer(container, config, {
        service: isAgent ? AGENT_LOG_SERVICE : service,
        serviceExplicit: !isAgent && config.service !== undefined,
        source: isAgent ? AGENT_LOG_SERVICE : config.source,
        sourceExplicit: !isAgent && config.source !== undefined,
        tags
      })
    )
    const routing = routingChange(container.name, previous, before === JSON.stringify(container))
    if (container === agent?.container) {
      // The managed agent has its own row; it says there that its logs are routed too.
      return routing.action === 'unchanged'
        ? agent.change
        : { ...agent.change, detail: `${agent.change.detail}; its own logs routed to Datadog` }
    }
    if (!isAgent) {
      const routedService = OptionMap.fromRecord(container.logConfiguration?.options).get('dd_service') ?? service
      applyServiceTagging(container, config, routedService)
    }
    return routing
  })
  return { taskDefinition, changes, warnings }
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
