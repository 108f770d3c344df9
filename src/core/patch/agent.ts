import { UserError } from '../errors.js'
import { DEFAULT_AGENT_IMAGE } from '../images.js'
import { SITES, type Site } from '../sites.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import type { Change } from './change.js'
import type { AgentConfig, PatchConfig } from './config.js'
import { environmentValue, setEnvironment, setSecret } from './container-settings.js'
import { isAgentImage } from './image-name.js'
import { reservationDetail, sidecarMemory } from './sidecar-memory.js'

export const AGENT_NAME = 'datadog-agent'

/** The Agent's default site when DD_SITE is not set. */
const AGENT_DEFAULT_SITE = 'datadoghq.com'

/**
 * The Datadog Agent sidecar: named datadog-agent, or running Datadog's Agent image from any registry or mirror
 * (`…/datadog/agent`, `…/datadoghq/agent`, `…/datadog-agent`, with a tag or a digest).
 */
export function isAgentContainer(container: ContainerDefinition): boolean {
  return container.name === AGENT_NAME || isAgentImage(container.image ?? '')
}

/** The Agents already in the task; the log router never counts as one, whatever its name or image. */
export function findAgents(
  containers: ContainerDefinition[],
  router: ContainerDefinition | undefined
): ContainerDefinition[] {
  return containers.filter(c => c !== router && isAgentContainer(c))
}

/**
 * Refuses what `agent: true` cannot make work: two Agents (one would fail to bind its ports), and a sidecar in
 * bridge or host network mode, where Datadog runs the Agent as a daemon service instead.
 */
export function checkAgentFits(taskDefinition: TaskDefinition, agents: ContainerDefinition[]): void {
  if (agents.length > 1) {
    throw new UserError(
      `The task definition has ${agents.length} Datadog Agent containers (${agents.map(a => a.name).join(', ')}); a task runs one Agent, and a second one cannot bind ports 8125/8126.`,
      `Remove all but one of them from containerDefinitions (an Agent is a container named ${AGENT_NAME} or running a datadog/agent image).`
    )
  }
  const fargate = taskDefinition.requiresCompatibilities?.includes('FARGATE') ?? false
  const declared = taskDefinition.networkMode
  // ECS uses bridge on Linux EC2 instances when networkMode is not set (Fargate requires awsvpc).
  const mode = typeof declared === 'string' ? declared.toLowerCase() : fargate ? undefined : 'bridge'
  if (mode !== 'bridge' && mode !== 'host') return
  const why =
    mode === 'bridge'
      ? 'in bridge mode each container has its own network namespace, so the applications cannot reach a sidecar Agent on localhost:8126 (traces) and localhost:8125 (DogStatsD)'
      : 'in host mode the sidecar Agent binds ports 8126 and 8125 on the instance itself, so two tasks on one instance collide on those ports'
  throw new UserError(
    `Input \`agent\` is true but the task's networkMode is ${typeof declared === 'string' ? `"${declared}"` : 'not set (ECS then uses bridge)'}: ${why}.`,
    'On EC2 with bridge or host networking, Datadog recommends running the Agent as an ECS daemon service (one Agent per instance, https://docs.datadoghq.com/containers/amazon_ecs/) and setting `agent: false` here; or set "networkMode": "awsvpc" to run it as a sidecar.'
  )
}

/** What ensureAgent did: the Agent container, its change row, and what the user should read. */
export interface AgentResult {
  container: ContainerDefinition
  change: Change
  warnings: string[]
  notices: string[]
}

/**
 * Adds the Agent sidecar for APM, DogStatsD and metrics, or patches the one there (`existing`, from findAgents). Its
 * settings follow Datadog's ECS Fargate guide: the key from the same secret, the site's domain, a health check, not
 * essential. An existing DD_SERVICE stays unless the `service` input is given.
 */
export function ensureAgent(
  taskDefinition: TaskDefinition,
  config: PatchConfig,
  agent: AgentConfig,
  existing: ContainerDefinition | undefined,
  defaultService: string
): AgentResult {
  const warnings: string[] = []
  const notices: string[] = []
  let container = existing
  const before = container && JSON.stringify(container)
  let reservation: number | undefined
  if (!container) {
    const memory = sidecarMemory(taskDefinition, {
      container: AGENT_NAME,
      input: 'agent-memory',
      mib: agent.memory,
      explicit: agent.memoryExplicit ?? false
    })
    if (memory.warning) warnings.push(memory.warning)
    reservation = memory.memoryReservation
    container = {
      name: AGENT_NAME,
      image: agent.image ?? DEFAULT_AGENT_IMAGE,
      essential: false,
      ...(reservation === undefined ? {} : { memoryReservation: reservation })
    }
    taskDefinition.containerDefinitions.push(container)
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
  if (existing) {
    const site = environmentValue(existing, 'DD_SITE')
    // Unset on US1 is already right: the Agent's default.
    if (site !== config.site.domain && !(site === undefined && config.site.domain === AGENT_DEFAULT_SITE)) {
      notices.push(
        `${container.name}: the Agent's DD_SITE was ${site === undefined ? `not set (the Agent then uses ${AGENT_DEFAULT_SITE})` : `"${site}"`}; it is now ${config.site.domain} (${config.site.code}), the site of \`site\`.`
      )
    }
  }
  const fargate = taskDefinition.requiresCompatibilities?.includes('FARGATE') ?? false
  const service = config.service ?? (existing && environmentValue(existing, 'DD_SERVICE')) ?? defaultService
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
          detail: `image ${container.image}, ${reservationDetail(reservation)}`
        }
      : {
          container: container.name,
          action: 'agent reused',
          detail: `image ${container.image ?? 'unset'}${before !== JSON.stringify(container) ? ', settings updated' : ', nothing to change'}`
        }
  return { container, change, warnings, notices }
}

/**
 * With `agent: false` the action leaves an existing Agent alone, but an Agent on another site sends its metrics
 * and traces there, where this site's key is refused.
 */
export function agentSiteWarning(agent: ContainerDefinition, site: Site): string | undefined {
  const value = environmentValue(agent, 'DD_SITE')?.trim()
  const effective = value === undefined || value === '' ? AGENT_DEFAULT_SITE : value
  // The Agent reads DD_SITE as a domain (datadoghq.eu); a code such as EU1 means nothing to it.
  const agentSite = SITES.find(s => s.domain === effective.toLowerCase())
  if (agentSite?.domain === site.domain) return undefined
  const is =
    value === undefined || value === ''
      ? `has no DD_SITE, so it sends to ${AGENT_DEFAULT_SITE} (US1)`
      : agentSite
        ? `has DD_SITE "${value}" (${agentSite.code})`
        : `has DD_SITE "${value}", which is not a Datadog site domain`
  return `${agent.name}: the Datadog Agent ${is}, but \`site\` is ${site.code} (${site.domain}): its metrics and traces go to that site with this task's key and are refused there. Set DD_SITE to ${site.domain} in containerDefinitions[${agent.name}].environment, or set \`agent: true\` to have it corrected.`
}
