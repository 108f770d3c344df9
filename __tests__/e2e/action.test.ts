// The bundle, run as a runner runs it, against a loopback fake of ECS/SSM/Secrets Manager.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { READ_ONLY_KEYS } from '../../src/core/definition/task-definition.js'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const KEY_PARAMETER = '/prod/DATADOG_API_KEY'
const base = (file: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': file,
  site: 'ap1',
  'api-key-secret': KEY_PARAMETER,
  // The role checks have their own tests (roles.test.ts); this fake has no IAM roles.
  'verify-roles': 'false',
  ...extra
})
// A dry run without a region is the offline demo: no AWS check runs (with a region they do, see roles.test.ts).
const offline = { env: NO_REGION }
// The patched file, read loosely: the tests index into it freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const patched = (result: RunActionResult): Record<string, any> =>
  JSON.parse(readFileSync(result.outputs['task-definition']!, 'utf8'))

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({ parameters: { [KEY_PARAMETER]: '0123456789abcdef0123456789abcdef' } })
})
afterEach(async () => {
  await fake.close()
})

describe('a dry run', () => {
  it('writes the patched definition under RUNNER_TEMP, leaves the ARN empty and, without a region, calls no AWS API', async () => {
    const input = exampleTaskDefinition('fargate-web.json')
    const before = readFileSync(input, 'utf8')
    const result = await runAction(base(input, { register: 'false', tags: 'env:prod,team:web' }), { fake, ...offline })
    expect(result.code).toBe(0)
    expect(result.outputs['task-definition']).toMatch(
      new RegExp(`^${result.tempDir}.*/runner-temp/datadog-firelens-[^/]+/web\\.json$`)
    )
    expect(result.outputs['task-definition-arn']).toBe('')
    expect(readFileSync(input, 'utf8')).toBe(before)
    const web = patched(result).containerDefinitions[0]
    expect(web.logConfiguration.options.Host).toBe('http-intake.logs.ap1.datadoghq.com')
    expect(web.logConfiguration.options.dd_tags).toMatch(/^env:prod,team:web,git\.commit\.sha:/)
    expect(fake.calls).toEqual([])
    expect(result.summary).toContain('dry run: not registered')
    expect(result.summary).toContain('| `web` | re-routed |')
    expect(result.stdout).toContain('::notice title=Datadog FireLens')
  })

  it('without a region never loads the AWS SDK: it runs with every lazily loaded chunk removed', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'))
    cpSync('dist', dist, { recursive: true })
    for (const file of readdirSync(dist)) if (/^\d+\.index\.js$/.test(file)) rmSync(join(dist, file))
    const result = await runAction(base(exampleTaskDefinition('fargate-web.json'), { register: 'false' }), {
      fake,
      ...offline,
      entry: join(dist, 'index.js')
    })
    expect(result.code).toBe(0)
  })

  it('reads YAML and describe-task-definition output', async () => {
    const yaml = await runAction(base(exampleTaskDefinition('fargate-web.yaml'), { register: 'false' }), offline)
    expect(yaml.code).toBe(0)
    expect(patched(yaml).containerDefinitions[0].logConfiguration.logDriver).toBe('awsfirelens')
    const described = await runAction(
      base(exampleTaskDefinition('describe-output.json'), { register: 'false' }),
      offline
    )
    expect(described.code).toBe(0)
    expect(patched(described)).not.toHaveProperty('taskDefinitionArn')
    expect(patched(described).tags).toEqual([{ key: 'owner', value: 'platform' }])
  })

  it('gives byte-identical output when run on its own output', async () => {
    const inputs = { register: 'false', tags: 'env:prod', 'log-options': 'Retry_Limit=2', 'parse-json': 'true' }
    const first = await runAction(base(exampleTaskDefinition('fargate-web.json'), inputs), offline)
    const second = await runAction(base(first.outputs['task-definition']!, inputs), offline)
    expect(second.code).toBe(0)
    expect(readFileSync(second.outputs['task-definition']!, 'utf8')).toBe(
      readFileSync(first.outputs['task-definition']!, 'utf8')
    )
  })
})

describe('registering', () => {
  it('checks the secret, registers the patched definition and outputs the ARN', async () => {
    const result = await runAction(base(exampleTaskDefinition('fargate-web.json'), { service: 'checkout' }), { fake })
    expect(result.code).toBe(0)
    expect(result.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    expect(fake.calls.map(c => c.target)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
    expect(fake.registered).toEqual([patched(result)])
    expect(fake.registered[0].containerDefinitions.map((c: { name: string }) => c.name)).toEqual(['web', 'log-router'])
    expect(result.summary).toContain('registered `arn:aws:ecs:us-east-1:111122223333:task-definition/web:1`')
  })

  it('carries the tags of describe-task-definition output into the registration, without read-only keys', async () => {
    const result = await runAction(base(exampleTaskDefinition('describe-output.json')), { fake })
    expect(result.code).toBe(0)
    const request = fake.registered[0]
    expect(request.tags).toEqual([{ key: 'owner', value: 'platform' }])
    for (const key of READ_ONLY_KEYS) expect(request).not.toHaveProperty(key)
    expect(request.containerDefinitions[0].secrets).toEqual([
      { name: 'REDIS_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:worker/redis-AbCdEf' }
    ])
  })

  it("shows ECS's rejection verbatim with a hint", async () => {
    fake.fault('ECS.RegisterTaskDefinition', {
      kind: 'clientException',
      message: 'Invalid setting for container web: portMappings.'
    })
    const result = await runAction(base(exampleTaskDefinition('fargate-web.json')), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Invalid setting for container web: portMappings.')
    expect(result.stdout).toMatch(/::error title=Datadog FireLens::AWS rejected ecs:RegisterTaskDefinition/)
  })

  it('stops before registering when the secret does not exist', async () => {
    const result = await runAction(
      base(exampleTaskDefinition('fargate-web.json'), { 'api-key-secret': '/prod/TYPO' }),
      { fake }
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/SSM parameter "\/prod\/TYPO".*does not exist in us-east-1/)
    expect(fake.registered).toEqual([])
  })
})

describe('bad input fails before any AWS call, with exit code 1', () => {
  const cases: [string, () => Record<string, string>, RegExp][] = [
    [
      'an unknown site',
      () => base(exampleTaskDefinition('fargate-web.json'), { site: 'ap9' }),
      /"ap9".*US1 \(datadoghq\.com\)/
    ],
    [
      'an empty required input',
      () => base(exampleTaskDefinition('fargate-web.json'), { site: '' }),
      /Input `site` is required/
    ],
    ['a missing file', () => base('/nonexistent/td.json'), /\/nonexistent\/td\.json does not exist/],
    [
      'an unknown container',
      () => base(exampleTaskDefinition('fargate-web.json'), { containers: 'api' }),
      /"api".*The containers are: web/
    ],
    ['a malformed tag', () => base(exampleTaskDefinition('fargate-web.json'), { tags: 'env' }), /not a key:value tag/],
    [
      'a log option the action controls',
      () => base(exampleTaskDefinition('fargate-web.json'), { 'log-options': 'Host=x' }),
      /sets Host, which this action controls/
    ]
  ]
  it.each(cases)('%s', async (_what, inputs, message) => {
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(message)
    expect(result.stdout).toContain('::error title=Datadog FireLens')
    expect(fake.calls).toEqual([])
  })

  it('invalid JSON, with its position', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'td-')), 'td.json')
    writeFileSync(file, '{\n  "family": "web",\n  "containerDefinitions": [,]\n}\n')
    const result = await runAction(base(file), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/is not valid JSON at line 3, column 28/)
    expect(result.stdout).toContain(`file=${file}`)
    expect(fake.calls).toEqual([])
  })

  it('a raw API key instead of its reference: masked, refused, never echoed', async () => {
    const key = 'abcdef0123456789abcdef0123456789'
    const result = await runAction(base(exampleTaskDefinition('fargate-web.json'), { 'api-key-secret': key }), { fake })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::add-mask::${key}`)
    expect(result.stdout.split(`::add-mask::${key}`).join('')).not.toContain(key)
    expect(result.summary).not.toContain(key)
    expect(fake.calls).toEqual([])
    expect(dirname(result.outputs['task-definition'] ?? '/')).toBe('/')
  })
})
