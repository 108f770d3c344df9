import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import type { AuditFinding } from '../../core/audit/audit-finding.js'
import type { AuditLookups, RouterLogAnswer } from '../../core/audit/run-audit.js'
import { checkRoles } from '../../core/checks/roles.js'
import { verifySecret } from '../../core/checks/secret-check.js'
import { UserError } from '../../core/errors.js'
import type { Logger } from '../../core/logger.js'
import { apiKeyReference } from '../../core/audit/fix-plan.js'
import { parseSecretRef } from '../../core/secret-ref.js'
import type { TaskDefinition } from '../../core/definition/task-definition.js'
import { clientConfig } from './client-config.js'
import { readLogEvents } from './cloudwatch-logs.js'
import { listTaskArns } from './ecs-deployments.js'
import {
  createFleetEcsClient,
  FLEET_TIMEOUTS,
  describeServices,
  describeTaskDefinition,
  listClusters,
  listServices,
  rateLimit
} from './ecs-fleet.js'
import { keyMetadata } from '../../core/jobs/patch-job.js'
import { lazyAws } from './facade.js'
import { LOGS_RATE, RateLimiter } from './rate-limit.js'

// FilterLogEvents names at most 100 streams.
const STREAMS_PER_READ = 100

/** The audit's look-ups against AWS in `region`, every call paced and stopped at `signal` (the audit's deadline). */
export function fleetLookups(region: string, signal: AbortSignal): AuditLookups {
  const ecs = createFleetEcsClient(region, signal)
  const logsLimiter = new RateLimiter(LOGS_RATE.perSecond, LOGS_RATE.burst)
  const logsClients = new Map<string, CloudWatchLogsClient>()
  const logsClient = (logsRegion: string): CloudWatchLogsClient => {
    let client = logsClients.get(logsRegion)
    if (!client) {
      client = new CloudWatchLogsClient(clientConfig(logsRegion, FLEET_TIMEOUTS))
      rateLimit(client, () => logsLimiter, signal)
      logsClients.set(logsRegion, client)
    }
    return client
  }
  const aws = lazyAws(region)
  return {
    listClusters: () => listClusters(ecs, region, signal),
    listServices: cluster => listServices(ecs, cluster, region, signal),
    describeServices: (cluster, services) => describeServices(ecs, cluster, services, region, signal),
    describeTaskDefinition: arn => describeTaskDefinition(ecs, arn, region, signal),
    async routerLog({ cluster, service, facts, sinceMs }): Promise<RouterLogAnswer> {
      const log = facts.router.log
      if (log.kind !== 'cloudwatch') return { kind: 'unreadable', reason: 'the router does not log to CloudWatch' }
      if (!log.streamPrefix) {
        return { kind: 'unreadable', reason: 'awslogs without a stream prefix: the stream names are container ids' }
      }
      const tasks = await listTaskArns(ecs, { cluster, serviceName: service, desiredStatus: 'RUNNING' }, region, signal)
      if (tasks.length === 0) return { kind: 'no-tasks' }
      const streams = tasks
        .slice(0, STREAMS_PER_READ)
        .map(arn => `${log.streamPrefix}/${facts.router.container}/${arn.slice(arn.lastIndexOf('/') + 1)}`)
      const read = await readLogEvents(
        logsClient(log.region),
        { group: log.group, stream: streams, startTime: sinceMs },
        log.region,
        signal
      )
      // A stream not written yet is no error: FilterLogEvents answers for the others.
      if (read.kind === 'no-group') return { kind: 'no-group', group: log.group }
      if (read.kind === 'no-stream') return { kind: 'lines', lines: [], streams: 0 }
      return { kind: 'lines', lines: read.events.map(e => e.message), streams: streams.length }
    },
    revisionChecks: (taskDefinition, checks) => revisionChecks(taskDefinition, checks, region, aws)
  }
}

/** The main action's verify-secret and verify-roles on one registered revision, as findings. */
async function revisionChecks(
  taskDefinition: TaskDefinition,
  checks: { secret: boolean; roles: boolean },
  region: string,
  aws: ReturnType<typeof lazyAws>
): Promise<AuditFinding[]> {
  const value = apiKeyReference(taskDefinition)
  const ref = value === undefined ? undefined : parseSecretRef(value)
  if (!ref || !('kind' in ref)) return []
  const findings: AuditFinding[] = []
  const collect: Logger = {
    info: () => undefined,
    debug: () => undefined,
    notice: () => undefined,
    warning: message => findings.push({ severity: 'warning', kind: 'secret-check', message, fix: 'See the message.' })
  }
  if (checks.secret) {
    try {
      await verifySecret(ref, region, aws, collect)
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      findings.push({ severity: 'error', kind: 'secret-missing', message: error.message, fix: error.hint ?? '' })
    }
  }
  const executionRoleArn = taskDefinition.executionRoleArn
  if (checks.roles && executionRoleArn) {
    const taskRoleArn = typeof taskDefinition.taskRoleArn === 'string' ? taskDefinition.taskRoleArn : undefined
    const roleFindings = await checkRoles(
      { executionRoleArn, taskRoleArn, ref, region, secretCheckRuns: checks.secret },
      {
        getRole: name => aws.getRole(name),
        callerAccount: () => aws.callerAccount(),
        simulate: (roleArn, action, resource) => aws.simulatePrincipalPolicy(roleArn, action, resource),
        keyMetadata: () => keyMetadata(ref, region, aws)
      }
    )
    for (const f of roleFindings) {
      if (f.level === 'info') continue
      findings.push({ severity: f.level, kind: 'role-check', message: f.message, fix: f.hint ?? 'See the message.' })
    }
  }
  return findings
}
