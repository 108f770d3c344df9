import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { TaskFacts } from '../../../src/core/checks/task-facts.js'
import { resolveSite } from '../../../src/core/sites.js'
import type { RevisionFacts } from '../../../src/core/verify/revision-facts.js'
import {
  notFoundCauses,
  pollPlan,
  watchDeployment,
  type RouterLogRead,
  type SearchAnswer,
  type WatchLookups,
  type WatchPlan
} from '../../../src/core/verify/watch.js'

const T0 = Date.parse('2026-11-25T10:00:00Z')
const TD = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7'
const AP1 = resolveSite('ap1')
const FORBIDDEN = '[error] [output:datadog:datadog.0] https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403'

const revision = (over: Partial<RevisionFacts> = {}): RevisionFacts => ({
  arn: TD,
  family: 'web',
  revision: 7,
  executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
  router: {
    container: 'log-router',
    log: { kind: 'cloudwatch', group: '/ecs/router', region: 'us-east-1', streamPrefix: 'firelens' }
  },
  taggedWithTask: true,
  intakeHosts: ['http-intake.logs.ap1.datadoghq.com'],
  ...over
})

const plan = (over: Partial<WatchPlan> = {}): WatchPlan => ({
  revision: revision(),
  site: AP1,
  where: 'prod/checkout',
  timeoutMs: 60_000,
  settleMs: 10_000,
  pollMs: 5_000,
  searchEveryMs: 15_000,
  search: false,
  ...over
})

function task(id: string, over: Partial<TaskFacts> = {}): TaskFacts {
  return {
    arn: `arn:aws:ecs:us-east-1:111122223333:task/prod/${id}`,
    id,
    taskDefinitionArn: TD,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    createdAt: T0 - 30_000,
    startedAt: T0 - 20_000,
    containers: [{ name: 'web' }, { name: 'log-router' }],
    ...over
  }
}

/** A clock that only moves when the watch sleeps: no real waiting. */
class FakeClock {
  t = T0
  sleeps: number[] = []
  now = (): number => this.t
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.t += ms
  }
}

interface World {
  clock: FakeClock
  tasks: (now: number) => TaskFacts[]
  /** stream -> events; an event is visible once the clock reaches its time. */
  streams?: Record<string, { timestamp: number; message: string }[]>
  search?: (now: number, from: number) => SearchAnswer
}

function lookups(world: World) {
  const calls = {
    tasks: 0,
    routerLog: [] as { stream: string; from: number }[],
    search: [] as { at: number; from: number }[]
  }
  const l: WatchLookups = {
    tasks: async () => {
      calls.tasks++
      return world.tasks(world.clock.now())
    },
    routerLog: async (stream, from): Promise<RouterLogRead> => {
      calls.routerLog.push({ stream, from })
      const events = world.streams?.[stream]
      if (!events) return { kind: 'no-stream' }
      return {
        kind: 'events',
        events: events
          .map((e, i) => ({ id: `${stream}#${i}`, ...e }))
          .filter(e => e.timestamp >= from && e.timestamp <= world.clock.now())
      }
    },
    search: async (from, _to) => {
      calls.search.push({ at: world.clock.now(), from })
      return world.search?.(world.clock.now(), from) ?? { kind: 'none' }
    }
  }
  return { lookups: l, calls }
}

async function watch(p: WatchPlan, world: World) {
  const { lookups: l, calls } = lookups(world)
  const lines: { at: number; line: string }[] = []
  const report = await watchDeployment(p, l, world.clock, line => lines.push({ at: world.clock.now(), line }))
  return { report, calls, lines }
}

const routerBanner = (t: TaskFacts) => ({
  [`firelens/log-router/${t.id}`]: [
    { timestamp: (t.startedAt ?? T0) + 100, message: '[ info] [fluent bit] version=4.1.1' }
  ]
})

describe('with an application key: a record in Datadog proves delivery', () => {
  it('searches from the first task start (with slack) until a record arrives, then says delivered', async () => {
    const clock = new FakeClock()
    const a = task('a')
    const b = task('b', { startedAt: T0 - 5_000 })
    const { report, calls, lines } = await watch(plan({ search: true }), {
      clock,
      tasks: () => [a, b],
      streams: { ...routerBanner(a), ...routerBanner(b) },
      search: now =>
        now >= T0 + 30_000
          ? { kind: 'found', record: { taskArn: b.arn, timestamp: '2026-11-25T10:00:31Z' } }
          : { kind: 'none' }
    })
    expect(report.outcome).toEqual({
      result: 'delivered',
      record: { taskArn: b.arn, timestamp: '2026-11-25T10:00:31Z' }
    })
    expect(report.task).toBe(b)
    expect(calls.search.map(s => s.at - T0)).toEqual([0, 15_000, 30_000])
    expect(calls.search.every(s => s.from === a.startedAt! - 60_000)).toBe(true)
    expect(report.searches).toBe(3)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines[0]!.line).toMatch(
      /^\[0ms\/1m\] web:7 in prod\/checkout: 2 running \(oldest up 20s\) · router log: 2 lines, no delivery error · Datadog: no record yet \(1 search\)$/
    )
  })

  it('waits for a task to run before searching', async () => {
    const clock = new FakeClock()
    const { calls } = await watch(plan({ search: true, timeoutMs: 20_000 }), {
      clock,
      tasks: now => [
        task('a', now < T0 + 10_000 ? { lastStatus: 'PENDING', startedAt: undefined } : { startedAt: T0 + 10_000 })
      ],
      search: () => ({ kind: 'found', record: {} })
    })
    expect(calls.search.map(s => s.at - T0)).toEqual([10_000])
  })

  it('honours a rate limit before the next search', async () => {
    const clock = new FakeClock()
    let first = true
    const { calls, report } = await watch(plan({ search: true, timeoutMs: 120_000 }), {
      clock,
      tasks: () => [task('a')],
      search: () => {
        if (first) {
          first = false
          return { kind: 'rate-limited', retryAfterMs: 42_000 }
        }
        return { kind: 'found', record: {} }
      }
    })
    expect(calls.search.map(s => s.at - T0)).toEqual([0, 45_000])
    expect(report.outcome.result).toBe('delivered')
  })

  it('a search throttled until after the timeout did not run: the outcome says so, never "found nothing"', async () => {
    const clock = new FakeClock()
    const a = task('a')
    const { report, lines, calls } = await watch(plan({ search: true, timeoutMs: 60_000 }), {
      clock,
      tasks: () => [a],
      streams: routerBanner(a),
      search: () => ({ kind: 'rate-limited', retryAfterMs: 600_000 })
    })
    expect(calls.search).toHaveLength(1)
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'search-throttled' })
    expect(report).toMatchObject({ searches: 0, throttled: 1 })
    const [finding] = (report.outcome as { findings: { kind: string; message: string; fix: string }[] }).findings
    expect(finding).toEqual({
      severity: 'error',
      kind: 'search-throttled',
      message:
        "The Datadog logs search on AP1 was throttled (HTTP 429, 1 time) until 2026-11-25T10:10:00Z, 9m after this step's timeout: no search ran, so whether logs of web:7 reached Datadog is not known.",
      fix: expect.stringContaining('Re-run this step after 2026-11-25T10:10:00Z, or raise `timeout` past the reset')
    })
    expect(`${finding!.message} ${finding!.fix}`).not.toMatch(/found nothing|exclu|index|wrote nothing/i)
    for (const { line } of lines) {
      expect(line).toContain(
        'Datadog: search throttled (HTTP 429) until 2026-11-25T10:10:00Z, not running (0 searches ran)'
      )
    }
  })

  it('property: after any mix of answers, a 429 as the last one never ends in "found nothing" or its causes', async () => {
    const answer = fc.oneof(
      fc.constant<SearchAnswer>({ kind: 'none' }),
      fc.constant<SearchAnswer>({ kind: 'unavailable', detail: 'HTTP 503' }),
      fc.integer({ min: 1_000, max: 900_000 }).map<SearchAnswer>(ms => ({ kind: 'rate-limited', retryAfterMs: ms }))
    )
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 8 }), async answers => {
        const clock = new FakeClock()
        let i = 0
        let last: SearchAnswer | undefined
        const { report } = await watch(plan({ search: true, timeoutMs: 60_000 }), {
          clock,
          tasks: () => [task('a')],
          search: () => (last = answers[Math.min(i++, answers.length - 1)]!)
        })
        const text = JSON.stringify(report.outcome)
        if (last?.kind === 'rate-limited' && clock.now() < T0 + 60_000 + last.retryAfterMs) {
          expect(report.outcome).toMatchObject({ why: 'search-throttled' })
          expect(text).not.toMatch(/found nothing|exclu/)
        }
        if (report.outcome.result === 'failed' && report.outcome.why === 'not-found') {
          expect(last?.kind).not.toBe('rate-limited')
        }
      })
    )
  })

  it('stops at once when the search refuses the keys', async () => {
    const clock = new FakeClock()
    const { report, calls } = await watch(plan({ search: true }), {
      clock,
      tasks: () => [task('a')],
      search: () => ({ kind: 'refused', status: 403, detail: 'Forbidden at https://api.ap1.datadoghq.com/…' })
    })
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'search-refused' })
    const [finding] = (report.outcome as { findings: { kind: string; fix: string }[] }).findings
    expect(finding!.kind).toBe('search-forbidden')
    expect(finding!.fix).toContain('logs_read_data')
    expect(calls.search).toHaveLength(1)
  })

  it('keeps searching through an unavailable search, warning once', async () => {
    const clock = new FakeClock()
    const a = task('a')
    const { report } = await watch(plan({ search: true }), {
      clock,
      tasks: () => [a],
      streams: routerBanner(a),
      search: now => (now < T0 + 30_000 ? { kind: 'unavailable', detail: 'HTTP 503' } : { kind: 'found', record: {} })
    })
    expect(report.outcome.result).toBe('delivered')
    expect(report.warnings.map(w => w.kind)).toEqual(['search-unavailable'])
  })

  it('fails after the timeout with the likely causes, when nothing is ever found', async () => {
    const clock = new FakeClock()
    const a = task('a')
    const { report, lines } = await watch(plan({ search: true, timeoutMs: 60_000 }), {
      clock,
      tasks: () => [a],
      streams: routerBanner(a)
    })
    expect(clock.t - T0).toBe(60_000)
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'not-found' })
    const [finding] = (report.outcome as { findings: { message: string; fix: string }[] }).findings
    expect(finding!.message).toBe(
      "No log of web:7 reached Datadog AP1 within 1m: 5 searches for `task_family:web task_version:7` since the first task started found nothing, and the router's log (1 lines) shows no delivery error."
    )
    expect(finding!.fix).toMatch(/^Most likely, in order: \(1\) the application wrote nothing/)
    expect(lines.length).toBe(13)
  })
})

describe("the router's own log", () => {
  it('fails as soon as a 403 appears, having read each stream from the task start and each line once', async () => {
    const clock = new FakeClock()
    const a = task('a')
    const stream = 'firelens/log-router/a'
    const { report, calls } = await watch(plan({ search: true }), {
      clock,
      tasks: () => [a],
      streams: {
        [stream]: [
          { timestamp: T0 - 19_000, message: '[ info] [fluent bit] version=4.1.1' },
          { timestamp: T0 + 12_000, message: FORBIDDEN },
          { timestamp: T0 + 12_000, message: FORBIDDEN }
        ]
      }
    })
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'router-errors' })
    const findings = (report.outcome as { findings: { kind: string; count?: number }[] }).findings
    expect(findings).toEqual([expect.objectContaining({ kind: 'http-403', count: 2 })])
    expect(report.task).toBe(a)
    expect(clock.t - T0).toBe(15_000)
    expect(calls.routerLog[0]).toEqual({ stream, from: a.createdAt })
    // Later reads start at the newest line seen; lines already seen are not counted again.
    expect(calls.routerLog.map(c => c.from)).toEqual([a.createdAt, T0 - 19_000, T0 - 19_000, T0 - 19_000])
    expect(report.router).toMatchObject({ state: 'read', lines: 3 })
  })

  it('warns once when the stream of a settled task does not exist, and still ends', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan(), { clock, tasks: () => [task('a')], streams: {} })
    expect(report.outcome.result).toBe('no-errors-seen')
    expect(report.warnings.map(w => w.kind)).toEqual(['router-stream-missing'])
    expect(report.router).toMatchObject({ state: 'read', streams: [], missing: ['firelens/log-router/a'] })
  })

  it('keeps only warnings for lines that do not stop delivery', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan(), {
      clock,
      tasks: () => [task('a')],
      streams: {
        'firelens/log-router/a': [
          { timestamp: T0 - 10_000, message: "[error] [parser] cannot parse '2026-11-25T10:00:00Z'" }
        ]
      }
    })
    expect(report.outcome.result).toBe('no-errors-seen')
    expect(report.warnings.map(w => w.kind)).toEqual(['time-format'])
  })
})

describe('without an application key: a task that ran `settle` without router errors', () => {
  it('waits until the task has run for settle', async () => {
    const clock = new FakeClock()
    const a = task('a', { startedAt: T0 - 2_000 })
    const { report } = await watch(plan({ settleMs: 30_000 }), { clock, tasks: () => [a], streams: routerBanner(a) })
    expect(report.outcome).toEqual({ result: 'no-errors-seen' })
    expect(report.task).toBe(a)
    expect(clock.t - T0).toBe(30_000)
  })

  it('warns that nothing was read when the router does not log to CloudWatch', async () => {
    const clock = new FakeClock()
    const { report, calls } = await watch(
      plan({ revision: revision({ router: { container: 'log-router', log: { kind: 'elsewhere', driver: 'none' } } }) }),
      {
        clock,
        tasks: () => [task('a')]
      }
    )
    expect(report.outcome.result).toBe('no-errors-seen')
    expect(report.warnings.map(w => w.kind)).toEqual(['no-router-log'])
    expect(calls.routerLog).toEqual([])
    expect(report.router).toEqual({ state: 'not-in-cloudwatch', driver: 'none' })
  })

  it('fails when the timeout comes before a task has run for settle', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ timeoutMs: 10_000, settleMs: 60_000 }), {
      clock,
      tasks: () => [task('a', { startedAt: T0 })]
    })
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'not-settled' })
    expect((report.outcome as { findings: { message: string }[] }).findings[0]!.message).toContain(
      '(it had run for 10s)'
    )
  })
})

describe('tasks that stop', () => {
  const denied =
    'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/exec/abc is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:111122223333:parameter/k because no identity-based policy allows the ssm:GetParameters action'
  const failedTask = (id: string, over: Partial<TaskFacts> = {}) =>
    task(id, {
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: denied,
      startedAt: undefined,
      ...over
    })

  it('fails at once, once per reason, when no task runs', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ search: true }), {
      clock,
      tasks: () => [failedTask('a'), failedTask('b'), task('c', { lastStatus: 'PENDING', startedAt: undefined })]
    })
    expect(clock.t).toBe(T0)
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'stopped' })
    const findings = (report.outcome as { findings: { kind: string; count?: number; fix: string }[] }).findings
    expect(findings).toEqual([expect.objectContaining({ kind: 'secrets-access-denied', count: 2 })])
    expect(findings[0]!.fix).toContain(
      'Grant ssm:GetParameters on arn:aws:ssm:us-east-1:111122223333:parameter/k to the task execution role arn:aws:iam::111122223333:role/exec'
    )
  })

  it("adds the router's last lines when the router exited", async () => {
    const clock = new FakeClock()
    const a = failedTask('a', {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      startedAt: T0 - 10_000,
      containers: [
        { name: 'web', exitCode: 143 },
        { name: 'log-router', exitCode: 255 }
      ]
    })
    const { report } = await watch(plan(), {
      clock,
      tasks: () => [a],
      streams: {
        'firelens/log-router/a': [
          {
            timestamp: T0 - 9_000,
            message:
              "[error] [config] datadog: unknown configuration property 'tls.verfy'. The following properties are allowed: compress."
          }
        ]
      }
    })
    expect((report.outcome as { findings: { kind: string }[] }).findings.map(f => f.kind)).toEqual([
      'router-exited',
      'unknown-property'
    ])
  })

  it('says the router log is missing when the router exited and there is none to read', async () => {
    const clock = new FakeClock()
    const a = failedTask('a', {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'log-router', exitCode: 255 }]
    })
    const { report } = await watch(
      plan({ revision: revision({ router: { container: 'log-router', log: { kind: 'elsewhere', driver: 'none' } } }) }),
      { clock, tasks: () => [a] }
    )
    expect((report.outcome as { findings: { kind: string }[] }).findings.map(f => f.kind)).toEqual([
      'router-exited',
      'no-router-log'
    ])
  })

  it('only warns about a failed task while another task of the revision runs', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan(), { clock, tasks: () => [failedTask('a'), task('b')] })
    expect(report.outcome.result).toBe('no-errors-seen')
    const stopped = report.warnings.find(w => w.kind === 'secrets-access-denied')
    expect(stopped).toMatchObject({ severity: 'warning' })
    expect(stopped!.message).toMatch(/^A task of web:7 stopped \(others run\): The task could not start/)
  })

  it('ignores tasks that failed before this deployment of the revision', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ notBefore: T0 - 60_000, timeoutMs: 20_000 }), {
      clock,
      tasks: now => [
        failedTask('old', { createdAt: T0 - 3_600_000 }),
        task('new', { lastStatus: now < T0 + 10_000 ? 'PENDING' : 'RUNNING', startedAt: T0 - 60_000 })
      ]
    })
    expect(report.outcome.result).toBe('no-errors-seen')
    expect(report.task?.id).toBe('new')
  })

  it('ignores tasks of other revisions', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ timeoutMs: 10_000 }), {
      clock,
      tasks: () => [failedTask('other', { taskDefinitionArn: TD.replace(':7', ':6') }), task('a')]
    })
    expect(report.outcome.result).toBe('no-errors-seen')
    expect(report.tasksSeen).toBe(1)
  })
})

describe('every wait is bounded, with a progress line at least every 15 s', () => {
  it('fails after the timeout when no task appears', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ timeoutMs: 30_000 }), { clock, tasks: () => [] })
    expect(clock.t - T0).toBe(30_000)
    expect(report.outcome).toMatchObject({ result: 'failed', why: 'no-task' })
    expect((report.outcome as { findings: { message: string }[] }).findings[0]!.message).toBe(
      'No task of web:7 appeared in prod/checkout within 30s.'
    )
  })

  it('counts the timeout from the step start, which includes the look-ups before the watch', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ timeoutMs: 30_000, startedAt: T0 - 20_000 }), { clock, tasks: () => [] })
    expect(clock.t - T0).toBe(10_000)
    expect(report.elapsedMs).toBe(30_000)
    expect((report.outcome as { findings: { message: string }[] }).findings[0]!.message).toContain('within 30s')
  })

  it('fails after the timeout when tasks never reach RUNNING, saying where they are', async () => {
    const clock = new FakeClock()
    const { report } = await watch(plan({ timeoutMs: 30_000 }), {
      clock,
      tasks: () => [
        task('a', { lastStatus: 'PROVISIONING', startedAt: undefined }),
        task('b', { lastStatus: 'PENDING', startedAt: undefined })
      ]
    })
    expect((report.outcome as { findings: { message: string }[] }).findings[0]!.message).toBe(
      'No task of web:7 reached RUNNING within 30s (1 PROVISIONING, 1 PENDING).'
    )
  })

  it('for any timeout and any poll plan it derives: ends at the deadline, never sleeps past it, prints every ≤ 15 s', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000, max: 3_600_000 }), fc.boolean(), async (timeoutMs, search) => {
        const clock = new FakeClock()
        const p = plan({ timeoutMs, search, settleMs: 10 * timeoutMs, ...pollPlan(timeoutMs) })
        const { lines } = await watch(p, { clock, tasks: () => [task('a', { startedAt: T0 })] })
        expect(clock.t - T0).toBe(timeoutMs)
        const times = [T0, ...lines.map(l => l.at)]
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(15_000)
        expect(T0 + timeoutMs - times[times.length - 1]!).toBeLessThanOrEqual(15_000)
      }),
      { numRuns: 20 }
    )
  })

  it('polls often enough for quick tests and gently enough for the search API', () => {
    expect(pollPlan(300_000)).toEqual({ pollMs: 5_000, searchEveryMs: 15_000 })
    expect(pollPlan(4_000)).toEqual({ pollMs: 250, searchEveryMs: 400 })
    // 5 minutes: at most 21 searches of the 300 an hour Datadog allows an organization.
    expect(Math.ceil(300_000 / pollPlan(300_000).searchEveryMs) + 1).toBeLessThanOrEqual(21)
  })
})

describe('the likely causes when nothing is found', () => {
  it('puts the missing tags first, then the unread router log', () => {
    const causes = notFoundCauses({
      site: AP1,
      revision: revision({
        taggedWithTask: false,
        router: { container: 'log-router', log: { kind: 'elsewhere', driver: 'none' } }
      })
    })
    expect(causes).toMatch(
      /^Most likely, in order: \(1\) the records carry no task_family\/task_version tags.*\(2\) delivery errors \(HTTP 403 from a key of another site than AP1, TLS\).*`validate-api-key: true`.*\(3\) the application wrote nothing/
    )
  })
})
