// verify-log-groups through the bundle: a log group the awslogs driver writes to must exist when a task starts, or
// ECS stops the task; the router's (`log-router-log-group`) is the one this action adds.
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const PARAMETER = '/prod/DATADOG_API_KEY'
const GROUP = '/ecs/checkout/log-router'
const lines = (r: RunActionResult) => r.stdout.split('\n')
const errorLines = (r: RunActionResult) => lines(r).filter(l => l.startsWith('::error'))
const warningLines = (r: RunActionResult) => lines(r).filter(l => l.startsWith('::warning'))
const noticeLines = (r: RunActionResult) => lines(r).filter(l => l.startsWith('::notice'))
const targets = (f: FakeAws) => f.calls.map(c => c.target)
const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  'log-router-log-group': GROUP,
  // The roles have their own tests (roles.test.ts); this fake has none.
  'verify-roles': 'false',
  ...extra
})
const seed = (extra: FakeAwsOptions = {}): FakeAwsOptions => ({
  parameters: { [PARAMETER]: '0123456789abcdef0123456789abcdef' },
  ...extra
})

let fake: FakeAws | undefined
const start = async (opts: FakeAwsOptions) => (fake = await startFakeAws(opts))
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('verify-log-groups', () => {
  it('a log-router-log-group that does not exist: an error saying ECS would not start the task, how to create it; nothing registered', async () => {
    const f = await start(seed())
    const result = await runAction(inputs(), { fake: f })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      `::error title=Datadog FireLens::The log group ${GROUP} does not exist in us-east-1, so ECS would stop the task before it starts (container log-router: "ResourceInitializationError: failed to validate logger args: … The specified log group does not exist"); the log router is essential, so every task would stop.%0ACreate it (and give it a retention): aws logs create-log-group --log-group-name ${GROUP} --region us-east-1 && aws logs put-retention-policy --log-group-name ${GROUP} --retention-in-days 30 --region us-east-1; or set \`log-router-log-group\` to a group that exists.`
    ])
    expect(f.calls.find(c => c.target === 'Logs.DescribeLogGroups')?.body).toEqual({
      logGroupNamePrefix: GROUP,
      limit: 50
    })
    expect(targets(f)).not.toContain('ECS.RegisterTaskDefinition')
    expect(f.registered).toEqual([])
  })

  it('a group that exists: an info line, the summary names the check, and the definition is registered', async () => {
    const f = await start(seed({ logGroups: { [GROUP]: {} } }))
    const result = await runAction(inputs(), { fake: f })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Log group check: ${GROUP} exists in us-east-1 (container log-router).`)
    expect(result.summary).toContain('verify-secret, verify-log-groups: passed')
    expect(f.registered).toHaveLength(1)
  })

  it('the CI role may not call logs:DescribeLogGroups: one warning saying what a missing group does; registration goes on', async () => {
    const f = await start(seed())
    f.fault('Logs.DescribeLogGroups', { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake: f })
    expect(result.code).toBe(0)
    expect(warningLines(result)).toEqual([
      `::warning title=Log groups not verified::Could not check that the log group ${GROUP} exists: this workflow's role may not call logs:DescribeLogGroups. ECS will not start the task if a group is missing. Going on without it; grant logs:DescribeLogGroups to enable the check, or set verify-log-groups: false.`
    ])
    expect(f.registered).toHaveLength(1)
  })

  it('verify-log-groups: false makes no CloudWatch Logs call', async () => {
    const f = await start(seed())
    const result = await runAction(inputs({ 'verify-log-groups': 'false' }), { fake: f })
    expect(result.code).toBe(0)
    expect(targets(f)).not.toContain('Logs.DescribeLogGroups')
    expect(result.summary).toContain('| AWS checks | verify-secret: passed |')
  })

  it('awslogs-create-group on a kept awslogs container: not looked up (ECS creates it)', async () => {
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    // A sidecar this run does not route keeps its own awslogs configuration.
    td.containerDefinitions.push({
      name: 'cron',
      image: 'busybox:1.36',
      essential: false,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/cron',
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'cron',
          'awslogs-create-group': 'true'
        }
      }
    })
    writeFileSync(file, JSON.stringify(td))
    const f = await start(seed({ logGroups: { [GROUP]: {} } }))
    const result = await runAction(inputs({ 'task-definition': file, containers: 'web' }), { fake: f })
    expect(result.code).toBe(0)
    expect(f.calls.filter(c => c.target === 'Logs.DescribeLogGroups').map(c => c.body.logGroupNamePrefix)).toEqual([
      GROUP
    ])
    expect(result.stdout).toContain(
      'Log group check: /ecs/cron (container cron) has awslogs-create-group, so ECS creates it; the task execution role needs logs:CreateLogGroup on it.'
    )
  })

  it('without a region: the notice says ECS will not start the task if the group is missing', async () => {
    const file = exampleTaskDefinition('large-10-containers.json')
    const result = await runAction(
      {
        'task-definition': file,
        site: 'ap1',
        'api-key-secret': PARAMETER,
        register: 'false'
      },
      { env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } }
    )
    expect(result.code).toBe(0)
    expect(noticeLines(result).join('\n')).toContain(
      'ECS will not start the task if the log group /ecs/large/firelens (awslogs) does not exist.'
    )
  })
})
