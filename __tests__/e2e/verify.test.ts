// The verify action end to end: dist/verify/index.js run as a runner runs `uses: <repo>/verify@v1`, against the
// loopback fake speaking ECS, CloudWatch Logs, SSM and the Datadog logs search. Small timeouts keep it quick; the
// bounds asserted are generous ones that only prove every wait ends.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'
import { runVerify } from './run-verify.js'
import {
  AP1,
  API_KEY,
  API_KEY_PARAMETER,
  APP_KEY,
  APP_KEY_PARAMETER,
  CLUSTER,
  EXECUTION_ROLE,
  ROUTER_GROUP,
  SERVICE,
  TD_ARN,
  record,
  routerStream,
  runningTask,
  scenario,
  taskArn,
  taskDefinition
} from '../../__fixtures__/verify-scenario.mjs'

const TASK = '0a1b2c3d4e5f'
const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errors = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::error'))
const warnings = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::warning'))
const notices = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::notice'))
const progress = (result: RunActionResult): string[] => lines(result).filter(l => /^\[\d/.test(l))
const targets = (fake: FakeAws): string[] => fake.calls.map(c => c.target)
/** Workflow commands escape newlines in annotations as %0A. */
const unescape = (line: string): string => line.replace(/%0A/g, '\n').replace(/%25/g, '%')

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

/** Waits (bounded) until the fake has seen something. */
async function until(seen: () => boolean, limitMs = 15_000): Promise<void> {
  const started = Date.now()
  while (!seen()) {
    if (Date.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

let fake: FakeAws | undefined
const start = async (opts: FakeAwsOptions): Promise<FakeAws> => {
  fake = await startFakeAws(opts)
  return fake
}
const env = (f: FakeAws): Record<string, string> => ({ DATADOG_FIRELENS_API_URL_TEMPLATE: `${f.url}/{domain}` })
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('delivered: the Datadog search finds a record of the revision', () => {
  it('waits for the record, then sets result, task-arn and logs-url, with the keys masked and printed nowhere else', async () => {
    const now = Date.now()
    const f = await start(scenario())
    const running = runVerify(withSearch({ timeout: '20s' }), { fake: f, env: env(f) })
    // The record is indexed only after a first search found nothing, so the step has to keep looking.
    await until(() => f.calls.some(c => c.target === 'Datadog.logsSearch'))
    f.addDatadogLogs(AP1, [record(TASK, now - 60_000)])
    const result = await running

    expect(errors(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs.result).toBe('delivered')
    expect(result.outputs['task-arn']).toBe(taskArn(TASK))
    const url = new URL(result.outputs['logs-url']!)
    expect(url.origin).toBe('https://ap1.datadoghq.com')
    expect(url.pathname).toBe('/logs')
    expect(url.searchParams.get('query')).toBe('task_family:web task_version:7')
    expect(Number(url.searchParams.get('from_ts'))).toBeLessThan(now - 120_000)

    // The search: the site's API, both keys in headers, the revision's tags, from the task's start.
    const searches = f.calls.filter(c => c.target === 'Datadog.logsSearch')
    expect(searches.length).toBeGreaterThanOrEqual(2)
    expect(searches[0]!.domain).toBe(AP1)
    expect(searches[0]!.headers['dd-api-key']).toBe(API_KEY)
    expect(searches[0]!.headers['dd-application-key']).toBe(APP_KEY)
    expect(searches[0]!.body.filter.query).toBe('task_family:web task_version:7')
    expect(Date.parse(searches[0]!.body.filter.from)).toBeLessThanOrEqual(now - 120_000)
    expect(progress(result).some(l => l.includes('Datadog: no record yet'))).toBe(true)

    // What was asked of AWS: the service, its revision, the keys, the tasks, the router's stream.
    expect(targets(f)).toEqual(
      expect.arrayContaining([
        'ECS.DescribeServices',
        'ECS.DescribeTaskDefinition',
        'SSM.GetParameter',
        'ECS.ListTasks',
        'ECS.DescribeTasks',
        'Logs.FilterLogEvents'
      ])
    )
    const filter = f.calls.find(c => c.target === 'Logs.FilterLogEvents')!.body
    expect(filter).toMatchObject({ logGroupName: ROUTER_GROUP, logStreamNames: [routerStream(TASK)] })

    expect(result.summary).toContain('Datadog FireLens verify: `delivered`')
    expect(result.summary).toMatch(
      /\| Datadog search \| `task_family:web task_version:7` on AP1, \d+ searches \| ✅ found/
    )

    // Keys: masked the moment they are read, and nowhere else.
    for (const key of [API_KEY, APP_KEY]) {
      const out = lines(result)
      const mask = out.indexOf(`::add-mask::${key}`)
      expect(mask).toBeGreaterThanOrEqual(0)
      expect(out.filter((l, i) => i !== mask && l.includes(key))).toEqual([])
      expect(result.stderr).not.toContain(key)
      expect(result.summary).not.toContain(key)
      expect(JSON.stringify(result.outputs)).not.toContain(key)
    }
  })
})

describe("the router's own log", () => {
  it('fails on HTTP status=403 logged before the step started, with the line, its meaning and the site fix', async () => {
    const now = Date.now()
    const task = runningTask(TASK, 90_000, now)
    const f = await start(
      scenario({
        tasks: [task],
        routerLines: {
          [routerStream(TASK)]: [
            {
              timestamp: now - 80_000,
              message:
                '[2026/11/25 10:00:05] [error] [output:datadog:datadog.0] https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403'
            },
            {
              timestamp: now - 70_000,
              message:
                "[2026/11/25 10:00:15] [ warn] [engine] failed to flush chunk '1-1764064805.123.flb', retry in 10 seconds: task_id=0, input=forward.1 > output=datadog.0 (out_id=0)"
            },
            {
              timestamp: now - 50_000,
              message:
                "[2026/11/25 10:00:35] [error] [engine] chunk '1-1764064805.123.flb' cannot be retried: task_id=0, input=forward.1 > output=datadog.0"
            }
          ]
        },
        // The key is EU1's: the probe names it, as validate-api-key would.
        keys: { 'datadoghq.eu': [API_KEY] }
      })
    )
    const result = await runVerify(base({ 'api-key-secret': API_KEY_PARAMETER }), { fake: f, env: env(f) })

    expect(result.code).toBe(1)
    expect(result.outputs.result).toBeUndefined()
    expect(result.outputs['task-arn']).toBe(taskArn(TASK))
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain('https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403')
    expect(text).toContain('it belongs to another Datadog site')
    expect(text).toContain('`validate-api-key: true`')
    expect(text).toContain('cannot be retried')
    expect(text).toMatch(/belongs to EU1 \(datadoghq\.eu\), not to AP1[\s\S]*Set site: EU1\./)
    // The stream was read from the task's creation, not from when this step started.
    const from = f.calls.find(c => c.target === 'Logs.FilterLogEvents')!.body.startTime
    expect(from).toBeLessThanOrEqual(task.createdAt!)
    expect(result.summary).toContain('❌ delivery errors')
    // The key was read for the probe, masked, and shown nowhere else.
    expect(result.stdout.split(`::add-mask::${API_KEY}`).join('')).not.toContain(API_KEY)
  })

  it("names the wrong Host when the router sends to another site's intake, over plain HTTP", async () => {
    const now = Date.now()
    const f = await start(
      scenario({
        routerLines: {
          [routerStream(TASK)]: [
            {
              timestamp: now - 60_000,
              message:
                '[2026/11/25 10:00:05] [error] [output:datadog:datadog.0] http://http-intake.logs.datadoghq.com:80 HTTP status=403'
            }
          ]
        }
      })
    )
    const result = await runVerify(base(), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain("The log router sends to US1's intake (http-intake.logs.datadoghq.com), but `site` is AP1")
    expect(text).toContain('Host to http-intake.logs.ap1.datadoghq.com')
    expect(warnings(result).map(unescape).join('\n')).toContain('without TLS: the API key travels in clear')
  })

  it("fails before any wait when the revision sends to another site's intake (no Host: Fluent Bit's US1 default)", async () => {
    const td = taskDefinition()
    delete (td.containerDefinitions[0]!.logConfiguration!.options as Record<string, string | undefined>).Host
    const f = await start(scenario({ taskDefinition: td }))
    const result = await runVerify(base({ timeout: '30s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    expect(errors(result).map(unescape)).toEqual([
      expect.stringContaining(
        "web:7: The log router sends to US1's intake (http-intake.logs.datadoghq.com), but `site` is AP1"
      )
    ])
    expect(targets(f)).not.toContain('ECS.ListTasks')
  })

  it('fails on a TLS error, quoting it', async () => {
    const now = Date.now()
    const tls = '[2026/11/25 10:00:05] [error] [tls] error: error:0A000086:SSL routines::certificate verify failed'
    const f = await start(
      scenario({ routerLines: { [routerStream(TASK)]: [{ timestamp: now - 60_000, message: tls }] } })
    )
    const result = await runVerify(base(), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain('could not set up TLS')
    expect(text).toContain(tls)
    expect(text).toContain('tls.ca_file')
  })
})

describe('after the main action', () => {
  it("reads the router stream where the main action's log-router-log-group puts it, for the ARN it registered", async () => {
    const now = Date.now()
    const options = scenario({ tasks: [] })
    const f = await start({ ...options, taskDefinitions: [] })
    const main = await runAction(
      {
        'task-definition': exampleTaskDefinition('fargate-web.json'),
        site: 'ap1',
        'api-key-secret': API_KEY_PARAMETER,
        'log-router-log-group': ROUTER_GROUP,
        // This fake has no IAM roles; the role checks have their own tests (roles.test.ts).
        'verify-roles': 'false'
      },
      { fake: f }
    )
    expect(main.code).toBe(0)
    const arn = main.outputs['task-definition-arn']!
    expect(arn).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    // The deploy step starts a task of that revision; its router gets 403s.
    f.addTask(CLUSTER, { ...runningTask(TASK, 90_000, now), taskDefinitionArn: arn })
    f.appendLogEvents(ROUTER_GROUP, routerStream(TASK), [
      {
        timestamp: now - 85_000,
        message: '[error] [output:datadog:datadog.0] https://http-intake.logs.ap1.datadoghq.com:443 HTTP status=403'
      }
    ])
    const result = await runVerify(base({ service: '', 'task-definition-arn': arn }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    expect(errors(result).map(unescape).join('\n')).toContain('HTTP status=403')
    const filter = f.calls.find(c => c.target === 'Logs.FilterLogEvents')!.body
    expect(filter).toMatchObject({ logGroupName: ROUTER_GROUP, logStreamNames: [routerStream(TASK)] })
    // Without a service, the tasks are found by the revision's family.
    expect(f.calls.find(c => c.target === 'ECS.ListTasks')!.body).toMatchObject({ cluster: CLUSTER, family: 'web' })
    expect(targets(f)).not.toContain('ECS.DescribeServices')
  })
})

describe('tasks that stop instead of running', () => {
  it('fails with the execution role and the permission it lacks when secrets cannot be pulled', async () => {
    const now = Date.now()
    const reason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/0a1b2c3d4e5f is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:111122223333:parameter/prod/DATADOG_API_KEY because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: 1adcb55f-f798-4503-b8a3-cd1533290001'
    const f = await start(
      scenario({
        tasks: [
          {
            id: TASK,
            taskDefinitionArn: TD_ARN,
            service: SERVICE,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            createdAt: now - 60_000,
            stoppedAt: now - 50_000,
            stopCode: 'TaskFailedToStart',
            stoppedReason: reason,
            containers: [{ name: 'web' }, { name: 'log-router' }]
          }
        ]
      })
    )
    const result = await runVerify(base({ timeout: '30s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    // Not after the timeout: a stopped task is an answer.
    expect(result.elapsedMs).toBeLessThan(20_000)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain(
      `Grant ssm:GetParameters on arn:aws:ssm:us-east-1:111122223333:parameter/prod/DATADOG_API_KEY to the task execution role ${EXECUTION_ROLE}`
    )
    expect(text).toContain('kms:Decrypt')
    expect(text).toContain('unable to pull secrets')
    expect(result.summary).toContain('❌ tasks stopped')
  })

  it("fails with the router's own last lines when it exits on an unknown option", async () => {
    const now = Date.now()
    const f = await start(
      scenario({
        tasks: [
          {
            id: TASK,
            taskDefinitionArn: TD_ARN,
            service: SERVICE,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            createdAt: now - 60_000,
            startedAt: now - 40_000,
            stoppedAt: now - 38_000,
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            containers: [
              { name: 'web', exitCode: 143 },
              { name: 'log-router', exitCode: 255 }
            ]
          }
        ],
        routerLines: {
          [routerStream(TASK)]: [
            {
              timestamp: now - 39_000,
              message:
                "[2026/11/25 10:00:01] [error] [config] datadog: unknown configuration property 'retry_limt'. The following properties are allowed: compress, header, apikey, dd_service, dd_source, dd_tags, dd_hostname, proxy, include_tag_key, tag_key, dd_message_key, provider, and json_date_key."
            },
            { timestamp: now - 39_000, message: '[2026/11/25 10:00:01] [error] [engine] output initialization failed' }
          ]
        }
      })
    )
    const result = await runVerify(base({ timeout: '30s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain('The log router (log-router) exited with code 255')
    expect(text).toContain('unknown option `retry_limt`')
    // web's 143 is ECS stopping it after the router died, not a cause.
    expect(text).not.toContain('Container web exited')
  })
})

describe('without a router log and without an application key', () => {
  it('says no-errors-seen once a task has run `settle`, with a notice of what was not checked', async () => {
    const f = await start(scenario({ routerLog: false }))
    const result = await runVerify(base(), { fake: f, env: env(f) })
    expect(errors(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs.result).toBe('no-errors-seen')
    expect(result.outputs['task-arn']).toBe(taskArn(TASK))
    const said = notices(result).map(unescape).join('\n')
    expect(said).toContain('does not log to CloudWatch')
    expect(said).toContain('log-router-log-group')
    expect(said).toContain('application-key-secret')
    expect(targets(f)).not.toContain('Logs.FilterLogEvents')
    expect(targets(f)).not.toContain('Datadog.logsSearch')
    expect(targets(f)).not.toContain('SSM.GetParameter')
    expect(result.summary).toContain('not in CloudWatch (log driver none)')
  })
})

describe('the Datadog search', () => {
  it('fails at once when the application key is not valid on the site, saying which scope it needs', async () => {
    const f = await start({ ...scenario(), applicationKeysByDomain: { 'datadoghq.eu': [APP_KEY] } })
    const result = await runVerify(withSearch({ timeout: '30s' }), { fake: f, env: env(f) })
    expect(result.code).toBe(1)
    expect(result.elapsedMs).toBeLessThan(20_000)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toContain('The Datadog logs search on AP1 refused the keys (HTTP 403: Forbidden')
    expect(text).toContain('logs_read_data')
    expect(f.calls.filter(c => c.target === 'Datadog.logsSearch')).toHaveLength(1)
  })
})

describe('every wait is bounded', () => {
  it('fails after `timeout` when the search never finds anything, printing progress and the likely causes', async () => {
    const f = await start(scenario())
    const result = await runVerify(withSearch({ timeout: '3s' }), { fake: f, env: env(f), timeoutMs: 40_000 })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(result.elapsedMs).toBeGreaterThanOrEqual(3_000)
    expect(result.elapsedMs).toBeLessThan(20_000)
    const text = errors(result).map(unescape).join('\n')
    expect(text).toMatch(
      /No log of web:7 reached Datadog AP1 within 3s: \d+ searches for `task_family:web task_version:7`/
    )
    expect(text).toContain('Most likely, in order: (1) the application wrote nothing')
    expect(progress(result).length).toBeGreaterThanOrEqual(2)
    expect(f.calls.filter(c => c.target === 'Datadog.logsSearch').length).toBeGreaterThanOrEqual(2)
  })

  it('stops waiting for an ECS endpoint that never answers, printing a line at least every 15 s', async () => {
    const f = await start(scenario())
    f.fault('ECS.ListTasks', ...Array(20).fill({ kind: 'hang' }))
    const result = await runVerify(base({ timeout: '12s' }), { fake: f, env: env(f), timeoutMs: 60_000 })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(result.elapsedMs).toBeLessThan(30_000)
    expect(errors(result).map(unescape).join('\n')).toContain(
      "stopped waiting for ecs:ListTasks: the step's timeout was reached"
    )
    const times = result.lineTimes.map(l => l.ms)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(Math.max(...gaps)).toBeLessThan(15_000)
    expect(lines(result).some(l => l.startsWith('… still waiting for ECS ListTasks'))).toBe(true)
  }, 60_000)
})

describe('bad input', () => {
  it('refuses a duration it cannot read, before any AWS call', async () => {
    const f = await start(scenario())
    const result = await runVerify(base({ timeout: '5 minutes' }), { fake: f })
    expect(result.code).toBe(1)
    expect(errors(result).map(unescape)).toEqual([
      expect.stringContaining('Input `timeout` is "5 minutes", which is not a duration.')
    ])
    expect(f.calls).toEqual([])
  })

  it('masks and refuses an application key pasted in place of its reference', async () => {
    const f = await start(scenario())
    const result = await runVerify(withSearch({ 'application-key-secret': APP_KEY }), { fake: f })
    expect(result.code).toBe(1)
    expect(lines(result)[0]).toBe(`::add-mask::${APP_KEY}`)
    expect(result.stdout.split(`::add-mask::${APP_KEY}`).join('')).not.toContain(APP_KEY)
    expect(errors(result).join('\n')).toContain('looks like a Datadog application key itself')
    expect(f.calls).toEqual([])
  })
})
