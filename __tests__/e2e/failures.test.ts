// Failing well, end to end: AWS faults, the secret checks, the API key check, and the checks that need no network.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction } from './run-action.js'

const KEY = '0123456789abcdef0123456789abcdef'
const PARAMETER = '/prod/DATADOG_API_KEY'
const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  ...extra
})
const targets = (fake: FakeAws): string[] => fake.calls.map(c => c.target)

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({
    parameters: { [PARAMETER]: KEY },
    secrets: { 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog-AbCdEf': KEY }
  })
})
afterEach(async () => {
  await fake.close()
})

describe('AWS faults', () => {
  it('retries throttling and succeeds', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'throttle' }, { kind: 'throttle' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(0)
    expect(result.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    expect(targets(fake).filter(t => t === 'ECS.RegisterTaskDefinition')).toHaveLength(3)
  })

  it('gives up on persistent 500s after 3 attempts, with nothing registered', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'serverError' }, { kind: 'serverError' }, { kind: 'serverError' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/server error \(HTTP 500\) after 3 attempts/)
    expect(fake.registered).toEqual([])
  })

  it('names the IAM action, the principal and iam:PassRole when access is denied', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /AWS denied ecs:RegisterTaskDefinition to arn:aws:sts::111122223333:assumed-role\/deployer\/ci/
    )
    expect(result.stdout).toContain(
      'iam:PassRole on arn:aws:iam::111122223333:role/web-task and arn:aws:iam::111122223333:role/ecsTaskExecutionRole'
    )
    expect(fake.registered).toEqual([])
  })

  it('stops a request that never answers instead of waiting for the job timeout', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' })
    const result = await runAction(inputs(), { fake, timeoutMs: 110_000 })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(result.elapsedMs).toBeLessThan(90_000)
    expect(result.stdout).toContain(
      `${fake.url} (region us-east-1) did not answer ecs:RegisterTaskDefinition in time after 3 attempts`
    )
    expect(fake.registered).toEqual([])
  }, 120_000)

  it('names the endpoint and region when the connection is refused', async () => {
    const result = await runAction(inputs())
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /Could not reach http:\/\/127\.0\.0\.1:9 \(region us-east-1\) for ssm:DescribeParameters: ECONNREFUSED/
    )
  })
})

describe('the secret check', () => {
  it('makes exactly one metadata lookup and one registration; none in a dry run', async () => {
    expect((await runAction(inputs(), { fake })).code).toBe(0)
    expect(targets(fake)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
    fake.calls.length = 0
    expect((await runAction(inputs({ register: 'false' }), { fake })).code).toBe(0)
    expect(fake.calls).toEqual([])
  })

  it('warns and goes on when the role may not describe parameters', async () => {
    fake.fault('SSM.DescribeParameters', { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/::warning title=Secret not verified::.*ssm:DescribeParameters/)
    expect(fake.registered).toHaveLength(1)
    expect(result.summary).toMatch(/ssm:DescribeParameters/)
  })

  it('looks a Secrets Manager secret up with DescribeSecret, never reading it', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog-AbCdEf'
    const result = await runAction(inputs({ 'api-key-secret': arn }), { fake })
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual(['SecretsManager.DescribeSecret', 'ECS.RegisterTaskDefinition'])
    expect(fake.calls[0]!.body).toEqual({ SecretId: arn })
  })

  it('skips the lookup with verify-secret: false', async () => {
    expect((await runAction(inputs({ 'verify-secret': 'false' }), { fake })).code).toBe(0)
    expect(targets(fake)).toEqual(['ECS.RegisterTaskDefinition'])
  })
})

describe('validate-api-key', () => {
  // One loopback server plays every Datadog site: /<domain>/api/v1/validate accepts the key only on `home`.
  let datadog: Server
  let template: string
  let home = 'ap1.datadoghq.com'
  beforeEach(async () => {
    datadog = createServer((req, res) => {
      const [, domain] = /^\/([^/]+)\/api\/v1\/validate$/.exec(req.url ?? '') ?? []
      const ok = domain === home && req.headers['dd-api-key'] === KEY
      res
        .writeHead(ok ? 200 : 403, { 'content-type': 'application/json' })
        .end(ok ? '{"valid":true}' : '{"errors":["Forbidden"]}')
    })
    await new Promise<void>(resolve => datadog.listen(0, '127.0.0.1', resolve))
    template = `http://127.0.0.1:${(datadog.address() as { port: number }).port}/{domain}`
  })
  afterEach(async () => {
    await new Promise(resolve => datadog.close(resolve))
  })

  it('accepts a key that is valid on the site, masking it before anything else is printed', async () => {
    home = 'ap1.datadoghq.com'
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: template }
    })
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    const mask = lines.findIndex(l => l === `::add-mask::${KEY}`)
    expect(mask).toBeGreaterThanOrEqual(0)
    expect(lines.filter((l, i) => i !== mask && l.includes(KEY))).toEqual([])
    expect(result.summary).not.toContain(KEY)
    expect(readFileSync(result.outputs['task-definition']!, 'utf8')).not.toContain(KEY)
  })

  it('names the site a key belongs to, and registers nothing', async () => {
    home = 'datadoghq.eu'
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: template }
    })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/belongs to EU1 \(datadoghq\.eu\), not to AP1.*Set site: EU1/)
    expect(fake.registered).toEqual([])
  })

  it('warns and goes on when Datadog cannot be reached', async () => {
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: 'http://127.0.0.1:9/{domain}' }
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/::warning title=API key not validated::/)
    expect(fake.registered).toHaveLength(1)
  })
})

// The tests edit parsed JSON freely: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

describe('checks that need no network', () => {
  const edited = (edit: (td: Json) => void): string => {
    const file = exampleTaskDefinition('fargate-web.json')
    const td = JSON.parse(readFileSync(file, 'utf8'))
    edit(td)
    writeFileSync(file, JSON.stringify(td))
    return file
  }

  it('warns, with path, suggestion and file, about keys ECS would silently drop', async () => {
    const file = edited(td => {
      td.containerDefinitions[0].Secrets = [{ name: 'X', valueFrom: '/x' }]
      td.containerDefinitions[0].memoryReservaton = 128
    })
    const result = await runAction(inputs({ 'task-definition': file, register: 'false' }))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `::warning title=Unknown task definition key,file=${file}::containerDefinitions[web].Secrets is not a field ECS knows and would be silently dropped; did you mean "secrets"?`
    )
    expect(result.stdout).toMatch(/containerDefinitions\[web\]\.memoryReservaton .*did you mean "memoryReservation"/)
  })

  it.each([
    ['a newline in service', { service: 'web\n[OUTPUT]' }, /Input `service` contains a control character \(U\+000A\)/],
    ['a tab in tags', { tags: 'env:pr\tod' }, /Input `tags` contains a control character \(U\+0009\)/]
  ])('refuses %s', async (_what, extra, message) => {
    const result = await runAction(inputs(extra), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(message)
    expect(fake.calls).toEqual([])
  })

  it.each([
    [
      'a Windows task',
      (td: Json) => (td.runtimePlatform = { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }),
      /FireLens runs only on Linux/
    ],
    ['no execution role', (td: Json) => delete td.executionRoleArn, /no executionRoleArn.*ssm:GetParameters/],
    [
      'a Fargate task its containers do not fit',
      (td: Json) => (td.containerDefinitions[0].memoryReservation = 1000),
      /reserve 1050 MiB \(web 1000, log-router 50\), more than the task's memory of 1024 MiB/
    ]
  ])('refuses %s before any AWS call', async (_what, edit, message) => {
    const result = await runAction(inputs({ 'task-definition': edited(edit) }), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(message)
    expect(fake.calls).toEqual([])
  })
})
