import { AwsCallError } from '../errors.js'
import type { TaskDefinition } from '../definition/task-definition.js'
import type { Finding } from './roles.js'

/**
 * verify-log-groups: the awslogs driver writes to a log group that must exist when a task starts, or ECS stops the
 * task ("ResourceInitializationError: failed to validate logger args: … The specified log group does not exist").
 * The router is essential, so a missing router log group (`log-router-log-group`) stops every task. The check asks
 * CloudWatch Logs whether each group exists (logs:DescribeLogGroups, metadata only) instead of setting
 * `awslogs-create-group`: that would need logs:CreateLogGroup on the execution role, which AWS's managed
 * AmazonECSTaskExecutionRolePolicy does not grant (so it would stop tasks that work today), and a group the driver
 * creates keeps its logs forever (no retention).
 */

/** A container's awslogs destination. */
export interface AwslogsGroup {
  /** The containers that write there, in definition order. */
  containers: string[]
  group: string
  region: string
  /** `awslogs-create-group: "true"`: ECS creates the group (with the execution role's logs:CreateLogGroup). */
  createGroup: boolean
}

export interface LogGroupLookups {
  /** Whether the group exists in the region (logs:DescribeLogGroups). */
  logGroupExists(group: string, region: string): Promise<boolean>
}

type Options = Record<string, unknown>

const option = (options: Options, name: string): string | undefined => {
  const value = options[name]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** Every awslogs group of the definition, once per group and region (the task's region when the option is unset). */
export function awslogsGroups(taskDefinition: TaskDefinition, taskRegion: string): AwslogsGroup[] {
  const groups = new Map<string, AwslogsGroup>()
  for (const container of taskDefinition.containerDefinitions ?? []) {
    const log = container.logConfiguration as { logDriver?: unknown; options?: Options } | undefined
    if (log?.logDriver !== 'awslogs') continue
    const options = log.options ?? {}
    const group = option(options, 'awslogs-group')
    if (!group) continue
    const region = option(options, 'awslogs-region') ?? taskRegion
    const key = `${region} ${group}`
    const known = groups.get(key)
    const createGroup = option(options, 'awslogs-create-group')?.toLowerCase() === 'true'
    const name = typeof container.name === 'string' ? container.name : '?'
    if (known) {
      known.containers.push(name)
      known.createGroup &&= createGroup
    } else {
      groups.set(key, { containers: [name], group, region, createGroup })
    }
  }
  return [...groups.values()]
}

const who = (g: AwslogsGroup): string =>
  g.containers.length === 1 ? `container ${g.containers[0]}` : `containers ${g.containers.join(', ')}`

/** The finding for one group, from whether it exists. */
export function logGroupFinding(group: AwslogsGroup, exists: boolean, routerName?: string): Finding {
  if (exists) {
    return {
      level: 'info',
      message: `Log group check: ${group.group} exists in ${group.region} (${who(group)}).`
    }
  }
  const router = routerName !== undefined && group.containers.includes(routerName)
  return {
    level: 'error',
    message: `The log group ${group.group} does not exist in ${group.region}, so ECS would stop the task before it starts (${who(group)}: "ResourceInitializationError: failed to validate logger args: … The specified log group does not exist")${router ? '; the log router is essential, so every task would stop' : ''}.`,
    hint: `Create it (and give it a retention): aws logs create-log-group --log-group-name ${group.group} --region ${group.region} && aws logs put-retention-policy --log-group-name ${group.group} --retention-in-days 30 --region ${group.region}${router ? '; or set `log-router-log-group` to a group that exists' : ''}.`
  }
}

/**
 * Each group at once; a group with awslogs-create-group needs no look-up. The CI role's missing permission is one
 * warning, and the step goes on; anything else (network, no credentials) propagates.
 */
export async function checkLogGroups(
  groups: AwslogsGroup[],
  lookups: LogGroupLookups,
  routerName?: string
): Promise<Finding[]> {
  const denied: string[] = []
  const findings = await Promise.all(
    groups.map(async (group): Promise<Finding | undefined> => {
      if (group.createGroup) {
        return {
          level: 'info',
          message: `Log group check: ${group.group} (${who(group)}) has awslogs-create-group, so ECS creates it; the task execution role needs logs:CreateLogGroup on it.`
        }
      }
      try {
        return logGroupFinding(group, await lookups.logGroupExists(group.group, group.region), routerName)
      } catch (error) {
        if (!(error instanceof AwsCallError && error.accessDenied)) throw error
        denied.push(group.group)
        return undefined
      }
    })
  )
  const result = findings.filter((f): f is Finding => f !== undefined)
  if (denied.length > 0) {
    const many = denied.length > 1
    result.push({
      level: 'warning',
      title: 'Log groups not verified',
      message: `Could not check that the log group${many ? 's' : ''} ${denied.join(', ')} exist${many ? '' : 's'}: this workflow's role may not call logs:DescribeLogGroups. ECS will not start the task if a group is missing. Going on without it; grant logs:DescribeLogGroups to enable the check, or set verify-log-groups: false.`
    })
  }
  return result
}
