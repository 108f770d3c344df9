import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { awslogsGroups, checkLogGroups, type AwslogsGroup } from '../../../src/core/checks/log-group.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { AwsCallError } from '../../../src/core/errors.js'

const awslogs = (group: string, extra: Record<string, string> = {}) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': group, 'awslogs-stream-prefix': 'x', ...extra }
})
const td = (containers: object[]): TaskDefinition =>
  ({ family: 'web', containerDefinitions: containers }) as TaskDefinition
const denied = () =>
  Object.assign(new AwsCallError('AWS denied logs:DescribeLogGroups', 'Grant it.', 'logs:DescribeLogGroups'), {})

describe('awslogsGroups: every container that logs with awslogs, once per group and region', () => {
  it('collects the groups, the task region where awslogs-region is unset, and skips other drivers', () => {
    const groups = awslogsGroups(
      td([
        { name: 'log-router', logConfiguration: awslogs('/ecs/router', { 'awslogs-region': 'eu-west-1' }) },
        { name: 'web', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog' } } },
        { name: 'cron', logConfiguration: awslogs('/ecs/side') },
        { name: 'jobs', logConfiguration: awslogs('/ecs/side', { 'awslogs-create-group': 'true' }) },
        { name: 'plain' }
      ]),
      'us-east-1'
    )
    expect(groups).toEqual([
      { containers: ['log-router'], group: '/ecs/router', region: 'eu-west-1', createGroup: false },
      // One container of the group without create-group: the group must exist for it.
      { containers: ['cron', 'jobs'], group: '/ecs/side', region: 'us-east-1', createGroup: false }
    ])
  })
})

describe('checkLogGroups', () => {
  const router: AwslogsGroup = {
    containers: ['log-router'],
    group: '/ecs/router',
    region: 'us-east-1',
    createGroup: false
  }

  it('a missing group is an error naming the containers, the router essential, and the command to create it', async () => {
    const [finding] = await checkLogGroups([router], { logGroupExists: async () => false }, 'log-router')
    expect(finding?.level).toBe('error')
    expect(finding?.message).toContain(
      'The log group /ecs/router does not exist in us-east-1, so ECS would stop the task'
    )
    expect(finding?.message).toContain('the log router is essential')
    expect(finding?.hint).toContain('aws logs create-log-group --log-group-name /ecs/router --region us-east-1')
  })

  it('awslogs-create-group: no look-up, an info line naming logs:CreateLogGroup', async () => {
    const asked: string[] = []
    const findings = await checkLogGroups([{ ...router, createGroup: true }], {
      logGroupExists: async group => {
        asked.push(group)
        return false
      }
    })
    expect(asked).toEqual([])
    expect(findings.map(f => f.level)).toEqual(['info'])
    expect(findings[0]?.message).toContain('logs:CreateLogGroup')
  })

  it('a denied look-up is one warning for every group, anything else propagates', async () => {
    const other = { ...router, group: '/ecs/other', containers: ['cron'] }
    const findings = await checkLogGroups([router, other], { logGroupExists: async () => Promise.reject(denied()) })
    expect(findings).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining('the log groups /ecs/router, /ecs/other exist: this workflow')
      })
    ])
    const network = new AwsCallError('Could not reach logs', 'Check the network.')
    await expect(checkLogGroups([router], { logGroupExists: async () => Promise.reject(network) })).rejects.toBe(
      network
    )
  })

  it('property: an error exactly for the groups that are missing and not created by ECS', async () => {
    const group = fc.record({
      containers: fc.constant<string[]>(['c']),
      group: fc.stringMatching(/^\/ecs\/[a-z]{1,8}$/),
      region: fc.constant('us-east-1'),
      createGroup: fc.boolean()
    })
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(group, { selector: g => g.group, maxLength: 5 }),
        fc.func(fc.boolean()),
        async (groups, exists) => {
          const findings = await checkLogGroups(groups, { logGroupExists: async name => exists(name) })
          const missing = groups.filter(g => !g.createGroup && !exists(g.group)).map(g => g.group)
          expect(findings.filter(f => f.level === 'error').map(f => /log group (\S+)/.exec(f.message)?.[1])).toEqual(
            missing
          )
        }
      )
    )
  })
})
