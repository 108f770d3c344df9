// Proves the fake speaks ECS (tasks, services, task definitions), CloudWatch Logs FilterLogEvents and the Datadog
// logs search the way the real SDK clients and Datadog's API do, so the verify e2e tests test the action, not the
// fake. Only 127.0.0.1 is ever contacted.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ListTasksCommandInput
} from '@aws-sdk/client-ecs'
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.mjs'

const T0 = Date.parse('2026-11-25T10:00:00Z')
const TD7 = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7'
const TD6 = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:6'

let fake: FakeAws
const start = async (opts: FakeAwsOptions): Promise<FakeAws> => (fake = await startFakeAws(opts))
afterEach(async () => {
  await fake?.close()
})

const config = () => ({
  endpoint: fake.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'fake' },
  maxAttempts: 1
})

async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

const cluster: FakeAwsOptions = {
  clusters: {
    prod: {
      services: { checkout: { taskDefinition: TD7, desiredCount: 2, deploymentCreatedAt: T0 - 60_000 } },
      tasks: [
        {
          id: 'a1',
          taskDefinitionArn: TD7,
          service: 'checkout',
          lastStatus: 'RUNNING',
          createdAt: T0,
          startedAt: T0 + 5_000
        },
        { id: 'a2', taskDefinitionArn: TD7, service: 'checkout', lastStatus: 'PENDING', createdAt: T0 },
        {
          id: 'a3',
          taskDefinitionArn: TD7,
          service: 'checkout',
          lastStatus: 'STOPPED',
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
          createdAt: T0,
          stoppedAt: T0 + 1_000,
          containers: [{ name: 'log-router', exitCode: 255, reason: 'x' }]
        },
        { id: 'b1', taskDefinitionArn: TD6, lastStatus: 'RUNNING', createdAt: T0 }
      ]
    }
  },
  taskDefinitions: [
    { family: 'web', revision: 6, containerDefinitions: [{ name: 'web', image: 'nginx:1.26' }] },
    { family: 'web', revision: 7, containerDefinitions: [{ name: 'web', image: 'nginx:1.27' }] }
  ]
}

describe('ECS tasks, services and task definitions', () => {
  it('ListTasks filters by desired status (RUNNING by default), service and family', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    const ids = async (input: ListTasksCommandInput) =>
      ((await ecs.send(new ListTasksCommand(input))).taskArns ?? []).map(a => a.split('/').pop())
    expect(await ids({ cluster: 'prod' })).toEqual(['a1', 'a2', 'b1'])
    expect(await ids({ cluster: 'prod', serviceName: 'checkout' })).toEqual(['a1', 'a2'])
    expect(await ids({ cluster: 'prod', serviceName: 'checkout', desiredStatus: 'STOPPED' })).toEqual(['a3'])
    expect(await ids({ cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod', family: 'web' })).toEqual([
      'a1',
      'a2',
      'b1'
    ])
    expect((await ecs.send(new ListTasksCommand({ cluster: 'prod' }))).taskArns![0]).toBe(
      'arn:aws:ecs:us-east-1:111122223333:task/prod/a1'
    )
  })

  it('ListTasks pages with nextToken', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    const first = await ecs.send(new ListTasksCommand({ cluster: 'prod', maxResults: 2 }))
    expect(first.taskArns).toHaveLength(2)
    expect(first.nextToken).toBeTruthy()
    const second = await ecs.send(new ListTasksCommand({ cluster: 'prod', maxResults: 2, nextToken: first.nextToken }))
    expect(second.taskArns).toHaveLength(1)
    expect(second.nextToken).toBeUndefined()
  })

  it('answers an unknown cluster, an unknown service and a bad page size as ECS does', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    expect((await failure(ecs.send(new ListTasksCommand({ cluster: 'prd' })))).name).toBe('ClusterNotFoundException')
    expect((await failure(ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'x' })))).name).toBe(
      'ServiceNotFoundException'
    )
    expect((await failure(ecs.send(new ListTasksCommand({ cluster: 'prod', maxResults: 101 })))).name).toBe(
      'InvalidParameterException'
    )
    expect((await failure(ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [] })))).name).toBe(
      'InvalidParameterException'
    )
  })

  it('DescribeTasks returns dates, stop reasons and containers, and MISSING failures', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    const out = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: ['a1', 'a3', 'nope'] }))
    expect(out.tasks!.map(t => t.taskArn!.split('/').pop())).toEqual(['a1', 'a3'])
    expect(out.tasks![0]!.startedAt).toEqual(new Date(T0 + 5_000))
    expect(out.tasks![0]!.group).toBe('service:checkout')
    expect(out.tasks![1]).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedAt: new Date(T0 + 1_000),
      containers: [expect.objectContaining({ name: 'log-router', exitCode: 255, reason: 'x' })]
    })
    expect(out.failures).toEqual([{ arn: 'nope', reason: 'MISSING' }])
  })

  it('DescribeServices shows the primary deployment, and MISSING for an unknown service', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['checkout', 'gone'] }))
    expect(out.services).toHaveLength(1)
    expect(out.services![0]).toMatchObject({
      serviceName: 'checkout',
      desiredCount: 2,
      runningCount: 1,
      taskDefinition: TD7
    })
    expect(out.services![0]!.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      taskDefinition: TD7,
      createdAt: new Date(T0 - 60_000)
    })
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:111122223333:service/prod/gone', reason: 'MISSING' }])
  })

  it('DescribeTaskDefinition finds a revision by ARN, family:revision or family (the latest), seeded or registered', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    const image = async (ref: string) =>
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))).taskDefinition!
        .containerDefinitions![0]!.image
    expect(await image(TD6)).toBe('nginx:1.26')
    expect(await image('web:7')).toBe('nginx:1.27')
    expect(await image('web')).toBe('nginx:1.27')
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'nginx:1.28', memoryReservation: 128 }]
      })
    )
    expect(registered.taskDefinition!.revision).toBe(8)
    expect(await image('web')).toBe('nginx:1.28')
    const missing = await failure(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:99' })))
    expect(missing.name).toBe('ClientException')
    expect(missing.message).toBe('Unable to describe task definition.')
  })

  it('lets a test change a task during a run', async () => {
    await start(cluster)
    const ecs = new ECSClient(config())
    fake.setTask('prod', 'a2', { lastStatus: 'RUNNING', startedAt: T0 + 9_000 })
    fake.addTask('prod', { id: 'a4', taskDefinitionArn: TD7, service: 'checkout' })
    const out = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: ['a2', 'a4'] }))
    expect(out.tasks!.map(t => [t.lastStatus, t.startedAt?.getTime()])).toEqual([
      ['RUNNING', T0 + 9_000],
      ['RUNNING', undefined]
    ])
  })
})

describe('CloudWatch Logs FilterLogEvents', () => {
  const logs: FakeAwsOptions = {
    logsPageSize: 2,
    logGroups: {
      '/ecs/router': {
        'firelens/log-router/a1': [
          { timestamp: T0 + 3, message: 'three' },
          { timestamp: T0 + 1, message: 'one' },
          { timestamp: T0 + 2, message: 'two' }
        ],
        'firelens/log-router/b1': [{ timestamp: T0, message: 'other stream' }]
      }
    }
  }

  it('returns one stream from startTime (inclusive), sorted, page by page', async () => {
    await start(logs)
    const cwl = new CloudWatchLogsClient(config())
    const input = { logGroupName: '/ecs/router', logStreamNames: ['firelens/log-router/a1'], startTime: T0 + 1 }
    const first = await cwl.send(new FilterLogEventsCommand(input))
    expect(first.events!.map(e => e.message)).toEqual(['one', 'two'])
    expect(first.events![0]).toMatchObject({
      logStreamName: 'firelens/log-router/a1',
      timestamp: T0 + 1,
      eventId: expect.any(String)
    })
    const second = await cwl.send(new FilterLogEventsCommand({ ...input, nextToken: first.nextToken }))
    expect(second.events!.map(e => e.message)).toEqual(['three'])
    expect(second.nextToken).toBeUndefined()
    const later = await cwl.send(new FilterLogEventsCommand({ ...input, startTime: T0 + 3 }))
    expect(later.events!.map(e => e.message)).toEqual(['three'])
    expect(fake.calls[0]!.headers['x-amz-target']).toBe('Logs_20140328.FilterLogEvents')
  })

  it('tells a missing group from a missing stream, and refuses what the service refuses', async () => {
    await start(logs)
    const cwl = new CloudWatchLogsClient(config())
    const group = await failure(cwl.send(new FilterLogEventsCommand({ logGroupName: '/nope' })))
    expect([group.name, group.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log group does not exist.'
    ])
    const stream = await failure(
      cwl.send(new FilterLogEventsCommand({ logGroupName: '/ecs/router', logStreamNames: ['x'] }))
    )
    expect([stream.name, stream.message]).toEqual([
      'ResourceNotFoundException',
      'The specified log stream does not exist.'
    ])
    const both = await failure(
      cwl.send(
        new FilterLogEventsCommand({ logGroupName: '/ecs/router', logStreamNames: ['x'], logStreamNamePrefix: 'f' })
      )
    )
    expect(both.name).toBe('InvalidParameterException')
    expect((await failure(cwl.send(new FilterLogEventsCommand({})))).name).toBe('InvalidParameterException')
  })

  it('appends events during a run', async () => {
    await start(logs)
    fake.appendLogEvents('/ecs/router', 'firelens/log-router/a1', [{ timestamp: T0 + 4, message: 'four' }])
    const cwl = new CloudWatchLogsClient(config())
    const out = await cwl.send(
      new FilterLogEventsCommand({
        logGroupName: '/ecs/router',
        logStreamNamePrefix: 'firelens/log-router/a',
        startTime: T0 + 4
      })
    )
    expect(out.events!.map(e => e.message)).toEqual(['four'])
  })
})

describe('the Datadog logs search', () => {
  const API = '0123456789abcdef0123456789abcdef'
  const APP = '0123456789abcdef0123456789abcdef01234567'
  const now = Date.now()
  const site: FakeAwsOptions = {
    validKeysByDomain: { 'ap1.datadoghq.com': [API], 'datadoghq.eu': [API] },
    applicationKeysByDomain: { 'ap1.datadoghq.com': [APP] },
    datadogLogs: {
      'ap1.datadoghq.com': [
        { timestamp: now - 60_000, service: 'web', tags: ['task_family:web', 'task_version:7'] },
        { timestamp: now - 30_000, service: 'web', tags: ['task_family:web', 'task_version:6'] },
        { timestamp: now - 10_000, service: 'web', tags: ['task_family:web', 'task_version:7'], delayMs: 60_000 }
      ]
    }
  }
  const search = (
    domain: string,
    body: unknown,
    headers: Record<string, string> = { 'DD-API-KEY': API, 'DD-APPLICATION-KEY': APP }
  ) =>
    fetch(`${fake.url}/${domain}/api/v2/logs/events/search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body)
    })
  const query = (q: string, extra: Record<string, unknown> = {}) => ({
    filter: { query: q, from: 'now-15m', to: 'now' },
    ...extra
  })

  it('finds the indexed records that match every term, newest first, in the time range', async () => {
    await start(site)
    const response = await search('ap1.datadoghq.com', query('task_family:web task_version:7', { sort: '-timestamp' }))
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      data: { type: string; attributes: { timestamp: string; tags: string[] } }[]
      meta: { status: string }
    }
    // The newest one is not indexed yet.
    expect(body.data.map(d => d.attributes.timestamp)).toEqual([new Date(now - 60_000).toISOString()])
    expect(body.data[0]!.type).toBe('log')
    expect(body.meta.status).toBe('done')
    const narrow = await search('ap1.datadoghq.com', {
      filter: { query: 'task_version:7', from: new Date(now - 20_000).toISOString(), to: 'now' }
    })
    expect(((await narrow.json()) as { data: unknown[] }).data).toEqual([])
  })

  it('refuses keys of another site, a missing application key and queries it does not understand', async () => {
    await start(site)
    expect((await search('datadoghq.eu', query('task_version:7'))).status).toBe(403)
    expect((await search('ap1.datadoghq.com', query('task_version:7'), { 'DD-API-KEY': API })).status).toBe(403)
    const bad = await search('ap1.datadoghq.com', query('task_version:7 OR "x y"'))
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { errors: string[] }).errors[0]).toContain('unsupported query term')
    expect(fake.calls.filter(c => c.target === 'Datadog.logsSearch').map(c => c.domain)).toEqual([
      'datadoghq.eu',
      'ap1.datadoghq.com',
      'ap1.datadoghq.com'
    ])
  })

  it('rate-limits with the headers Datadog sends, when told to', async () => {
    await start(site)
    fake.fault('Datadog.logsSearch', { kind: 'throttle', resetSeconds: 7 })
    const limited = await search('ap1.datadoghq.com', query('task_version:7'))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-ratelimit-reset')).toBe('7')
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    expect((await search('ap1.datadoghq.com', query('task_version:7'))).status).toBe(200)
  })

  it('finds records added during a run', async () => {
    await start(site)
    fake.addDatadogLogs('ap1.datadoghq.com', [{ timestamp: now, tags: ['task_family:api', 'task_version:1'] }])
    const body = (await (await search('ap1.datadoghq.com', query('task_family:api'))).json()) as { data: unknown[] }
    expect(body.data).toHaveLength(1)
  })
})
