import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { clientConfig } from './client-config.js'
import { callFailure } from './deadline.js'
import { endpointFor } from './errors.js'

export function createLogsClient(region: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(region))
}

export type LogEventsRead =
  | { kind: 'events'; events: { id: string; timestamp: number; message: string }[] }
  | { kind: 'no-stream' }
  | { kind: 'no-group' }

// A router prints a few lines a minute; this many pages per read only guards against a loop.
const MAX_PAGES = 10

/**
 * The events of one stream from `startTime` (epoch ms, inclusive) on, oldest first, every page
 * (CloudWatch Logs FilterLogEvents). A missing group or stream is an answer, not an error.
 */
export async function readLogEvents(
  client: CloudWatchLogsClient,
  /** One stream, or up to 100 (FilterLogEvents' limit): the router streams of a service's tasks. */
  where: { group: string; stream: string | string[]; startTime: number },
  region: string,
  signal?: AbortSignal
): Promise<LogEventsRead> {
  const events: { id: string; timestamp: number; message: string }[] = []
  let nextToken: string | undefined
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await client.send(
        new FilterLogEventsCommand({
          logGroupName: where.group,
          logStreamNames: Array.isArray(where.stream) ? where.stream : [where.stream],
          startTime: Math.floor(where.startTime),
          limit: 1_000,
          ...(nextToken ? { nextToken } : {})
        }),
        { abortSignal: signal }
      )
      for (const e of response.events ?? []) {
        if (e.message === undefined || e.timestamp === undefined) continue
        events.push({ id: e.eventId ?? `${e.timestamp}:${events.length}`, timestamp: e.timestamp, message: e.message })
      }
      if (!response.nextToken || response.nextToken === nextToken) break
      nextToken = response.nextToken
    }
    return { kind: 'events', events }
  } catch (error) {
    if ((error as Error)?.name === 'ResourceNotFoundException') {
      return /log stream/i.test((error as Error).message ?? '') ? { kind: 'no-stream' } : { kind: 'no-group' }
    }
    throw callFailure(
      error,
      {
        action: 'logs:FilterLogEvents',
        endpoint: endpointFor('logs', region),
        region,
        accessHint: `on the router's log group ${where.group}.`
      },
      signal
    )
  }
}

/**
 * Whether a log group of exactly this name exists (logs:DescribeLogGroups with the name as prefix, metadata only).
 * Groups come back sorted by name, and a name sorts before every longer name it is a prefix of, so the first page has
 * it when it exists. Errors are thrown as the SDK gives them: the caller describes them.
 */
export async function logGroupExists(client: CloudWatchLogsClient, group: string): Promise<boolean> {
  const response = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, limit: 50 }))
  return (response.logGroups ?? []).some(g => g.logGroupName === group)
}
