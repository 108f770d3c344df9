// Unified service tagging, git metadata, the Agent sidecar and JSON parsing, through the bundle.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { FIXED_SHA } from '../../__fixtures__/action-env.mjs'
import { startFakeAws } from '../../__fixtures__/fake-aws.mjs'
import { exampleTaskDefinition, runAction, type RunActionResult } from './run-action.js'

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'us3',
  'api-key-secret': '/prod/DATADOG_API_KEY',
  register: 'false',
  agent: 'true',
  env: 'prod',
  version: '1.2.3',
  'parse-json': 'true',
  ...extra
})
interface Container {
  name: string
  environment?: { name: string; value: string }[]
  dockerLabels?: Record<string, string>
  secrets?: { name: string; valueFrom: string }[]
  logConfiguration?: { options?: Record<string, string> }
  firelensConfiguration?: { options?: Record<string, string> }
}
const containers = (result: RunActionResult): Record<string, Container> => {
  const td = JSON.parse(readFileSync(result.outputs['task-definition']!, 'utf8')) as {
    containerDefinitions: Container[]
  }
  return Object.fromEntries(td.containerDefinitions.map(c => [c.name, c]))
}
const env = (c: Container | undefined): Record<string, string> =>
  Object.fromEntries((c?.environment ?? []).map(e => [e.name, e.value]))

describe('beyond logs', () => {
  it('adds the agent, JSON parsing, unified service tags and git metadata, and a second run changes nothing', async () => {
    const first = await runAction(inputs())
    expect(first.code).toBe(0)
    const { web, 'log-router': router, 'datadog-agent': agent } = containers(first)
    expect(router?.firelensConfiguration?.options).toMatchObject({
      'config-file-type': 'file',
      'config-file-value': '/fluent-bit/configs/parse-json.conf'
    })
    expect(env(agent)).toMatchObject({
      DD_SITE: 'us3.datadoghq.com',
      ECS_FARGATE: 'true',
      DD_ENV: 'prod',
      DD_VERSION: '1.2.3',
      DD_SERVICE: 'web'
    })
    expect(env(web)).toMatchObject({
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
    expect(first.summary).toMatch(/\| `datadog-agent` \| agent added \|/)

    const second = await runAction(inputs({ 'task-definition': first.outputs['task-definition']! }))
    expect(second.code).toBe(0)
    expect(readFileSync(second.outputs['task-definition']!, 'utf8')).toBe(
      readFileSync(first.outputs['task-definition']!, 'utf8')
    )
  })

  it('leaves out the git metadata with git-metadata: false', async () => {
    const result = await runAction(inputs({ 'git-metadata': 'false' }))
    expect(result.code).toBe(0)
    const { web } = containers(result)
    expect(Object.keys(env(web)).filter(n => n.startsWith('DD_GIT_'))).toEqual([])
    expect(web?.logConfiguration?.options?.dd_tags).toBe('env:prod,version:1.2.3')
  })

  it('registers the agent with the API key from the secret', async () => {
    const fake = await startFakeAws({ parameters: { '/prod/DATADOG_API_KEY': 'k' } })
    try {
      const result = await runAction(inputs({ register: 'true' }), { fake })
      expect(result.code).toBe(0)
      const agent = (fake.registered[0].containerDefinitions as Container[]).find(c => c.name === 'datadog-agent')
      expect(agent?.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    } finally {
      await fake.close()
    }
  })
})
