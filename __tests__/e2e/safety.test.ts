// Safety, end to end through dist/index.js: AWS faults are bounded and explained, the secret is checked by metadata
// only, the API key is masked before it can be printed, and bad input fails before anything is registered.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'
const PARAMETER = '/prod/datadog/api-key'
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog/api-key-Q1w2E3'
const PRINCIPAL = 'arn:aws:sts::111122223333:assumed-role/deployer/ci'
const TASK_ROLE = 'arn:aws:iam::111122223333:role/web-task'
const EXECUTION_ROLE = 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole'
const SITE_DOMAINS = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'ddog-gov.com',
  'us2.ddog-gov.com',
  'uk1.datadoghq.com'
]

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': PARAMETER,
  // The role checks have their own tests (roles.test.ts); this fake has no IAM roles.
  'verify-roles': 'false',
  ...extra
})
const targets = (fake: FakeAws): string[] => fake.calls.map(c => c.target)
const lines = (result: RunActionResult): string[] => result.stdout.split('\n')
const errorLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::error'))
const warningLines = (result: RunActionResult): string[] => lines(result).filter(l => l.startsWith('::warning'))

// The tests edit parsed JSON freely: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>
/** fargate-web.json, edited, in a fresh temp dir. */
const edited = (edit: (td: Json) => void): string => {
  const file = exampleTaskDefinition('fargate-web.json')
  const td = JSON.parse(readFileSync(file, 'utf8'))
  edit(td)
  writeFileSync(file, JSON.stringify(td, null, 2))
  return file
}

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({ parameters: { [PARAMETER]: KEY }, secrets: { [SECRET_ARN]: KEY } })
})
afterEach(async () => {
  await fake.close()
})

describe('AWS faults are retried, bounded and explained', () => {
  it('registers after ECS throttled twice', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'throttle' }, { kind: 'throttle' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(0)
    expect(result.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
    expect(targets(fake)).toEqual([
      'SSM.DescribeParameters',
      'ECS.RegisterTaskDefinition',
      'ECS.RegisterTaskDefinition',
      'ECS.RegisterTaskDefinition'
    ])
    expect(fake.registered).toHaveLength(1)
    expect(errorLines(result)).toEqual([])
  })

  it('gives up after 3 attempts on a server error, naming it, with nothing registered', async () => {
    fake.fault('ECS.RegisterTaskDefinition', ...Array(3).fill({ kind: 'serverError' }))
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringMatching(
        /^::error title=Datadog FireLens::AWS failed ecs:RegisterTaskDefinition with a server error \(HTTP 500\) after 3 attempts \(ServerException\)/
      )
    ])
    expect(targets(fake).filter(t => t === 'ECS.RegisterTaskDefinition')).toHaveLength(3)
    expect(fake.registered).toEqual([])
    expect(result.outputs['task-definition-arn']).toBeUndefined()
  })

  it('names the IAM action, the principal and iam:PassRole on the roles when access is denied', async () => {
    fake.fault('ECS.RegisterTaskDefinition', { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(1)
    const [error] = errorLines(result)
    expect(error).toContain(`AWS denied ecs:RegisterTaskDefinition to ${PRINCIPAL}`)
    expect(error).toContain(`Grant ecs:RegisterTaskDefinition to the role this workflow uses`)
    expect(error).toContain(`iam:PassRole on ${TASK_ROLE} and ${EXECUTION_ROLE}`)
    // Access denied is not retried.
    expect(targets(fake).filter(t => t === 'ECS.RegisterTaskDefinition')).toHaveLength(1)
    expect(fake.registered).toEqual([])
  })

  it('stops a request that never answers well before the job timeout, naming the endpoint and region', async () => {
    fake.fault('ECS.RegisterTaskDefinition', ...Array(3).fill({ kind: 'hang' }))
    const result = await runAction(inputs(), { fake, env: { AWS_REGION: 'eu-west-3' }, timeoutMs: 110_000 })
    expect(result.timedOut).toBe(false)
    expect(result.code).toBe(1)
    expect(result.elapsedMs).toBeLessThan(90_000)
    expect(errorLines(result)).toEqual([
      expect.stringContaining(
        `${fake.url} (region eu-west-3) did not answer ecs:RegisterTaskDefinition in time after 3 attempts`
      )
    ])
    expect(fake.registered).toEqual([])
  }, 120_000)

  it.each([
    ['the secret lookup', {}, 'ssm:DescribeParameters'],
    ['the registration', { 'verify-secret': 'false' }, 'ecs:RegisterTaskDefinition']
  ])('names the endpoint when the connection is refused (%s)', async (_what, extra, action) => {
    const result = await runAction(inputs(extra)) // no fake: AWS_ENDPOINT_URL is http://127.0.0.1:9
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringContaining(`Could not reach http://127.0.0.1:9 (region us-east-1) for ${action}: ECONNREFUSED.`)
    ])
  })
})

describe('verify-secret: by metadata only, exactly the calls needed', () => {
  it('looks the SSM parameter up once, then registers; a dry run without a region calls nothing', async () => {
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
    expect(fake.calls[0]!.body.ParameterFilters).toEqual([{ Key: 'Name', Option: 'Equals', Values: [PARAMETER] }])
    fake.calls.length = 0
    const dry = await runAction(inputs({ register: 'false' }), { fake, env: NO_REGION })
    expect(dry.code).toBe(0)
    expect(dry.outputs['task-definition-arn']).toBe('')
    expect(fake.calls).toEqual([])
  })

  it('fails on a missing SSM parameter, before any ECS call', async () => {
    const result = await runAction(inputs({ 'api-key-secret': '/prod/datadog/api-kye' }), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringContaining('The SSM parameter "/prod/datadog/api-kye" (api-key-secret) does not exist in us-east-1.')
    ])
    expect(targets(fake)).toEqual(['SSM.DescribeParameters'])
    expect(fake.registered).toEqual([])
  })

  it('only warns when the role may not call ssm:DescribeParameters, and registers', async () => {
    fake.fault('SSM.DescribeParameters', { kind: 'accessDenied' })
    const result = await runAction(inputs(), { fake })
    expect(result.code).toBe(0)
    expect(warningLines(result)).toEqual([
      expect.stringMatching(/^::warning title=Secret not verified::.*may not call ssm:DescribeParameters/)
    ])
    expect(errorLines(result)).toEqual([])
    expect(targets(fake)).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
    expect(fake.registered).toHaveLength(1)
    expect(result.outputs['task-definition-arn']).toMatch(/task-definition\/web:1$/)
  })

  it('describes a Secrets Manager secret by its ARN and never reads its value', async () => {
    const result = await runAction(inputs({ 'api-key-secret': SECRET_ARN }), { fake })
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual(['SecretsManager.DescribeSecret', 'ECS.RegisterTaskDefinition'])
    expect(fake.calls[0]!.body).toEqual({ SecretId: SECRET_ARN })
    expect(targets(fake)).not.toContain('SecretsManager.GetSecretValue')
  })

  it('fails on a missing Secrets Manager secret, before any ECS call', async () => {
    const missing = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog/other-Z9y8X7'
    const result = await runAction(inputs({ 'api-key-secret': missing }), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([expect.stringContaining(`secret ${missing} (api-key-secret) does not exist`)])
    expect(targets(fake)).toEqual(['SecretsManager.DescribeSecret'])
  })

  it('makes no lookup with verify-secret: false', async () => {
    const result = await runAction(inputs({ 'verify-secret': 'false' }), { fake })
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual(['ECS.RegisterTaskDefinition'])
  })
})

describe('validate-api-key', () => {
  // One fake plays every Datadog site: /<domain>/api/v1/validate accepts the keys of that domain only.
  let sites: FakeAws
  const withHome = async (domain: string): Promise<void> => {
    sites = await startFakeAws({ validKeysByDomain: { [domain]: [KEY] } })
  }
  const template = (): string => `${sites.url}/{domain}`
  afterEach(async () => {
    await sites?.close()
  })

  it('accepts a key valid on AP1, masking it before it could be printed and printing it nowhere else', async () => {
    await withHome('ap1.datadoghq.com')
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: template() }
    })
    expect(result.code).toBe(0)
    expect(targets(fake)).toEqual(['SSM.DescribeParameters', 'SSM.GetParameter', 'ECS.RegisterTaskDefinition'])
    expect(fake.calls[1]!.body).toEqual({ Name: PARAMETER, WithDecryption: true })
    expect(sites.calls.map(c => [c.domain, c.headers['dd-api-key']])).toEqual([['ap1.datadoghq.com', KEY]])

    const out = lines(result)
    const mask = out.indexOf(`::add-mask::${KEY}`)
    expect(mask).toBeGreaterThanOrEqual(0)
    // Masked before the check reports and before the registration, i.e. before anything derived from the key.
    expect(mask).toBeLessThan(out.findIndex(l => l.startsWith('API key check: the key is valid on AP1')))
    expect(mask).toBeLessThan(out.findIndex(l => l.startsWith('Registered arn:aws:ecs:')))
    expect(out.filter((l, i) => i !== mask && l.includes(KEY))).toEqual([])
    expect(result.stderr).not.toContain(KEY)
    expect(result.summary).not.toContain(KEY)
    expect(JSON.stringify(result.outputs)).not.toContain(KEY)
    expect(readFileSync(result.outputs['task-definition']!, 'utf8')).not.toContain(KEY)
    expect(JSON.stringify(fake.registered)).not.toContain(KEY)
  })

  it('names the site a key belongs to, and registers nothing', async () => {
    await withHome('datadoghq.eu')
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: template() }
    })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringMatching(/belongs to EU1 \(datadoghq\.eu\), not to AP1: .*Set site: EU1\./)
    ])
    // AP1 first; only after its 403 are the other sites asked, each once.
    const asked = sites.calls.map(c => c.domain)
    expect(asked[0]).toBe('ap1.datadoghq.com')
    expect([...asked].sort()).toEqual([...SITE_DOMAINS].sort())
    expect(targets(fake)).not.toContain('ECS.RegisterTaskDefinition')
    expect(fake.registered).toEqual([])
    expect(result.stdout.split(`::add-mask::${KEY}`).join('')).not.toContain(KEY)
  })

  it('refuses a key no site accepts', async () => {
    await withHome('not-a-site.example')
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: template() }
    })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringContaining('Datadog rejected the API key on AP1 (HTTP 403), and no other site accepts it.')
    ])
    expect(sites.calls).toHaveLength(SITE_DOMAINS.length)
    expect(fake.registered).toEqual([])
  })

  it.each([
    ['is down', () => 'http://127.0.0.1:9/{domain}', 'http://127.0.0.1:9/ap1.datadoghq.com (no answer)'],
    [
      'answers 500',
      () => {
        sites.fault('Datadog.validate', { kind: 'serverError' })
        return template()
      },
      '/ap1.datadoghq.com (HTTP 500)'
    ]
  ])('warns and registers when the validate endpoint %s', async (_what, url, reason) => {
    await withHome('ap1.datadoghq.com')
    const result = await runAction(inputs({ 'validate-api-key': 'true' }), {
      fake,
      env: { DATADOG_FIRELENS_API_URL_TEMPLATE: url() }
    })
    expect(result.code).toBe(0)
    expect(warningLines(result)).toEqual([
      expect.stringMatching(
        new RegExp(`^::warning title=API key not validated::Could not validate the API key with .*`)
      )
    ])
    expect(warningLines(result)[0]).toContain(`${reason}; going on without the check.`)
    expect(fake.registered).toHaveLength(1)
  })
})

describe('checks that need no network', () => {
  it('warns about keys ECS would silently drop, with path, suggestion and file; a dry run (no region) still succeeds', async () => {
    const file = edited(td => {
      const web = td.containerDefinitions[0]
      web.Secrets = [{ name: 'DB_PASSWORD', valueFrom: '/prod/db/password' }]
      web.logconfiguration = web.logConfiguration
      delete web.logConfiguration
    })
    const result = await runAction(inputs({ 'task-definition': file, register: 'false' }), { fake, env: NO_REGION })
    expect(result.code).toBe(0)
    // Each on the line of its key in the file.
    const text = readFileSync(file, 'utf8').split('\n')
    const at = (key: string): string => {
      const line = text.findIndex(l => l.includes(`"${key}"`))
      return `line=${line + 1},col=${text[line]!.indexOf(`"${key}"`) + 1}`
    }
    const annotation = (key: string): string => `::warning title=Unknown task definition key,file=${file},${at(key)}::`
    const drop = 'is not a field ECS knows and would be silently dropped'
    expect(warningLines(result)).toEqual(
      expect.arrayContaining([
        `${annotation('Secrets')}containerDefinitions[web].Secrets ${drop}; did you mean "secrets"?`,
        `${annotation('logconfiguration')}containerDefinitions[web].logconfiguration ${drop}; did you mean "logConfiguration"?`
      ])
    )
    expect(errorLines(result)).toEqual([])
    expect(fake.calls).toEqual([])
  })

  it.each([
    ['a newline in service', { service: 'web\n[OUTPUT]\n    Name stdout' }, 'service', '000A'],
    ['a tab in tags', { tags: 'env:prod,team:we\tb' }, 'tags', '0009']
  ])('refuses %s, naming the input, with nothing registered', async (_what, extra, input, code) => {
    const result = await runAction(inputs(extra), { fake })
    expect(result.code).toBe(1)
    expect(errorLines(result)).toEqual([
      expect.stringContaining(`Input \`${input}\` contains a control character (U+${code}).`)
    ])
    expect(fake.calls).toEqual([])
    expect(fake.registered).toEqual([])
  })

  it.each([
    [
      'a Windows task',
      (td: Json) =>
        (td.runtimePlatform = { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE', cpuArchitecture: 'X86_64' }),
      /runs on WINDOWS_SERVER_2022_CORE; FireLens runs only on Linux tasks\./
    ],
    [
      'a missing executionRoleArn',
      (td: Json) => delete td.executionRoleArn,
      /has no executionRoleArn.*Add "executionRoleArn".*ssm:GetParameters/
    ],
    [
      'a Fargate task its containers do not fit',
      (td: Json) => (td.containerDefinitions[0].memory = 1100),
      /reserve 1100 MiB \(web memory 1100\), more than the task's memory of 1024 MiB\..*Raise the task-level "memory"/
    ]
  ])('refuses %s before any AWS call', async (_what, edit, message) => {
    const file = edited(edit)
    const result = await runAction(inputs({ 'task-definition': file }), { fake })
    expect(result.code).toBe(1)
    const errors = errorLines(result)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`file=${file}`)
    expect(errors[0]).toMatch(message)
    expect(fake.calls).toEqual([])
    expect(fake.registered).toEqual([])
  })
})
