// The Datadog Agent sidecar through the bundle (dist/index.js), as a runner runs it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { FIXED_SHA, NO_REGION } from '../../__fixtures__/action-env.mjs'
import { startFakeAws } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

interface Container {
  name: string
  image?: string
  essential?: boolean
  memoryReservation?: number
  environment?: { name: string; value: string }[]
  secrets?: { name: string; valueFrom: string }[]
  dockerLabels?: Record<string, string>
  healthCheck?: { command?: string[] }
  logConfiguration?: { logDriver?: string; options?: Record<string, string> }
  firelensConfiguration?: { type?: string; options?: Record<string, string> }
}
interface Patched {
  family: string
  memory: string
  containerDefinitions: Container[]
}

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': '/prod/DATADOG_API_KEY',
  register: 'false',
  agent: 'true',
  env: 'prod',
  version: '1.2.3',
  'parse-json': 'true',
  // The role checks have their own tests (roles.test.ts); this fake has no IAM roles.
  'verify-roles': 'false',
  ...extra
})
// A dry run without a region is the offline demo: no AWS check runs (with a region they do, see roles.test.ts).
const offline = { env: NO_REGION }
const outputText = (result: RunActionResult): string => readFileSync(result.outputs['task-definition']!, 'utf8')
const patched = (result: RunActionResult): Patched => JSON.parse(outputText(result)) as Patched
const byName = (td: Patched): Record<string, Container> =>
  Object.fromEntries(td.containerDefinitions.map(c => [c.name, c]))
const env = (c: Container | undefined): Record<string, string> =>
  Object.fromEntries((c?.environment ?? []).map(e => [e.name, e.value]))
const failure = (result: RunActionResult): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`

describe('agent: true in a dry run of fargate-web.json', () => {
  it('adds the agent and the router with the parse-json config, tags web, and exits 0', async () => {
    const result = await runAction(inputs(), offline)
    expect({ code: result.code, out: result.code === 0 ? '' : failure(result) }).toEqual({ code: 0, out: '' })
    expect(result.outputs['task-definition-arn']).toBe('')

    const td = patched(result)
    // 1024 MiB Fargate task: web reserves nothing, router 50 + agent 256 fit.
    expect(td.memory).toBe('1024')
    const { web, 'log-router': router, 'datadog-agent': agent } = byName(td)
    expect(
      td.containerDefinitions.filter(c => c.name === 'datadog-agent' || /datadog(hq)?\/agent/.test(c.image ?? ''))
    ).toHaveLength(1)

    expect(agent).toMatchObject({ essential: false, memoryReservation: 256 })
    expect(agent?.image).toMatch(/^public\.ecr\.aws\/datadog\/agent:7\.\d+\.\d+$/)
    expect(agent?.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    expect(env(agent)).toEqual({
      DD_SITE: 'ap1.datadoghq.com',
      ECS_FARGATE: 'true',
      DD_APM_ENABLED: 'true',
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
      DD_ENV: 'prod',
      DD_SERVICE: 'web',
      DD_VERSION: '1.2.3'
    })
    expect(agent?.healthCheck?.command).toEqual(['CMD-SHELL', 'agent health'])
    expect(agent?.logConfiguration?.logDriver).toBe('awsfirelens')
    expect(agent?.logConfiguration?.options?.dd_service).toBe('datadog-agent')

    expect(router?.firelensConfiguration).toEqual({
      type: 'fluentbit',
      options: {
        'enable-ecs-log-metadata': 'true',
        'config-file-type': 'file',
        'config-file-value': '/fluent-bit/configs/parse-json.conf'
      }
    })

    expect(env(web)).toMatchObject({
      LOG_FORMAT: 'json',
      DD_SERVICE: 'web',
      DD_ENV: 'prod',
      DD_VERSION: '1.2.3',
      DD_GIT_REPOSITORY_URL: 'https://github.com/acme/shop',
      DD_GIT_COMMIT_SHA: FIXED_SHA
    })
    expect(web?.dockerLabels).toEqual({
      'com.datadoghq.tags.service': 'web',
      'com.datadoghq.tags.env': 'prod',
      'com.datadoghq.tags.version': '1.2.3'
    })
    expect(web?.logConfiguration?.options?.dd_tags).toBe(
      `env:prod,version:1.2.3,git.commit.sha:${FIXED_SHA},git.repository_url:https://github.com/acme/shop`
    )

    expect(result.summary).toMatch(/^\| `datadog-agent` \| agent added \| image public\.ecr\.aws\/datadog\/agent:7\./m)
    expect(result.summary).toContain('dry run: not registered')
  })

  it('gives byte-identical output when run again on its own output, and reports the agent reused', async () => {
    const first = await runAction(inputs(), offline)
    expect(first.code).toBe(0)
    const second = await runAction(inputs({ 'task-definition': first.outputs['task-definition']! }), offline)
    expect(second.code).toBe(0)
    expect(outputText(second)).toBe(outputText(first))
    expect(second.summary).toMatch(/\| `datadog-agent` \| agent reused \| .*nothing to change/)
  })

  it('with git-metadata: false has no DD_GIT_* variables and no git.* tags anywhere', async () => {
    const result = await runAction(inputs({ 'git-metadata': 'false' }), offline)
    expect(result.code).toBe(0)
    const text = outputText(result)
    expect(text).not.toMatch(/DD_GIT_|git\.commit\.sha|git\.repository_url/)
    expect(text).not.toContain(FIXED_SHA)
    expect(byName(patched(result)).web?.logConfiguration?.options?.dd_tags).toBe('env:prod,version:1.2.3')
  })

  it('refuses an agent-memory that does not fit, with the numbers, and writes no definition', async () => {
    const result = await runAction(inputs({ 'agent-memory': '1000' }))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /agent-memory` reserves 1000 MiB for datadog-agent, which does not fit: the task's memory is 1024 MiB and its containers already reserve 50 MiB \(log-router memoryReservation 50\), so 1050 MiB would be needed/
    )
    expect(result.stdout).toContain('::error title=Datadog FireLens')
    expect(result.outputs['task-definition']).toBeUndefined()
  })
})

describe('agent: true when registering', () => {
  it('registers a definition whose agent reads DD_API_KEY from the SSM parameter', async () => {
    const fake = await startFakeAws({ parameters: { '/prod/DATADOG_API_KEY': 'x' } })
    try {
      const result = await runAction(inputs({ register: 'true' }), { fake })
      expect({ code: result.code, out: result.code === 0 ? '' : failure(result) }).toEqual({ code: 0, out: '' })
      expect(fake.registered).toHaveLength(1)
      const registered = fake.registered[0] as Patched
      const agent = registered.containerDefinitions.find(c => c.name === 'datadog-agent')
      expect(agent?.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
      expect(env(agent)).not.toHaveProperty('DD_API_KEY')
      expect(registered).toEqual(patched(result))
      expect(result.outputs['task-definition-arn']).toBe('arn:aws:ecs:us-east-1:111122223333:task-definition/web:1')
      expect(result.summary).toContain('| `datadog-agent` | agent added |')
      expect(JSON.stringify(fake.registered)).not.toContain('"x"')
    } finally {
      await fake.close()
    }
  })
})
