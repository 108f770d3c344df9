import type { Finding } from '../checks/finding.js'
import { quoteOf } from '../checks/finding.js'

/**
 * Did the service's latest deployment fail? ECS's deployment circuit breaker marks a deployment FAILED when its tasks
 * cannot reach a steady state and, with rollback on, starts a new PRIMARY deployment of the last revision that
 * completed. From then on the service runs (and its primary deployment names) the old revision, so verifying "the
 * service's primary deployment" would pass for a revision this deploy did not ship. This turns what DescribeServices
 * shows (deployments, events) into the failure to report instead.
 */

/** One entry of a service's `deployments`, as DescribeServices answers it (times in epoch ms). */
export interface DeploymentFacts {
  id?: string
  /** PRIMARY (the one the service moves to), ACTIVE (still has tasks), INACTIVE. */
  status: string
  taskDefinition: string
  /** COMPLETED, IN_PROGRESS or FAILED (rolling deployments with the circuit breaker). */
  rolloutState?: string
  /** ECS's words, e.g. "ECS deployment circuit breaker: tasks failed to start." */
  rolloutStateReason?: string
  createdAt?: number
}

/** One of the service's events (newest first, as ECS lists them). */
export interface ServiceEvent {
  createdAt?: number
  message: string
}

export interface ServiceDeploymentState {
  name: string
  deployments: DeploymentFacts[]
  events: ServiceEvent[]
}

/** `family:revision` of a task definition ARN (the ARN itself when it is not one). */
export function revisionOf(taskDefinition: string): string {
  return /:task-definition\/(.+)$/.exec(taskDefinition)?.[1] ?? taskDefinition
}

// ECS's event texts: "(service web) (deployment ecs-svc/123) deployment failed: tasks failed to start." and
// "(service web) rolling back to deployment ecs-svc/456."
const FAILED_EVENT = /\(deployment ([^)\s]+)\) deployment failed:?\s*(.*)$/i
const ROLLBACK_EVENT = /rolling back to deployment ([^\s.]+(?:\.\d+)?)/i
// A rollback starts right when the failure is noticed: events this long before the primary's creation belong to it.
const EVENT_SLACK_MS = 60_000

/**
 * The failure to report, or undefined when the latest deployment did not fail. `target` is the task definition ARN
 * being verified when the user named one: a failed deployment of another revision is then not this step's business.
 */
export function failedDeploymentFinding(
  service: ServiceDeploymentState,
  cluster: string,
  target?: string
): Finding | undefined {
  const primary = service.deployments.find(d => d.status === 'PRIMARY')
  const failed = service.deployments
    .filter(d => d.rolloutState === 'FAILED')
    .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0]
  const inspect = `aws ecs describe-services --cluster ${cluster} --services ${service.name} --query 'services[0].events[:10]'`

  if (failed) {
    if (target !== undefined && failed.taskDefinition !== target) return undefined
    const reason = failed.rolloutStateReason ? `: "${failed.rolloutStateReason}"` : ''
    const id = failed.id ? ` (deployment ${failed.id})` : ''
    const rolledBack = primary && primary !== failed && primary.taskDefinition !== failed.taskDefinition
    return {
      severity: 'error',
      kind: 'deployment-failed',
      message: `The latest deployment of ${service.name} failed: ${revisionOf(failed.taskDefinition)}${id} is FAILED${reason}. ${
        rolledBack
          ? `ECS rolled the service back to ${revisionOf(primary.taskDefinition)}, so the tasks running are the old revision's, not this deploy's.`
          : 'ECS did not roll it back (no rollback in the deployment circuit breaker): the service keeps trying or stays as it is.'
      }`,
      fix: `See why its tasks stopped (aws ecs describe-tasks on the stopped tasks of ${revisionOf(failed.taskDefinition)}, or verify with \`task-definition-arn: ${failed.taskDefinition}\` for the diagnosis), fix it and deploy again. The service events: ${inspect}.`,
      ...(failed.rolloutStateReason ? { quote: quoteOf(failed.rolloutStateReason) } : {})
    }
  }

  // The failed deployment leaves the list once the rollback completes: the events still tell.
  if (!primary || target !== undefined) return undefined
  const since = (primary.createdAt ?? 0) - EVENT_SLACK_MS
  const recent = service.events.filter(e => e.createdAt === undefined || e.createdAt >= since)
  const rollback = recent.find(e => ROLLBACK_EVENT.test(e.message))
  const failure = recent.find(e => FAILED_EVENT.test(e.message))
  if (!rollback && !failure) return undefined
  const failedId = failure ? FAILED_EVENT.exec(failure.message)?.[1] : undefined
  const why = failure ? FAILED_EVENT.exec(failure.message)?.[2]?.replace(/\.$/, '') : undefined
  return {
    severity: 'error',
    kind: 'deployment-rolled-back',
    message: `The latest deployment of ${service.name}${failedId ? ` (${failedId})` : ''} failed${why ? ` (ECS: "${why}")` : ''} and ECS rolled the service back to ${revisionOf(primary.taskDefinition)}: the tasks running are that revision's, not this deploy's. The failed deployment is no longer listed, so DescribeServices does not name its revision.`,
    fix: `Find it with aws ecs list-service-deployments --cluster ${cluster} --service ${service.name}, see why its tasks stopped, fix it and deploy again; pass the deploy step's \`task-definition-arn\` here to verify that revision. The service events: ${inspect}.`,
    quote: quoteOf(
      [failure, rollback]
        .filter((e): e is ServiceEvent => e !== undefined)
        .map(e => e.message)
        .join(' · ')
    )
  }
}
