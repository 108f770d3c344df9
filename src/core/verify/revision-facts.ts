import { siteOfIntakeHost } from '../diagnose/router-log.js'
import { routerSendsToOtherSite, type ProblemText } from '../checks/site-mismatch.js'
import type { TaskFacts } from '../checks/task-facts.js'
import { UserError } from '../errors.js'
import type { Site } from '../sites.js'

/** The parts of a DescribeTaskDefinition answer the verify action reads (plain data; the SDK type is wider). */
export interface DescribedTaskDefinition {
  taskDefinitionArn?: string
  family?: string
  revision?: number
  executionRoleArn?: string
  containerDefinitions?: {
    name?: string
    image?: string
    firelensConfiguration?: { type?: string; options?: Record<string, string> }
    logConfiguration?: { logDriver?: string; options?: Record<string, string> }
  }[]
}

/** Where the log router's own log goes: CloudWatch Logs (readable), or somewhere this action cannot read. */
export type RouterLog =
  { kind: 'cloudwatch'; group: string; region: string; streamPrefix?: string } | { kind: 'elsewhere'; driver: string }

export interface RevisionFacts {
  arn: string
  family: string
  revision: number
  executionRoleArn?: string
  router: { container: string; log: RouterLog }
  /** Every record carries task_family/task_version tags (provider ecs and ECS metadata on): the search can find them. */
  taggedWithTask: boolean
  /** The Host of each datadog output, lower case (Fluent Bit's default, US1's intake, when unset). */
  intakeHosts: string[]
}

// What Fluent Bit's datadog output sends to without a Host: the US1 trap.
const DEFAULT_HOST = 'http-intake.logs.datadoghq.com'

/** A logConfiguration option by name, whatever its case (the router's option names are case-insensitive). */
function option(options: Record<string, string> | undefined, name: string): string | undefined {
  if (!options) return undefined
  const key = Object.keys(options).find(k => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : options[key]
}

/** What the revision says about its log router, read from its task definition. */
export function revisionFacts(td: DescribedTaskDefinition, taskRegion: string): RevisionFacts {
  const arn = td.taskDefinitionArn ?? ''
  const family = td.family ?? ''
  const revision = td.revision ?? 0
  const containers = td.containerDefinitions ?? []
  const router = containers.find(c => c.firelensConfiguration)
  if (!router?.name) {
    const text = noLogRouter(arn || family)
    throw new UserError(text.message, text.hint)
  }
  const logConfiguration = router.logConfiguration
  const driver = logConfiguration?.logDriver ?? 'none'
  let log: RouterLog = { kind: 'elsewhere', driver }
  if (driver === 'awslogs') {
    const group = option(logConfiguration?.options, 'awslogs-group')
    const prefix = option(logConfiguration?.options, 'awslogs-stream-prefix')
    if (group) {
      log = {
        kind: 'cloudwatch',
        group,
        region: option(logConfiguration?.options, 'awslogs-region') || taskRegion,
        ...(prefix ? { streamPrefix: prefix } : {})
      }
    }
  }
  const datadogOutputs = containers.filter(
    c =>
      c.logConfiguration?.logDriver === 'awsfirelens' &&
      option(c.logConfiguration.options, 'Name')?.toLowerCase() === 'datadog'
  )
  const metadata = option(router.firelensConfiguration?.options, 'enable-ecs-log-metadata')
  const taggedWithTask =
    metadata?.toLowerCase() !== 'false' &&
    datadogOutputs.length > 0 &&
    datadogOutputs.every(c => option(c.logConfiguration?.options, 'provider')?.toLowerCase() === 'ecs')
  return {
    arn,
    family,
    revision,
    ...(td.executionRoleArn ? { executionRoleArn: td.executionRoleArn } : {}),
    router: { container: router.name, log },
    taggedWithTask,
    intakeHosts: [
      ...new Set(datadogOutputs.map(c => (option(c.logConfiguration?.options, 'Host') || DEFAULT_HOST).toLowerCase()))
    ]
  }
}

/**
 * The awslogs stream of the router of one task: `<prefix>/<container>/<task id>`; without a prefix (EC2 only) the
 * Docker container id. Undefined when it cannot be known yet (no prefix and the container has not started).
 */
export function routerStreamName(router: RevisionFacts['router'], task: TaskFacts): string | undefined {
  if (router.log.kind !== 'cloudwatch') return undefined
  if (router.log.streamPrefix) return `${router.log.streamPrefix}/${router.container}/${task.id}`
  return task.containers.find(c => c.name === router.container)?.runtimeId
}

/** A revision without a log router (verify's refusal and the audit's finding). */
export function noLogRouter(revision: string): ProblemText {
  return {
    message: `${revision} has no log router (no container with firelensConfiguration), so its logs do not go through FireLens.`,
    hint: 'Patch the task definition with the main action (datadog-firelens-action) before deploying it, then verify the revision it deployed.'
  }
}

/** The router logs somewhere this action cannot read: its delivery errors stay unseen (verify's notice, the audit's finding). */
export function routerLogUnreadable(facts: Pick<RevisionFacts, 'family' | 'revision' | 'router'>): ProblemText {
  const driver = facts.router.log.kind === 'elsewhere' ? facts.router.log.driver : 'awslogs'
  return {
    message: `The log router (${facts.router.container}) of ${revisionLabel(facts)} does not log to CloudWatch (log driver: ${driver}), so its delivery errors cannot be read.`,
    hint: 'Set `log-router-log-group` in the main action to add that log'
  }
}

/** `web:7` */
export function revisionLabel(facts: Pick<RevisionFacts, 'family' | 'revision'>): string {
  return `${facts.family}:${facts.revision}`
}

/**
 * The revision sends to another site's intake than `site`: its logs cannot arrive there, whatever the key. A Host that
 * is no site's intake (a proxy, a PrivateLink name) is not judged.
 */
export function intakeOfOtherSite(facts: RevisionFacts, site: Site): UserError | undefined {
  for (const host of facts.intakeHosts) {
    const sentTo = siteOfIntakeHost(host)
    if (sentTo && sentTo !== site) {
      const text = routerSendsToOtherSite(sentTo, site)
      return new UserError(`${revisionLabel(facts)}: ${text.message}`, text.hint)
    }
  }
  return undefined
}
