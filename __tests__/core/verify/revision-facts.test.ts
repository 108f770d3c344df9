import { describe, expect, it } from '@jest/globals'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import type { TaskFacts } from '../../../src/core/checks/task-facts.js'
import { resolveSite } from '../../../src/core/sites.js'
import {
  intakeOfOtherSite,
  revisionFacts,
  routerStreamName,
  type DescribedTaskDefinition
} from '../../../src/core/verify/revision-facts.js'

const td = (router: Record<string, unknown>, web: Record<string, unknown> = {}): DescribedTaskDefinition => ({
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
  family: 'web',
  revision: 7,
  executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
  containerDefinitions: [
    {
      name: 'web',
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', provider: 'ecs' } },
      ...web
    },
    { name: 'log-router', firelensConfiguration: { type: 'fluentbit' }, ...router }
  ]
})
const task = (id: string, runtimeId?: string): TaskFacts => ({
  arn: `arn:aws:ecs:eu-west-1:111122223333:task/prod/${id}`,
  id,
  taskDefinitionArn: 'x',
  lastStatus: 'RUNNING',
  desiredStatus: 'RUNNING',
  containers: [{ name: 'log-router', ...(runtimeId ? { runtimeId } : {}) }]
})

describe("what the revision says about its router's log", () => {
  it('reads the awslogs group, region and prefix, whatever the option case', () => {
    const facts = revisionFacts(
      td({
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'AWSLOGS-GROUP': '/ecs/router',
            'awslogs-region': 'us-west-2',
            'awslogs-stream-prefix': 'firelens'
          }
        }
      }),
      'eu-west-1'
    )
    expect(facts).toMatchObject({
      arn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
      family: 'web',
      revision: 7,
      executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
      router: {
        container: 'log-router',
        log: { kind: 'cloudwatch', group: '/ecs/router', region: 'us-west-2', streamPrefix: 'firelens' }
      },
      taggedWithTask: true
    })
    expect(routerStreamName(facts.router, task('abc'))).toBe('firelens/log-router/abc')
  })

  it("defaults the region to the task's and, without a prefix (EC2), names the stream by the container id", () => {
    const facts = revisionFacts(
      td({ logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } }),
      'eu-west-1'
    )
    expect(facts.router.log).toEqual({ kind: 'cloudwatch', group: 'g', region: 'eu-west-1' })
    expect(routerStreamName(facts.router, task('abc', 'docker-id'))).toBe('docker-id')
    expect(routerStreamName(facts.router, task('abc'))).toBeUndefined()
  })

  it('says where the router logs when it is not CloudWatch', () => {
    expect(revisionFacts(td({}), 'eu-west-1').router.log).toEqual({ kind: 'elsewhere', driver: 'none' })
    expect(revisionFacts(td({ logConfiguration: { logDriver: 'splunk' } }), 'eu-west-1').router.log).toEqual({
      kind: 'elsewhere',
      driver: 'splunk'
    })
  })

  it('knows when records carry no task tags: no provider ecs, or ECS metadata off', () => {
    expect(
      revisionFacts(td({}, { logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog' } } }), 'x')
        .taggedWithTask
    ).toBe(false)
    expect(
      revisionFacts(
        td({ firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'false' } } }),
        'x'
      ).taggedWithTask
    ).toBe(false)
    expect(
      revisionFacts(
        td({}, { logConfiguration: { logDriver: 'awsfirelens', options: { name: 'Datadog', PROVIDER: 'ECS' } } }),
        'x'
      ).taggedWithTask
    ).toBe(true)
  })

  it('refuses a revision without a log router', () => {
    const text = userErrorText(() =>
      revisionFacts({ taskDefinitionArn: 'arn:x:web:3', family: 'web', containerDefinitions: [{ name: 'web' }] }, 'x')
    )
    expect(text).toContain('has no log router')
    expect(text).toContain('main action')
  })
})

describe('where the revision sends its logs', () => {
  const withHost = (options: Record<string, string>) =>
    revisionFacts(
      td(
        {},
        { logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', provider: 'ecs', ...options } } }
      ),
      'x'
    )

  it("reads each datadog output's Host, whatever the case, and Fluent Bit's US1 default when there is none", () => {
    expect(withHost({ HOST: 'HTTP-INTAKE.LOGS.AP1.DATADOGHQ.COM' }).intakeHosts).toEqual([
      'http-intake.logs.ap1.datadoghq.com'
    ])
    expect(withHost({}).intakeHosts).toEqual(['http-intake.logs.datadoghq.com'])
  })

  it("refuses another site's intake before waiting for the router to get 403s", () => {
    const error = intakeOfOtherSite(withHost({}), resolveSite('ap1'))
    expect(error?.message).toBe(
      "web:7: The log router sends to US1's intake (http-intake.logs.datadoghq.com), but `site` is AP1: a key of AP1 gets HTTP 403 there."
    )
    expect(error?.hint).toContain('site: AP1')
    expect(intakeOfOtherSite(withHost({}), resolveSite('us1'))).toBeUndefined()
    expect(
      intakeOfOtherSite(withHost({ Host: 'http-intake.logs.ap1.datadoghq.com' }), resolveSite('ap1'))
    ).toBeUndefined()
    // A proxy or a PrivateLink name is no site's intake: not judged.
    expect(intakeOfOtherSite(withHost({ Host: 'dd-proxy.internal' }), resolveSite('ap1'))).toBeUndefined()
  })
})
