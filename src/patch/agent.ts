import { DEFAULT_AGENT_IMAGE } from '../images.js'
import type { ContainerDefinition, TaskDefinition } from '../task-definition.js'
import type { Change } from './change.js'
import type { AgentConfig, PatchConfig } from './config.js'
import { setEnvironment, setSecret } from './container-settings.js'

const AGENT_NAME = 'datadog-agent'

/** The Datadog Agent sidecar: named datadog-agent, or running a datadog/agent image from any registry. */
export function isAgentContainer(container: ContainerDefinition): boolean {
  return container.name === AGENT_NAME || /(^|\/)datadog(hq)?\/agent(:|@|$)/.test(container.image ?? '')
}

/** What ensureAgent did: the agent container, its change row and the warnings for the user. */
export interface AgentResult {
  container: ContainerDefinition
  change: Change
  warnings: string[]
}

/**
 * Adds the Agent sidecar for APM, DogStatsD and metrics, or patches the one there. Its settings follow Datadog's
 * ECS Fargate guide: the key from the same secret, the site's domain, a health check, not essential.
 */
export function ensureAgent(
  taskDefinition: TaskDefinition,
  config: PatchConfig,
  agent: AgentConfig,
  service: string
): AgentResult {
  const warnings: string[] = []
  const containers = taskDefinition.containerDefinitions
  let container = containers.find(isAgentContainer)
  const before = container && JSON.stringify(container)
  if (!container) {
    container = {
      name: AGENT_NAME,
      image: agent.image ?? DEFAULT_AGENT_IMAGE,
      essential: false,
      memoryReservation: agent.memory
    }
    containers.push(container)
  } else if (agent.image !== undefined) {
    container.image = agent.image
  }

  // Every entry: a second DD_API_KEY would keep the key in clear text.
  if (container.environment?.some(e => e.name === 'DD_API_KEY')) {
    container.environment = container.environment.filter(e => e.name !== 'DD_API_KEY')
    warnings.push(
      `${container.name}: DD_API_KEY was set in clear text in its environment; it was removed and now comes from \`api-key-secret\` through secrets. Rotate that key.`
    )
  }
  setSecret(container, 'DD_API_KEY', config.apiKeySecret.value)
  const fargate = taskDefinition.requiresCompatibilities?.includes('FARGATE') ?? false
  const environment: [string, string | undefined][] = [
    ['DD_SITE', config.site.domain],
    ['ECS_FARGATE', fargate ? 'true' : undefined],
    ['DD_APM_ENABLED', 'true'],
    ['DD_DOGSTATSD_NON_LOCAL_TRAFFIC', 'true'],
    ['DD_ENV', config.env],
    ['DD_SERVICE', service],
    ['DD_VERSION', config.version]
  ]
  for (const [name, value] of environment) if (value !== undefined) setEnvironment(container, name, value)
  container.healthCheck ??= {
    command: ['CMD-SHELL', 'agent health'],
    interval: 10,
    timeout: 5,
    retries: 3,
    startPeriod: 15
  }

  const change: Change =
    before === undefined
      ? {
          container: container.name,
          action: 'agent added',
          detail: `image ${container.image}, memoryReservation ${agent.memory} MiB`
        }
      : {
          container: container.name,
          action: 'agent reused',
          detail: `image ${container.image ?? 'unset'}${before !== JSON.stringify(container) ? ', settings updated' : ', nothing to change'}`
        }
  return { container, change, warnings }
}
