import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  ServiceNotFoundException
} from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'
import { DeadlineReached } from '../../../src/adapters/aws/deadline.js'
import {
  describeService,
  describeTaskDefinition,
  describeTasks,
  listTaskArns
} from '../../../src/adapters/aws/ecs-deployments.js'

const ecsMock = mockClient(ECSClient)
const client = () => new ECSClient({ region: 'eu-west-1' })
const TD = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7'
const meta = { $metadata: {} }

beforeEach(() => {
  ecsMock.reset()
})

describe('describeService', () => {
  it("returns the primary deployment's revision and creation time, every deployment and the events", async () => {
    const created = new Date('2026-11-25T10:00:00Z')
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'checkout',
          status: 'ACTIVE',
          desiredCount: 2,
          deployments: [
            {
              id: 'ecs-svc/1',
              status: 'ACTIVE',
              taskDefinition: TD.replace(':7', ':6'),
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
            },
            { status: 'PRIMARY', taskDefinition: TD, createdAt: created, rolloutState: 'IN_PROGRESS' }
          ],
          events: [{ id: 'e1', createdAt: created, message: '(service checkout) has reached a steady state.' }]
        }
      ]
    })
    expect(await describeService(client(), 'prod', 'checkout', 'eu-west-1')).toEqual({
      name: 'checkout',
      status: 'ACTIVE',
      desiredCount: 2,
      deployments: [
        {
          id: 'ecs-svc/1',
          status: 'ACTIVE',
          taskDefinition: TD.replace(':7', ':6'),
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
        },
        { status: 'PRIMARY', taskDefinition: TD, createdAt: created.getTime(), rolloutState: 'IN_PROGRESS' }
      ],
      events: [{ createdAt: created.getTime(), message: '(service checkout) has reached a steady state.' }],
      primary: { taskDefinition: TD, createdAt: created.getTime(), rolloutState: 'IN_PROGRESS' }
    })
    expect(ecsMock.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      services: ['checkout']
    })
  })

  it('returns undefined for a missing or inactive service', async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] })
    expect(await describeService(client(), 'prod', 'nope', 'eu-west-1')).toBeUndefined()
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'old', status: 'INACTIVE' }] })
    expect(await describeService(client(), 'prod', 'old', 'eu-west-1')).toBeUndefined()
  })

  it('names a missing cluster and the region', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', ...meta }))
    const error = await rejectedUserError(describeService(client(), 'prd', 'checkout', 'eu-west-1'))
    expect(error.message).toBe('The ECS cluster "prd" does not exist in eu-west-1.')
  })

  it('names the IAM action when access is denied', async () => {
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(
        Object.assign(
          new Error('User: arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: ecs:DescribeServices'),
          { name: 'AccessDeniedException' }
        )
      )
    const error = await rejectedUserError(describeService(client(), 'prod', 'checkout', 'eu-west-1'))
    expect(error.message).toContain('AWS denied ecs:DescribeServices to arn:aws:sts::1:assumed-role/ci/x')
    expect(error.hint).toContain('Grant ecs:DescribeServices')
  })

  it('reports our own deadline, not an AWS failure, when the call was aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    ecsMock.on(DescribeServicesCommand).rejects(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))
    await expect(describeService(client(), 'prod', 'checkout', 'eu-west-1', controller.signal)).rejects.toBeInstanceOf(
      DeadlineReached
    )
  })
})

describe('listTaskArns', () => {
  it('follows nextToken through every page, filtering by service and desired status', async () => {
    ecsMock
      .on(ListTasksCommand)
      .resolvesOnce({ taskArns: ['a', 'b'], nextToken: 't1' })
      .resolvesOnce({ taskArns: ['c'] })
    expect(
      await listTaskArns(client(), { cluster: 'prod', serviceName: 'checkout', desiredStatus: 'STOPPED' }, 'eu-west-1')
    ).toEqual(['a', 'b', 'c'])
    const inputs = ecsMock.commandCalls(ListTasksCommand).map(c => c.args[0].input)
    expect(inputs).toEqual([
      { cluster: 'prod', serviceName: 'checkout', desiredStatus: 'STOPPED', maxResults: 100 },
      { cluster: 'prod', serviceName: 'checkout', desiredStatus: 'STOPPED', maxResults: 100, nextToken: 't1' }
    ])
  })

  it('filters by family when there is no service', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: [] })
    await listTaskArns(client(), { cluster: 'prod', family: 'web', desiredStatus: 'RUNNING' }, 'eu-west-1')
    expect(ecsMock.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      family: 'web',
      desiredStatus: 'RUNNING',
      maxResults: 100
    })
  })

  it('stops on a token that repeats instead of looping', async () => {
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['a'], nextToken: 'same' })
    const arns = await listTaskArns(client(), { cluster: 'prod', family: 'web', desiredStatus: 'RUNNING' }, 'eu-west-1')
    expect(ecsMock.commandCalls(ListTasksCommand)).toHaveLength(2)
    expect(arns).toEqual(['a', 'a'])
  })

  it('names a missing service', async () => {
    ecsMock.on(ListTasksCommand).rejects(new ServiceNotFoundException({ message: 'Service not found.', ...meta }))
    const error = await rejectedUserError(
      listTaskArns(client(), { cluster: 'prod', serviceName: 'chekout', desiredStatus: 'RUNNING' }, 'eu-west-1')
    )
    expect(error.message).toBe('The ECS service "chekout" does not exist in cluster prod (eu-west-1).')
  })
})

describe('describeTasks', () => {
  it('describes 100 tasks per call, all calls at once, and keeps what the checks need', async () => {
    const arns = Array.from({ length: 150 }, (_, i) => `arn:aws:ecs:eu-west-1:111122223333:task/prod/t${i}`)
    ecsMock.on(DescribeTasksCommand).callsFake(input => ({
      tasks: input.tasks.map((arn: string) => ({
        taskArn: arn,
        taskDefinitionArn: TD,
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        createdAt: new Date(1_000),
        startedAt: new Date(2_000),
        stoppedAt: new Date(3_000),
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'log-router', exitCode: 255, runtimeId: 'r', image: 'fluent', lastStatus: 'STOPPED' }]
      }))
    }))
    const tasks = await describeTasks(client(), 'prod', arns, 'eu-west-1')
    expect(ecsMock.commandCalls(DescribeTasksCommand).map(c => c.args[0].input.tasks!.length)).toEqual([100, 50])
    expect(tasks).toHaveLength(150)
    expect(tasks[7]).toEqual({
      arn: arns[7],
      id: 't7',
      taskDefinitionArn: TD,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      createdAt: 1_000,
      startedAt: 2_000,
      stoppedAt: 3_000,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'log-router', image: 'fluent', lastStatus: 'STOPPED', exitCode: 255, runtimeId: 'r' }]
    })
  })
})

describe('describeTaskDefinition', () => {
  it('returns the definition', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .resolves({ taskDefinition: { taskDefinitionArn: TD, family: 'web', revision: 7 } })
    expect(await describeTaskDefinition(client(), 'web:7', 'eu-west-1')).toEqual({
      taskDefinitionArn: TD,
      family: 'web',
      revision: 7
    })
  })

  it('names a missing revision', async () => {
    ecsMock
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }))
    const error = await rejectedUserError(describeTaskDefinition(client(), 'web:99', 'eu-west-1'))
    expect(error.message).toBe('The task definition web:99 does not exist in eu-west-1.')
  })
})
