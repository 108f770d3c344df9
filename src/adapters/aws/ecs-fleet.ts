import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand
} from '@aws-sdk/client-ecs'
import type { MiddlewareStack } from '@smithy/types'
import { NotFound, type ServiceFacts } from '../../core/audit/run-audit.js'
import type { TaskDefinition } from '../../core/definition/task-definition.js'
import { clientConfig } from './client-config.js'
import { callFailure } from './deadline.js'
import { endpointFor } from './errors.js'
import { ECS_RATES, RateLimiter } from './rate-limit.js'

// The read-only ECS calls of the fleet audit: every page of ListClusters and ListServices, DescribeServices 10 at a
// time (its limit), DescribeTaskDefinition once per revision. Every call waits for the client-side rate first.

/** The bucket of each ECS action the audit makes, as ECS's throttling documentation groups them. */
const ECS_BUCKET: Record<string, keyof typeof ECS_RATES> = {
  ListClustersCommand: 'cluster-read',
  ListServicesCommand: 'service-read',
  DescribeServicesCommand: 'service-read',
  DescribeTaskDefinitionCommand: 'task-definition-read',
  ListTasksCommand: 'cluster-resource-read'
}

/**
 * Makes every attempt of every call wait for its bucket's token (after the SDK's retry middleware, so a retry waits
 * too). `buckets` maps a command name to its limiter; a command without one goes at once.
 */
export function rateLimit(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  client: { middlewareStack: MiddlewareStack<any, any> },
  buckets: (command: string) => RateLimiter | undefined,
  signal?: AbortSignal
): void {
  client.middlewareStack.add(
    (next, context) => async args => {
      await buckets(String(context.commandName ?? ''))?.acquire(signal)
      return next(args)
    },
    { step: 'finalizeRequest', priority: 'low', name: 'fleetAuditRateLimit' }
  )
}

/**
 * A fleet audit makes hundreds of calls in an account that deploys meanwhile: a throttled call gets more of the SDK's
 * backoff retries (up to 6 attempts, within 90 s) than a deploy's few calls do.
 */
export const FLEET_TIMEOUTS = { maxAttempts: 6, totalTimeoutMs: 90_000 } as const

export function createFleetEcsClient(region: string, signal?: AbortSignal): ECSClient {
  const client = new ECSClient(clientConfig(region, FLEET_TIMEOUTS))
  const limiters = new Map(Object.entries(ECS_RATES).map(([key, r]) => [key, new RateLimiter(r.perSecond, r.burst)]))
  rateLimit(client, command => limiters.get(ECS_BUCKET[command] ?? ''), signal)
  return client
}

const context = (action: string, region: string) => ({ action, endpoint: endpointFor('ecs', region), region })

// ECS allows 5,000 services per cluster (100 a page) and 10,000 clusters per region: more pages would be a loop.
const MAX_PAGES = 200

/** Every page of a ListClusters / ListServices call: the ARNs, in ECS's order. */
async function allPages(
  page: (nextToken: string | undefined) => Promise<{ arns?: string[]; nextToken?: string }>
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  for (let i = 0; i < MAX_PAGES; i++) {
    const answer = await page(nextToken)
    arns.push(...(answer.arns ?? []))
    if (!answer.nextToken || answer.nextToken === nextToken) break
    nextToken = answer.nextToken
  }
  return arns
}

function clusterNotFound(error: unknown, cluster: string, region: string): NotFound | undefined {
  if ((error as Error)?.name !== 'ClusterNotFoundException') return undefined
  return new NotFound(
    `ECS has no cluster "${cluster}" in ${region}.`,
    'Check `clusters` (names or ARNs) and the region (AWS_REGION from configure-aws-credentials); `all` audits every cluster of the region.'
  )
}

export async function listClusters(client: ECSClient, region: string, signal?: AbortSignal): Promise<string[]> {
  try {
    return await allPages(async nextToken => {
      const r = await client.send(new ListClustersCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }), {
        abortSignal: signal
      })
      return { arns: r.clusterArns, ...(r.nextToken ? { nextToken: r.nextToken } : {}) }
    })
  } catch (error) {
    throw callFailure(error, context('ecs:ListClusters', region), signal)
  }
}

export async function listServices(
  client: ECSClient,
  cluster: string,
  region: string,
  signal?: AbortSignal
): Promise<string[]> {
  try {
    return await allPages(async nextToken => {
      const r = await client.send(
        new ListServicesCommand({ cluster, maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
        { abortSignal: signal }
      )
      return { arns: r.serviceArns, ...(r.nextToken ? { nextToken: r.nextToken } : {}) }
    })
  } catch (error) {
    throw (
      clusterNotFound(error, cluster, region) ??
      callFailure(error, { ...context('ecs:ListServices', region), accessHint: `on the cluster ${cluster}.` }, signal)
    )
  }
}

/** Up to 10 services: their primary deployment's revision. */
export async function describeServices(
  client: ECSClient,
  cluster: string,
  services: string[],
  region: string,
  signal?: AbortSignal
): Promise<{ services: ServiceFacts[]; missing: string[] }> {
  if (services.length > 10) throw new Error(`describeServices takes at most 10 services, not ${services.length}`)
  try {
    const r = await client.send(new DescribeServicesCommand({ cluster, services }), { abortSignal: signal })
    const found = (r.services ?? [])
      .filter(s => s.status !== 'INACTIVE')
      .map((s): ServiceFacts => {
        const primary = s.deployments?.find(d => d.status === 'PRIMARY')?.taskDefinition
        const taskDefinition = primary ?? s.taskDefinition
        return {
          name: s.serviceName ?? s.serviceArn?.split('/').pop() ?? '',
          arn: s.serviceArn ?? '',
          ...(taskDefinition ? { taskDefinition } : {}),
          fromPrimary: primary !== undefined
        }
      })
    return { services: found, missing: (r.failures ?? []).map(f => f.arn ?? '') }
  } catch (error) {
    throw (
      clusterNotFound(error, cluster, region) ??
      callFailure(
        error,
        { ...context('ecs:DescribeServices', region), accessHint: `on the cluster ${cluster}.` },
        signal
      )
    )
  }
}

export async function describeTaskDefinition(
  client: ECSClient,
  arn: string,
  region: string,
  signal?: AbortSignal
): Promise<TaskDefinition> {
  try {
    const r = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }), { abortSignal: signal })
    if (!r.taskDefinition) throw new Error('DescribeTaskDefinition answered without a taskDefinition')
    return r.taskDefinition as unknown as TaskDefinition
  } catch (error) {
    if ((error as Error)?.name === 'ClientException' && /unable to describe/i.test((error as Error).message)) {
      throw new NotFound(
        `ECS cannot describe ${arn} in ${region} (ECS: "${(error as Error).message}").`,
        'The revision may have been deleted (DeleteTaskDefinitions) while a service still runs it: deploy a revision that exists.'
      )
    }
    throw callFailure(error, context('ecs:DescribeTaskDefinition', region), signal)
  }
}
