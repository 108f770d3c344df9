import { UserError } from '../errors.js'
import { DEFAULT_LOG_ROUTER_IMAGE, imageTag, isMovingTag } from '../images.js'
import type { ContainerDefinition, TaskDefinition } from '../task-definition.js'
import type { Change } from './change.js'
import type { PatchConfig } from './config.js'
import { OptionMap } from './options.js'

const PARSE_JSON_CONFIG = '/fluent-bit/configs/parse-json.conf'

/** What ensureLogRouter did: the router, its change row and the warnings for the user. */
export interface LogRouterResult {
  container: ContainerDefinition
  change: Change
  warnings: string[]
}

/** Finds the one container with a firelensConfiguration and patches it, or adds one. */
export function ensureLogRouter(taskDefinition: TaskDefinition, config: PatchConfig): LogRouterResult {
  const containers = taskDefinition.containerDefinitions
  const routers = containers.filter(c => c.firelensConfiguration !== undefined)
  if (routers.length > 1) {
    throw new UserError(
      `The task definition has ${routers.length} containers with a firelensConfiguration (${routers.map(r => r.name).join(', ')}); ECS allows exactly one.`,
      'Remove the firelensConfiguration from all but one log router.'
    )
  }
  const warnings: string[] = []
  const routerConfig = config.logRouter
  const existing = routers[0]
  if (existing) {
    const before = JSON.stringify(existing)
    const firelens = existing.firelensConfiguration!
    if (firelens.type !== undefined && firelens.type !== 'fluentbit') {
      warnings.push(
        `${existing.name}: firelensConfiguration.type was "${firelens.type}" and is now "fluentbit"; make sure its image (${existing.image ?? 'unset'}) is Fluent Bit, e.g. set \`log-router-image\`.`
      )
    }
    existing.firelensConfiguration = {
      ...firelens,
      type: 'fluentbit',
      options: routerOptions(firelens.options, config, existing.name, warnings)
    }
    if (routerConfig.image !== undefined) existing.image = routerConfig.image
    else warnings.push(...routerImageWarnings(existing))
    applyRouterLogging(existing, config)
    const imageNote = existing.image ? `image ${existing.image}` : 'no image'
    const changed = before !== JSON.stringify(existing)
    return {
      container: existing,
      change: {
        container: existing.name,
        action: 'router reused',
        detail: changed ? `${imageNote}, firelensConfiguration updated` : `${imageNote}, nothing to change`
      },
      warnings
    }
  }
  if (containers.some(c => c.name === routerConfig.name)) {
    throw new UserError(
      `A container named "${routerConfig.name}" exists but has no firelensConfiguration, so it cannot be the log router.`,
      'Set `log-router-name` to a free name, or add a firelensConfiguration to that container if it is a Fluent Bit router.'
    )
  }
  const router: ContainerDefinition = {
    name: routerConfig.name,
    image: routerConfig.image ?? DEFAULT_LOG_ROUTER_IMAGE,
    essential: true,
    firelensConfiguration: {
      type: 'fluentbit',
      options: routerOptions(undefined, config, routerConfig.name, warnings)
    },
    memoryReservation: routerConfig.memory
  }
  applyRouterLogging(router, config)
  containers.push(router)
  return {
    container: router,
    change: {
      container: router.name,
      action: 'router added',
      detail: `image ${router.image}, memoryReservation ${routerConfig.memory} MiB`
    },
    warnings
  }
}

function routerOptions(
  existing: Record<string, unknown> | undefined,
  config: PatchConfig,
  name: string,
  warnings: string[]
): Record<string, string> {
  const options = OptionMap.fromRecord(existing).set('enable-ecs-log-metadata', 'true')
  if (config.parseJson) {
    const ownFile = options.get('config-file-value')
    if (!options.has('config-file-type') && ownFile === undefined) {
      options.set('config-file-type', 'file')
      options.set('config-file-value', PARSE_JSON_CONFIG)
    } else if (ownFile !== PARSE_JSON_CONFIG) {
      warnings.push(
        `${name}: \`parse-json\` is on but the router already has its own config file (${ownFile ?? 'unset'}); it was kept. Include ${PARSE_JSON_CONFIG}'s parser in it to parse JSON logs.`
      )
    }
  }
  return options.toRecord()
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
function routerImageWarnings(router: ContainerDefinition): string[] {
  const image = router.image ?? ''
  if (!/aws-for-fluent-bit/.test(image)) return []
  const fix = `set \`log-router-image\` (e.g. ${DEFAULT_LOG_ROUTER_IMAGE}) to pin it`
  if (isMovingTag(image)) {
    return [
      `${router.name}: the log router image ${image} is a moving tag that can change the running router without a deploy; ${fix}.`
    ]
  }
  if (imageTag(image)?.startsWith('2.')) {
    return [
      `${router.name}: the log router image ${image} is aws-for-fluent-bit 2.x, which reached end of life on 2026-06-30; ${fix}.`
    ]
  }
  return []
}
