import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Task
} from '@aws-sdk/client-ecs'
import { UserError } from '../../core/errors.js'
import type { ServiceFacts, TaskFilter } from '../../core/jobs/aws-ports.js'
import { taskIdOf, type TaskFacts } from '../../core/checks/task-facts.js'
import type { DescribedTaskDefinition } from '../../core/verify/revision-facts.js'
import type { DeploymentFacts, ServiceEvent } from '../../core/diagnose/deployment.js'
import { clientConfig } from './client-config.js'
import { callFailure } from './deadline.js'
import { endpointFor } from './errors.js'

export type { ServiceFacts, TaskFilter }

// Read-only ECS calls of the verify action: which revision a service runs, its tasks and how they stopped.

export function createEcsClient(region: string): ECSClient {
  return new ECSClient(clientConfig(region))
}

const context = (action: string, region: string) => ({ action, endpoint: endpointFor('ecs', region), region })

function notFound(error: unknown, cluster: string, region: string): UserError | undefined {
  const name = (error as Error)?.name
  if (name === 'ClusterNotFoundException') {
    return new UserError(
      `The ECS cluster "${cluster}" does not exist in ${region}.`,
      'Check `cluster` and the region (AWS_REGION from configure-aws-credentials).'
    )
  }
  return undefined
}

/** The service and its primary deployment; undefined when the cluster has no such service. */
export async function describeService(
  client: ECSClient,
  cluster: string,
  service: string,
  region: string,
  signal?: AbortSignal
): Promise<ServiceFacts | undefined> {
  try {
    const response = await client.send(new DescribeServicesCommand({ cluster, services: [service] }), {
      abortSignal: signal
    })
    const found = response.services?.[0]
    if (!found || found.status === 'INACTIVE') return undefined
    const primary = found.deployments?.find(d => d.status === 'PRIMARY')
    const deployments: DeploymentFacts[] = (found.deployments ?? []).flatMap(d =>
      d.taskDefinition
        ? [
            {
              status: d.status ?? '',
              taskDefinition: d.taskDefinition,
              ...(d.id ? { id: d.id } : {}),
              ...(d.rolloutState ? { rolloutState: d.rolloutState } : {}),
              ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
              ...(d.createdAt ? { createdAt: d.createdAt.getTime() } : {})
            }
          ]
        : []
    )
    const events: ServiceEvent[] = (found.events ?? []).flatMap(e =>
      e.message ? [{ message: e.message, ...(e.createdAt ? { createdAt: e.createdAt.getTime() } : {}) }] : []
    )
    return {
      name: found.serviceName ?? service,
      status: found.status ?? 'ACTIVE',
      desiredCount: found.desiredCount ?? 0,
      deployments,
      events,
      ...(primary?.taskDefinition
        ? {
            primary: {
              taskDefinition: primary.taskDefinition,
              ...(primary.createdAt ? { createdAt: primary.createdAt.getTime() } : {}),
              ...(primary.rolloutState ? { rolloutState: primary.rolloutState } : {})
            }
          }
        : {})
    }
  } catch (error) {
    throw notFound(error, cluster, region) ?? callFailure(error, context('ecs:DescribeServices', region), signal)
  }
}

/** The task definition (ARN, family:revision or family for the latest ACTIVE revision). */
export async function describeTaskDefinition(
  client: ECSClient,
  taskDefinition: string,
  region: string,
  signal?: AbortSignal
): Promise<DescribedTaskDefinition> {
  try {
    const response = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), {
      abortSignal: signal
    })
    if (!response.taskDefinition) throw new Error('DescribeTaskDefinition answered without a taskDefinition')
    return response.taskDefinition
  } catch (error) {
    if ((error as Error)?.name === 'ClientException' && /unable to describe/i.test((error as Error).message)) {
      throw new UserError(
        `The task definition ${taskDefinition} does not exist in ${region}.`,
        'Check `task-definition-arn` (an ARN, or family:revision) and the region.'
      )
    }
    throw callFailure(error, context('ecs:DescribeTaskDefinition', region), signal)
  }
}

// A deploy has at most a few hundred tasks; more pages than this would be a loop, not a service.
const MAX_PAGES = 20

/** The ARNs of the tasks that match, every page. */
export async function listTaskArns(
  client: ECSClient,
  filter: TaskFilter,
  region: string,
  signal?: AbortSignal
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await client.send(
        new ListTasksCommand({
          cluster: filter.cluster,
          ...(filter.serviceName ? { serviceName: filter.serviceName } : {}),
          ...(filter.family ? { family: filter.family } : {}),
          desiredStatus: filter.desiredStatus,
          maxResults: 100,
          ...(nextToken ? { nextToken } : {})
        }),
        { abortSignal: signal }
      )
      arns.push(...(response.taskArns ?? []))
      if (!response.nextToken || response.nextToken === nextToken) break
      nextToken = response.nextToken
    }
    return arns
  } catch (error) {
    if ((error as Error)?.name === 'ServiceNotFoundException') {
      throw new UserError(
        `The ECS service "${filter.serviceName}" does not exist in cluster ${filter.cluster} (${region}).`,
        'Check `service` and `cluster`.'
      )
    }
    throw notFound(error, filter.cluster, region) ?? callFailure(error, context('ecs:ListTasks', region), signal)
  }
}

/** The tasks, 100 per call (DescribeTasks' limit), the calls made at once. */
export async function describeTasks(
  client: ECSClient,
  cluster: string,
  arns: readonly string[],
  region: string,
  signal?: AbortSignal
): Promise<TaskFacts[]> {
  const batches: string[][] = []
  for (let i = 0; i < arns.length; i += 100) batches.push(arns.slice(i, i + 100))
  try {
    const answers = await Promise.all(
      batches.map(tasks =>
        client.send(new DescribeTasksCommand({ cluster, tasks: [...tasks] }), { abortSignal: signal })
      )
    )
    return answers.flatMap(a => a.tasks ?? []).map(taskFacts)
  } catch (error) {
    throw notFound(error, cluster, region) ?? callFailure(error, context('ecs:DescribeTasks', region), signal)
  }
}

function taskFacts(task: Task): TaskFacts {
  const arn = task.taskArn ?? ''
  const time = (d: Date | undefined) => (d ? { value: d.getTime() } : undefined)
  const at = (key: 'createdAt' | 'startedAt' | 'stoppingAt' | 'stoppedAt') => {
    const t = time(task[key])
    return t ? { [key]: t.value } : {}
  }
  return {
    arn,
    id: taskIdOf(arn),
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    lastStatus: task.lastStatus ?? '',
    desiredStatus: task.desiredStatus ?? '',
    ...at('createdAt'),
    ...at('startedAt'),
    ...at('stoppingAt'),
    ...at('stoppedAt'),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    containers: (task.containers ?? []).map(c => ({
      name: c.name ?? '',
      ...(c.image ? { image: c.image } : {}),
      ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}),
      ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.runtimeId ? { runtimeId: c.runtimeId } : {}),
      ...(c.healthStatus ? { healthStatus: c.healthStatus } : {})
    }))
  }
}
