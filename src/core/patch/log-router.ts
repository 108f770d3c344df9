import { UserError } from '../errors.js'
import { DEFAULT_LOG_ROUTER_IMAGE, imageTag, isMovingTag } from '../images.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import type { Change } from './change.js'
import type { PatchConfig } from './config.js'
import { isFluentBitImage, isFluentdImage } from './image-name.js'
import { FLUENT_BIT_2X } from '../router/option-versions.js'
import {
  AWS_FOR_FLUENT_BIT_2_END_OF_LIFE,
  DATADOG_OUTPUT_SINCE,
  formatVersion,
  hasVersion,
  routerVersion
} from '../router/router-version.js'
import { OptionMap } from './options.js'
import { reservationDetail, sidecarMemory } from './sidecar-memory.js'
import { wantsGeneratedConfig } from './router-config-container.js'
import { GENERATED_CONFIG } from '../router/router-config.js'

const PARSE_JSON_CONFIG = '/fluent-bit/configs/parse-json.conf'
const ECS_METADATA = 'enable-ecs-log-metadata'

/** What ensureLogRouter did: the router, its change row, and what the user should read. */
export interface LogRouterResult {
  container: ContainerDefinition
  change: Change
  warnings: string[]
  notices: string[]
}

/** The one container with a firelensConfiguration, if there is one; ECS allows no more. */
export function findLogRouter(containers: ContainerDefinition[]): ContainerDefinition | undefined {
  const routers = containers.filter(c => c.firelensConfiguration !== undefined)
  if (routers.length > 1) {
    throw new UserError(
      `The task definition has ${routers.length} containers with a firelensConfiguration (${routers.map(r => r.name).join(', ')}); ECS allows exactly one.`,
      'Remove the firelensConfiguration from all but one log router.'
    )
  }
  return routers[0]
}

/**
 * `log-router-name` may only name the router or a free name: naming another container (an application, the
 * Agent) would put the router's settings on it, or the Agent's on the router.
 */
export function checkLogRouterName(
  containers: ContainerDefinition[],
  router: ContainerDefinition | undefined,
  name: string,
  /** The Agent's name: the existing Agent's, or the one `agent: true` adds. */
  agentName: string | undefined
): void {
  if (router !== undefined && router.name === agentName) {
    throw new UserError(
      `The log router is named "${router.name}", the name the Datadog Agent gets with \`agent: true\`; two containers cannot share it.`,
      `Rename the log router in the task definition (e.g. to log-router) and set \`log-router-name\` to that name.`
    )
  }
  const taken = containers.find(c => c.name === name && c !== router)
  if (name !== agentName && !taken) return
  const what =
    name === agentName
      ? `the Datadog Agent (containerDefinitions[${name}]${taken ? '' : ', which `agent: true` adds'}): the Agent's settings and the router's cannot share one container`
      : `a container that is not the log router (containerDefinitions[${name}] has no firelensConfiguration): the router's settings would land on it`
  throw new UserError(
    `Input \`log-router-name\` is "${name}", the name of ${what}.${router ? ` The log router is "${router.name}".` : ''}`,
    `Set \`log-router-name\` to ${router ? `"${router.name}" or ` : ''}a name no other container has (the default is log-router).`
  )
}

/** Patches the existing router (from findLogRouter), or adds one. */
export function ensureLogRouter(
  taskDefinition: TaskDefinition,
  config: PatchConfig,
  existing: ContainerDefinition | undefined
): LogRouterResult {
  return existing ? reuseRouter(existing, config) : addRouter(taskDefinition, config)
}

function reuseRouter(router: ContainerDefinition, config: PatchConfig): LogRouterResult {
  const warnings: string[] = []
  const notices: string[] = []
  const before = JSON.stringify(router)
  const firelens = router.firelensConfiguration!
  const where = `containerDefinitions[${router.name}]`
  const image = config.logRouter.image

  const notFluentBit = notFluentBitReason(router)
  if (notFluentBit !== undefined) {
    if (image === undefined) {
      throw new UserError(
        `The log router "${router.name}" is not Fluent Bit: ${notFluentBit}. This action writes Fluent Bit's datadog output, which another router cannot run: every log would be lost.`,
        `Set \`log-router-image\` (e.g. ${DEFAULT_LOG_ROUTER_IMAGE}) to make it a Fluent Bit router: its image is replaced and its type set to fluentbit. If its image is Fluent Bit under another name (built FROM aws-for-fluent-bit), set \`log-router-image\` to that image.`
      )
    }
    notices.push(
      `${router.name}: the log router was not Fluent Bit (${notFluentBit}); it is now type fluentbit with image ${image} from \`log-router-image\`.`
    )
    const configFile = OptionMap.fromRecord(firelens.options).get('config-file-value')
    if (firelens.type?.toLowerCase() === 'fluentd' && configFile !== undefined) {
      warnings.push(
        `${router.name}: its config file ${configFile} (${where}.firelensConfiguration.options) was written for Fluentd and was kept; Fluent Bit cannot read Fluentd configuration and would not start. Replace it with a Fluent Bit one or remove config-file-type and config-file-value.`
      )
    }
  }
  if (router.essential === false) {
    warnings.push(
      `${router.name}: the log router has "essential": false (${where}.essential); when it stops, the application keeps running and every log it writes from then on is lost. Set "essential": true, as AWS recommends for FireLens.`
    )
  }

  router.firelensConfiguration = {
    ...firelens,
    type: 'fluentbit',
    options: routerOptions(firelens.options, config, router.name, warnings, notices)
  }
  if (image !== undefined) router.image = image
  else {
    const custom = customImageWarning(router)
    warnings.push(...(custom === undefined ? routerImageWarnings(router) : [custom]))
  }
  applyRouterLogging(router, config)
  const imageNote = router.image ? `image ${router.image}` : 'no image'
  const changed = before !== JSON.stringify(router)
  return {
    container: router,
    change: {
      container: router.name,
      action: 'router reused',
      detail: changed ? `${imageNote}, firelensConfiguration updated` : `${imageNote}, nothing to change`
    },
    warnings,
    notices
  }
}

function addRouter(taskDefinition: TaskDefinition, config: PatchConfig): LogRouterResult {
  const warnings: string[] = []
  const notices: string[] = []
  const routerConfig = config.logRouter
  const memory = sidecarMemory(taskDefinition, {
    container: routerConfig.name,
    input: 'log-router-memory',
    mib: routerConfig.memory,
    explicit: routerConfig.memoryExplicit ?? false
  })
  if (memory.warning) warnings.push(memory.warning)
  const router: ContainerDefinition = {
    name: routerConfig.name,
    image: routerConfig.image ?? DEFAULT_LOG_ROUTER_IMAGE,
    essential: true,
    firelensConfiguration: {
      type: 'fluentbit',
      options: routerOptions(undefined, config, routerConfig.name, warnings, notices)
    },
    ...(memory.memoryReservation === undefined ? {} : { memoryReservation: memory.memoryReservation })
  }
  applyRouterLogging(router, config)
  taskDefinition.containerDefinitions.push(router)
  return {
    container: router,
    change: {
      container: router.name,
      action: 'router added',
      detail: `image ${router.image}, ${reservationDetail(memory.memoryReservation)}`
    },
    warnings,
    notices
  }
}

/**
 * Why an existing router is not Fluent Bit: its type, or no type and an image that is neither aws-for-fluent-bit nor
 * fluent-bit. A router whose type says fluentbit is one, whatever its image is called (built FROM aws-for-fluent-bit
 * with its config files baked in, a vendor's Fluent Bit, a mirror under another name, a registry on localhost).
 */
function notFluentBitReason(router: ContainerDefinition): string | undefined {
  const type = router.firelensConfiguration?.type
  const where = `containerDefinitions[${router.name}]`
  if (type !== undefined && type.toLowerCase() !== 'fluentbit') {
    return `${where}.firelensConfiguration.type is "${type}"`
  }
  if (!router.image?.trim()) return `${where} has no image`
  if (isFluentdImage(router.image)) return `${where}.image is ${router.image}, a Fluentd image`
  if (type === undefined && !isFluentBitImage(router.image)) {
    return `${where}.image is ${router.image}, which is neither aws-for-fluent-bit nor fluent-bit, and it has no firelensConfiguration.type`
  }
  return undefined
}

/** Said once for a fluentbit router on an image the action does not recognise: what was kept, and what is unknown. */
function customImageWarning(router: ContainerDefinition): string | undefined {
  if (isFluentBitImage(router.image ?? '')) return undefined
  const options = OptionMap.fromRecord(router.firelensConfiguration?.options)
  const file = options.get('config-file-value')
  const kept =
    file === undefined
      ? 'its options'
      : `its config file (${options.get('config-file-type') ?? 'unset'} ${file}) and options`
  return `${router.name}: the log router's image ${router.image} is not one this action recognises (aws-for-fluent-bit, fluent-bit), but its firelensConfiguration.type is fluentbit, so it is patched as a Fluent Bit router: its image, ${kept} were kept. Its Fluent Bit version is unknown: the datadog output needs Fluent Bit ${formatVersion(DATADOG_OUTPUT_SINCE)} or later, and option names are checked against both Fluent Bit ${formatVersion(FLUENT_BIT_2X)} (aws-for-fluent-bit 2.x) and 5.0.9 (${DEFAULT_LOG_ROUTER_IMAGE}); a name only the newer one has gets a warning of its own. Run the verify action after the deploy: it proves the logs arrive.`
}

function routerOptions(
  existing: Record<string, unknown> | undefined,
  config: PatchConfig,
  name: string,
  warnings: string[],
  notices: string[]
): Record<string, string> {
  const options = OptionMap.fromRecord(existing)
  const metadata = options.get(ECS_METADATA)
  if (metadata === undefined) options.set(ECS_METADATA, 'true')
  else if (metadata.trim().toLowerCase() !== 'true') {
    notices.push(
      `${name}: ${options.keyOf(ECS_METADATA)} is "${metadata}" on the log router and was kept, so logs will miss the ECS tags (cluster_name, task_arn, task_family, container_name …). Set it to "true" to have them.`
    )
  }
  // With a generated configuration parse-json is folded into it (FireLens names one file only).
  if (
    config.parseJson &&
    !wantsGeneratedConfig(config.wholeLogs) &&
    options.get('config-file-value') !== GENERATED_CONFIG
  ) {
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
 * Fluent Bit 1.9) is worth a warning: both have changed tasks under people without a deploy. So is a tag older than
 * the datadog output itself.
 */
function routerImageWarnings(router: ContainerDefinition): string[] {
  const problem = routerImageProblem(router.image ?? '')
  return problem ? [`${router.name}: ${problem.message}; ${problem.fix}.`] : []
}

/** What is wrong with a router image, in words (the patch's warning and the audit's finding), if anything. */
export function routerImageProblem(
  image: string
):
  | { kind: 'router-image-too-old' | 'router-image-moving-tag' | 'router-image-eol'; message: string; fix: string }
  | undefined {
  const version = routerVersion(image)
  const fix = `set \`log-router-image\` (e.g. ${DEFAULT_LOG_ROUTER_IMAGE}) to pin it`
  if (version.fluentBit !== undefined && !hasVersion(version.fluentBit, DATADOG_OUTPUT_SINCE)) {
    return {
      kind: 'router-image-too-old',
      message: `the log router image ${image} is Fluent Bit ${formatVersion(version.fluentBit)} (${version.evidence}), older than Fluent Bit's datadog output (${formatVersion(DATADOG_OUTPUT_SINCE)}): the router cannot load it and would stop the task`,
      fix: `set \`log-router-image\` (e.g. ${DEFAULT_LOG_ROUTER_IMAGE})`
    }
  }
  if (version.image !== 'aws-for-fluent-bit') return undefined
  if (isMovingTag(image)) {
    return {
      kind: 'router-image-moving-tag',
      message: `the log router image ${image} is a moving tag that can change the running router without a deploy`,
      fix
    }
  }
  if (version.endOfLife !== undefined || imageTag(image)?.startsWith('2.')) {
    return {
      kind: 'router-image-eol',
      message: `the log router image ${image} is aws-for-fluent-bit 2.x, which reached end of life on ${version.endOfLife ?? AWS_FOR_FLUENT_BIT_2_END_OF_LIFE}`,
      fix
    }
  }
  return undefined
}
