import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  ResourceNotFoundException
} from '@aws-sdk/client-cloudwatch-logs'
import { mockClient } from 'aws-sdk-client-mock'
import { rejectedUserError } from '../../../__fixtures__/user-error.js'
import { logGroupExists, readLogEvents } from '../../../src/adapters/aws/cloudwatch-logs.js'
import { lazyAws } from '../../../src/adapters/aws/facade.js'
import { AwsCallError } from '../../../src/core/errors.js'

const logsMock = mockClient(CloudWatchLogsClient)
const client = () => new CloudWatchLogsClient({ region: 'ap-northeast-1' })
const where = { group: '/ecs/router', stream: 'firelens/log-router/abc', startTime: 1_764_064_800_000.7 }

beforeEach(() => {
  logsMock.reset()
})

describe('readLogEvents', () => {
  it('reads one stream from a start time, every page, oldest first', async () => {
    logsMock
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ eventId: '1', timestamp: 10, message: 'a' }], nextToken: 'n1' })
      .resolvesOnce({ events: [{ eventId: '2', timestamp: 11, message: 'b' }] })
    expect(await readLogEvents(client(), where, 'ap-northeast-1')).toEqual({
      kind: 'events',
      events: [
        { id: '1', timestamp: 10, message: 'a' },
        { id: '2', timestamp: 11, message: 'b' }
      ]
    })
    const inputs = logsMock.commandCalls(FilterLogEventsCommand).map(c => c.args[0].input)
    expect(inputs[0]).toEqual({
      logGroupName: '/ecs/router',
      logStreamNames: ['firelens/log-router/abc'],
      startTime: 1_764_064_800_000,
      limit: 1_000
    })
    expect(inputs[1]!.nextToken).toBe('n1')
  })

  it('tells a missing stream from a missing group', async () => {
    const missing = (message: string) => new ResourceNotFoundException({ message, $metadata: {} })
    logsMock.on(FilterLogEventsCommand).rejects(missing('The specified log stream does not exist.'))
    expect(await readLogEvents(client(), where, 'ap-northeast-1')).toEqual({ kind: 'no-stream' })
    logsMock.on(FilterLogEventsCommand).rejects(missing('The specified log group does not exist.'))
    expect(await readLogEvents(client(), where, 'ap-northeast-1')).toEqual({ kind: 'no-group' })
  })

  it('names logs:FilterLogEvents and the group when access is denied', async () => {
    logsMock
      .on(FilterLogEventsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:…'
          ),
          { name: 'AccessDeniedException' }
        )
      )
    const error = await rejectedUserError(readLogEvents(client(), where, 'ap-northeast-1'))
    expect(error.message).toContain('AWS denied logs:FilterLogEvents')
    expect(error.hint).toBe(
      "Grant logs:FilterLogEvents to the role this workflow uses; on the router's log group /ecs/router."
    )
  })
})

describe('logGroupExists', () => {
  it('asks by prefix and wants the exact name (a longer name with that prefix is another group)', async () => {
    logsMock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/ecs/router-old' }] })
    expect(await logGroupExists(client(), '/ecs/router')).toBe(false)
    expect(logsMock.commandCalls(DescribeLogGroupsCommand)[0]?.args[0].input).toEqual({
      logGroupNamePrefix: '/ecs/router',
      limit: 50
    })
    logsMock.on(DescribeLogGroupsCommand).resolves({
      logGroups: [{ logGroupName: '/ecs/router' }, { logGroupName: '/ecs/router-old' }]
    })
    expect(await logGroupExists(client(), '/ecs/router')).toBe(true)
  })

  it('the facade names logs:DescribeLogGroups and how to turn the check off when access is denied', async () => {
    logsMock.on(DescribeLogGroupsCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:sts::111122223333:assumed-role/ci/x is not authorized to perform: logs:DescribeLogGroups'
        ),
        {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 }
        }
      )
    )
    const error = await lazyAws('ap-northeast-1')
      .logGroupExists('/ecs/router', 'ap-northeast-1')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AwsCallError)
    expect((error as AwsCallError).accessDenied).toBe(true)
    expect((error as AwsCallError).text).toContain('verify-log-groups: false')
  })
})
