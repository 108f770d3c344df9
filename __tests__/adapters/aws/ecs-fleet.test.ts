import { describe, expect, it, beforeEach } from '@jest/globals'
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import {
  describeServices,
  describeTaskDefinition,
  listClusters,
  listServices
} from '../../../src/adapters/aws/ecs-fleet.js'
import { RateLimiter } from '../../../src/adapters/aws/rate-limit.js'
import { NotFound } from '../../../src/core/audit/run-audit.js'
import { AwsCallError } from '../../../src/core/errors.js'

const REGION = 'eu-west-1'
const ecsMock = mockClient(ECSClient)
const client = (): ECSClient =>
  new ECSClient({ region: REGION, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
beforeEach(() => {
  ecsMock.reset()
})

describe('the audit’s ECS calls', () => {
  it('ListClusters: every page, 100 a call, until ECS gives no nextToken', async () => {
    ecsMock
      .on(ListClustersCommand, { nextToken: undefined })
      .resolves({ clusterArns: ['c1', 'c2'], nextToken: 't1' })
      .on(ListClustersCommand, { nextToken: 't1' })
      .resolves({ clusterArns: ['c3'] })
    expect(await listClusters(client(), REGION)).toEqual(['c1', 'c2', 'c3'])
    expect(ecsMock.commandCalls(ListClustersCommand).map(c => c.args[0].input.maxResults)).toEqual([100, 100])
  })

  it('ListServices: a token that repeats ends the loop instead of spinning', async () => {
    ecsMock.on(ListServicesCommand).resolves({ serviceArns: ['s'], nextToken: 'same' })
    expect(await listServices(client(), 'prod', REGION)).toEqual(['s', 's'])
  })

  it('an unknown cluster is NotFound with the fix; access denied keeps the IAM action', async () => {
    ecsMock
      .on(ListServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }))
    await expect(listServices(client(), 'nope', REGION)).rejects.toThrow(NotFound)
    ecsMock.reset()
    ecsMock.on(ListServicesCommand).rejects(
      new AccessDeniedException({
        message: 'User: arn:aws:sts::1:assumed-role/a/b is not authorized to perform: ecs:ListServices on resource: x',
        $metadata: {}
      })
    )
    const denied = await listServices(client(), 'prod', REGION).catch((e: unknown) => e)
    expect(denied).toBeInstanceOf(AwsCallError)
    expect((denied as AwsCallError).deniedAction).toBe('ecs:ListServices')
  })

  it('DescribeServices: the PRIMARY deployment’s revision, else the service’s; more than 10 is a bug', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'web',
          serviceArn: 'arn:web',
          taskDefinition: 'old:1',
          deployments: [
            { status: 'ACTIVE', taskDefinition: 'old:1' },
            { status: 'PRIMARY', taskDefinition: 'new:2' }
          ]
        },
        { serviceName: 'ext', serviceArn: 'arn:ext', taskDefinition: 'ext:3' },
        { serviceName: 'gone', serviceArn: 'arn:gone', status: 'INACTIVE' }
      ],
      failures: [{ arn: 'arn:missing', reason: 'MISSING' }]
    })
    expect(await describeServices(client(), 'prod', ['arn:web', 'arn:ext', 'arn:gone', 'arn:missing'], REGION)).toEqual(
      {
        services: [
          { name: 'web', arn: 'arn:web', taskDefinition: 'new:2', fromPrimary: true },
          { name: 'ext', arn: 'arn:ext', taskDefinition: 'ext:3', fromPrimary: false }
        ],
        missing: ['arn:missing']
      }
    )
    await expect(describeServices(client(), 'prod', Array(11).fill('s'), REGION)).rejects.toThrow('at most 10')
  })

  it('a revision ECS cannot describe is NotFound', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(new ClientException({ message: 'Unable to describe task definition.', $metadata: {} }))
    await expect(describeTaskDefinition(client(), 'arn:td/web:1', REGION)).rejects.toThrow(NotFound)
  })
})

describe('RateLimiter', () => {
  it('lets a burst through at once, then one call per 1/rate seconds', async () => {
    let now = 0
    const slept: number[] = []
    const limiter = new RateLimiter(
      10,
      2,
      () => now,
      async ms => {
        slept.push(ms)
        now += ms
      }
    )
    for (let i = 0; i < 5; i++) await limiter.acquire()
    expect(slept).toEqual([100, 100, 100])
    expect(now).toBe(300)
  })

  it('an aborted signal stops the wait without a token', async () => {
    const abort = new AbortController()
    abort.abort(new Error('deadline'))
    await expect(new RateLimiter(1, 1).acquire(abort.signal)).rejects.toThrow('deadline')
  })
})
