import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../__fixtures__/patch-config.js'
import { userErrorText } from '../__fixtures__/user-error.js'
import { patchTaskDefinition } from '../src/firelens.js'
import { DEFAULT_AGENT_IMAGE } from '../src/inputs.js'
import { preflight } from '../src/preflight.js'
import { serializeTaskDefinition, type ContainerDefinition, type TaskDefinition } from '../src/task-definition.js'

const withAgent = patchConfig({ agent: { memory: 256 }, env: 'prod', version: '1.2.3', service: 'checkout' })
const agentOf = (td: TaskDefinition): ContainerDefinition => {
  const agents = td.containerDefinitions.filter(
    c => c.name === 'datadog-agent' || /datadog(hq)?\/agent/.test(c.image ?? '')
  )
  expect(agents).toHaveLength(1)
  return agents[0]!
}
const env = (c: ContainerDefinition): Record<string, string | undefined> =>
  Object.fromEntries((c.environment ?? []).map(e => [e.name, e.value]))

describe('the Datadog Agent sidecar', () => {
  it('is added with a pinned 7.x image, not essential, with the key from the secret and the site', () => {
    const agent = agentOf(patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), withAgent).taskDefinition)
    expect(DEFAULT_AGENT_IMAGE).toMatch(/^public\.ecr\.aws\/datadog\/agent:7\.\d+\.\d+$/)
    expect(agent).toMatchObject({
      name: 'datadog-agent',
      image: DEFAULT_AGENT_IMAGE,
      essential: false,
      memoryReservation: 256
    })
    expect(agent.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    expect(env(agent)).toEqual({
      DD_SITE: 'ap1.datadoghq.com',
      ECS_FARGATE: 'true',
      DD_APM_ENABLED: 'true',
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
      DD_ENV: 'prod',
      DD_SERVICE: 'checkout',
      DD_VERSION: '1.2.3'
    })
    expect(agent.healthCheck).toMatchObject({ command: ['CMD-SHELL', 'agent health'] })
  })

  it('sends its own logs through the log router as datadog-agent', () => {
    const agent = agentOf(patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), withAgent).taskDefinition)
    expect(agent.logConfiguration?.logDriver).toBe('awsfirelens')
    expect(agent.logConfiguration?.options).toMatchObject({ dd_service: 'datadog-agent', dd_source: 'datadog-agent' })
  })

  it('has no ECS_FARGATE on an EC2 task', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.requiresCompatibilities = ['EC2']
    expect(env(agentOf(patchTaskDefinition(td, withAgent).taskDefinition))).not.toHaveProperty('ECS_FARGATE')
  })

  it.each([
    ['by name', { name: 'datadog-agent', image: 'datadog/agent:7.85.0' }],
    ['by a Docker Hub image', { name: 'dd', image: 'datadog/agent:7.85.0' }],
    ['by a GCR image', { name: 'dd', image: 'gcr.io/datadoghq/agent:7.85.0' }]
  ])('reuses an existing agent found %s, keeping its image and health check', (_how, existing) => {
    const td = exampleTaskDefinition('fargate-web.json')
    const healthCheck = { command: ['CMD-SHELL', 'agent status'], interval: 30 }
    td.containerDefinitions.push({
      ...existing,
      healthCheck,
      environment: [{ name: 'DD_API_KEY', value: 'feedfacefeedfacefeedfacefeedface' }]
    })
    const { taskDefinition, warnings, changes } = patchTaskDefinition(td, withAgent)
    const agent = agentOf(taskDefinition)
    expect(agent.image).toBe(existing.image)
    expect(agent.healthCheck).toEqual(healthCheck)
    expect(env(agent).DD_API_KEY).toBeUndefined()
    expect(agent.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    expect(warnings.join()).toMatch(/DD_API_KEY was set in clear text/)
    expect(warnings.join()).not.toContain('feedface')
    expect(changes).toContainEqual(expect.objectContaining({ container: existing.name, action: 'agent reused' }))
  })

  it('changes an existing agent image only when agent-image is given', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions.push({ name: 'datadog-agent', image: 'datadog/agent:7.85.0' })
    const image = 'public.ecr.aws/datadog/agent:7.86.0'
    expect(agentOf(patchTaskDefinition(td, patchConfig({ agent: { memory: 256, image } })).taskDefinition).image).toBe(
      image
    )
  })

  it('counts in the Fargate memory check', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.memory = '512'
    td.containerDefinitions[0]!.memoryReservation = 300
    const patched = patchTaskDefinition(td, withAgent).taskDefinition
    expect(userErrorText(() => preflight(patched, 'td.json'))).toContain(
      'reserve 606 MiB (web 300, log-router 50, datadog-agent 256)'
    )
  })
})

describe('properties with the agent on', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/)
  const taskDefinitionArb = fc
    .record({
      names: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }),
      // Unique: a user's own duplicates of a variable the action does not set are theirs to keep.
      envNames: fc.uniqueArray(fc.constantFrom('DD_ENV', 'DD_SERVICE', 'DD_VERSION', 'APP', 'DD_GIT_COMMIT_SHA'), {
        maxLength: 4
      }),
      fargate: fc.boolean(),
      existingAgent: fc.boolean()
    })
    .map(({ names, envNames, fargate, existingAgent }) => {
      const containerDefinitions: ContainerDefinition[] = names
        .filter(n => n !== 'log-router' && n !== 'datadog-agent')
        .map(n => ({ name: n, image: `${n}:1`, environment: envNames.map(e => ({ name: e, value: 'x' })) }))
      if (containerDefinitions.length === 0) containerDefinitions.push({ name: 'app', image: 'app:1' })
      if (existingAgent)
        containerDefinitions.push({
          name: 'dd',
          image: 'datadog/agent:7.85.0',
          environment: [{ name: 'DD_SITE', value: 'datadoghq.com' }]
        })
      const td: TaskDefinition = { family: 'f', executionRoleArn: 'arn:aws:iam::1:role/x', containerDefinitions }
      if (fargate) td.requiresCompatibilities = ['FARGATE']
      return td
    })
  const configArb = fc.record({
    env: fc.option(name, { nil: undefined }),
    version: fc.option(name, { nil: undefined }),
    git: fc.option(fc.constant({ repositoryUrl: 'https://github.com/acme/shop', commitSha: 'a'.repeat(40) }), {
      nil: undefined
    })
  })

  it('there is exactly one agent, no environment variable is set twice, and a second run changes nothing', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, c) => {
        const config = patchConfig({ ...c, agent: { memory: 256 } })
        const once = patchTaskDefinition(td, config).taskDefinition
        agentOf(once)
        for (const container of once.containerDefinitions) {
          const owned = (container.environment ?? [])
            .map(e => e.name)
            .filter(n => n?.startsWith('DD_') || n === 'ECS_FARGATE')
          expect(new Set(owned).size).toBe(owned.length)
          expect(
            Object.keys(container.dockerLabels ?? {}).filter(k => k.startsWith('com.datadoghq.tags.')).length
          ).toBeLessThanOrEqual(3)
        }
        const twice = patchTaskDefinition(
          JSON.parse(serializeTaskDefinition(once)) as TaskDefinition,
          config
        ).taskDefinition
        expect(serializeTaskDefinition(twice)).toBe(serializeTaskDefinition(once))
      })
    )
  })
})
