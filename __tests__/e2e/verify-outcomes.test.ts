// What the verify action says when the answer is not "delivered": a search Datadog throttled (it did not run), a
// deployment ECS's circuit breaker rolled back (never green for the old revision), contradictory durations, no
// credentials. Through dist/verify/index.js against the loopback fake.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.mjs'
import type { RunActionResult } from './run-action.js'
import { runVerify } from './run-verify.js'
import {
  ACCOUNT,
  AP1,
  API_KEY_PARAMETER,
  APP_KEY_PARAMETER,
  CLUSTER,
  REGION,
  SERVICE,
  TD_ARN,
  record,
  runningTask,
  scenario,
  taskDefinition
} from '../../__fixtures__/verify-scenario.mjs'

const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errors = (result: RunActionResult): string[] =>
  lines(result)
    .filter(l => l.startsWith('::error'))
    .map(l => l.replace(/%0A/g, '\n').replace(/%25/g, '%'))
const progress = (result: RunActionResult): string[] => lines(result).filter(l => /^\[\d/.test(l))
const base = (extra: Record<string, string> = {}): Record<string, string> => ({
  cluster: CLUSTER,
  service: SERVICE,
  site: 'ap1',
  timeout: '4s',
  settle: '1s',
  ...extra
})
const withSearch = (extra: Record<string, string> = {}): Record<string, string> =>
  base({ 'api-key-secret': API_KEY_PARAMETER, 'application-key-secret': APP_KEY_PARAMETER, ...extra })

let fake: FakeAws | undefined
const start = async (opts: FakeAwsOptions): Promise<FakeAws> => (fake = await startFakeAws(opts))
const env = (f: FakeAws): Record<string, string> => ({ DATADOG_FIRELENS_API_URL_TEMPLATE: `${f.url}/{domain}` })
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('a Datadog search answered 429 did not run', () => {
  it('progress and the diagnosis say it was throttled until the reset, never "found nothing" nor causes of missing logs', async () => {
    const f = await start(scenario())
    f.fault('Datadog.logsSearch', ...Array(20).fill({ kind: 'throttle', resetSeconds: 600 }))
    const before = Date.now()
    const result = await runVerify(withSearch({ timeout: '3s' }), { fake: f, env: env(f), timeoutMs: 40_000 })
    expect(result.code).toBe(1)
    const [error, ...more] = errors(result)
    expect(more).toEqual([])
    expect(error).toMatch(
      /The Datadog logs search on AP1 was throttled \(HTTP 429, 1 time\) until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, \d+m\d*s? after this step's timeout: no search ran, so whether logs of web:7 reached Datadog is not known\./
    )
    const reset = Date.parse(/until (\S+Z),/.exec(error!)![1]!)
    expect(reset).toBeGreaterThanOrEqual(before + 595_000)
    expect(reset).toBeLessThan(Date.now() + 605_000)
    expect(error).toContain('Re-run this step after')
    expect(error).not.toMatch(/found nothing|No log of|exclu|index|wrote nothing|Most likely/i)
    // Throttled once: the next search waits for the reset instead of spending the limit again.
    expect(f.calls.filter(c => c.target === 'Datadog.logsSearch')).toHaveLength(1)
    const turns = progress(result)
    expect(turns.length).toBeGreaterThanOrEqual(1)
    for (const turn of turns) {
      expect(turn).toMatch(/Datadog: search throttled \(HTTP 429\) until \S+Z, not running \(0 searches ran\)/)
      expect(turn).not.toContain('no record yet')
    }
    expect(result.summary).toContain('0 searches, 1 throttled (HTTP 429)')
    expect(result.summary).toContain('throttled: did not run')
    expect(result.summary).not.toContain('nothing found')
  })

  it('a throttle that lifts before the timeout: the search runs again and finds the logs', async () => {
    const now = Date.now()
    const f = await start(scenario({ datadog: [record('0a1b2c3d4e5f', now - 60_000)] }))
    f.fault('Datadog.logsSearch', { kind: 'throttle', resetSeconds: 1 })
    const result = await runVerify(withSearch({ timeout: '20s' }), { fake: f, env: env(f), timeoutMs: 40_000 })
    expect(errors(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs.result).toBe('delivered')
    expect(f.calls.filter(c => c.target === 'Datadog.logsSearch')).toHaveLength(2)
  })
})

describe("after a failed deployment the step fails, naming the failed revision, the rollback and ECS's reason", () => {
  const OLD = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:6`
  const REASON = 'ECS deployment circuit breaker: tasks failed to start.'
  /** web:7 failed; the circuit breaker rolled the service back to web:6, whose tasks run and whose logs arrive. */
  function rolledBack(extra: { completed?: boolean } = {}): FakeAwsOptions {
    const now = Date.now()
    const s = scenario({ tasks: [{ ...runningTask('6a6b6c6d6e6f', 60_000, now), taskDefinitionArn: OLD }] })
    const old = { ...taskDefinition(), revision: 6, taskDefinitionArn: OLD }
    const primary = {
      id: 'ecs-svc/2222222222222222222',
      status: 'PRIMARY',
      taskDefinition: OLD,
      desiredCount: 1,
      runningCount: 1,
      createdAt: now - 90_000,
      updatedAt: now - 30_000,
      rolloutState: extra.completed ? 'COMPLETED' : 'IN_PROGRESS',
      rolloutStateReason: extra.completed
        ? 'ECS deployment ecs-svc/2222222222222222222 completed.'
        : 'ECS deployment ecs-svc/2222222222222222222 in progress.'
    }
    const failed = {
      id: 'ecs-svc/1111111111111111111',
      status: 'ACTIVE',
      taskDefinition: TD_ARN,
      desiredCount: 0,
      runningCount: 0,
      failedTasks: 3,
      createdAt: now - 10 * 60_000,
      updatedAt: now - 90_000,
      rolloutState: 'FAILED',
      rolloutStateReason: REASON
    }
    return {
      ...s,
      clusters: {
        [CLUSTER]: {
          services: {
            [SERVICE]: {
              taskDefinition: OLD,
              desiredCount: 1,
              deployments: extra.completed ? [primary] : [primary, failed],
              events: [
                {
                  createdAt: now - 95_000,
                  message: `(service ${SERVICE}) (deployment ecs-svc/1111111111111111111) deployment failed: tasks failed to start.`
                },
                {
                  createdAt: now - 90_000,
                  message: `(service ${SERVICE}) rolling back to deployment ecs-svc/0000000000000000000.`
                }
              ]
            }
          },
          tasks: s.clusters![CLUSTER]!.tasks
        }
      },
      taskDefinitions: [taskDefinition(), old],
      datadogLogs: {
        [AP1]: [
          {
            ...record('6a6b6c6d6e6f', now - 30_000),
            tags: record('6a6b6c6d6e6f', now - 30_000).tags.map(t => (t === 'task_version:7' ? 'task_version:6' : t))
          }
        ]
      }
    }
  }

  it("while the rollback runs: the FAILED deployment of web:7, the rollback to web:6 and ECS's reason; no watch", async () => {
    const f = await start(rolledBack())
    const result = await runVerify(withSearch({ timeout: '10s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    expect(result.outputs.result).toBeUndefined()
    const [error, ...more] = errors(result)
    expect(more).toEqual([])
    expect(error).toContain(
      `The latest deployment of ${SERVICE} failed: web:7 (deployment ecs-svc/1111111111111111111) is FAILED: "${REASON}". ECS rolled the service back to web:6, so the tasks running are the old revision's, not this deploy's.`
    )
    expect(error).toContain(`task-definition-arn: ${TD_ARN}`)
    // Failed before watching: no task, log or Datadog look-up for the rolled-back-to revision.
    expect(f.calls.map(c => c.target)).not.toContain('Datadog.logsSearch')
    expect(f.calls.map(c => c.target)).not.toContain('ECS.ListTasks')
  })

  it('after the rollback completed (the failed deployment no longer listed): the events tell, still a failure', async () => {
    const f = await start(rolledBack({ completed: true }))
    const result = await runVerify(withSearch({ timeout: '10s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    const [error] = errors(result)
    expect(error).toContain(
      `The latest deployment of ${SERVICE} (ecs-svc/1111111111111111111) failed (ECS: "tasks failed to start") and ECS rolled the service back to web:6`
    )
    expect(error).toContain(`aws ecs list-service-deployments --cluster ${CLUSTER} --service ${SERVICE}`)
    expect(f.calls.map(c => c.target)).not.toContain('Datadog.logsSearch')
  })

  it('with task-definition-arn of the failed revision: the same failure at once', async () => {
    const f = await start(rolledBack())
    const result = await runVerify(withSearch({ 'task-definition-arn': TD_ARN, timeout: '10s' }), {
      fake: f,
      env: env(f)
    })
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toContain('web:7 (deployment ecs-svc/1111111111111111111) is FAILED')
  })

  it('with task-definition-arn of the revision rolled back to: that revision is verified as asked', async () => {
    const f = await start(rolledBack())
    const OLD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:6`
    const result = await runVerify(withSearch({ 'task-definition-arn': OLD_ARN, timeout: '10s' }), {
      fake: f,
      env: env(f)
    })
    expect(errors(result)).toEqual([])
    expect(result.outputs.result).toBe('delivered')
  })
})

describe('inputs refused before any AWS call', () => {
  it('settle longer than timeout, without an application key', async () => {
    const f = await start(scenario())
    const result = await runVerify(base({ timeout: '5s', settle: '10s' }), { fake: f })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([
      expect.stringContaining(
        '`settle` (10s) is longer than `timeout` (5s): the step would always time out before a task could count as settled.'
      )
    ])
    expect(errors(result)[0]).toContain('Raise `timeout` above 10s, or lower `settle` below 5s.')
    expect(f.calls).toEqual([])
  })

  it("settle's default (60s) counts too when the timeout is shorter", async () => {
    const f = await start(scenario())
    const result = await runVerify(base({ timeout: '30s', settle: '' }), { fake: f })
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toContain('`settle` (1m, its default) is longer than `timeout` (30s)')
    expect(f.calls).toEqual([])
  })

  it('no AWS credentials: says how to add them, and names no input the verify action does not have', async () => {
    const f = await start(scenario())
    const result = await runVerify(base(), {
      fake: f,
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }
    })
    expect(result.code).toBe(1)
    const text = errors(result).join('\n')
    expect(text).toContain('No AWS credentials were found')
    expect(text).toContain('aws-actions/configure-aws-credentials')
    expect(text).not.toMatch(/register|dry run/)
  })
})
