import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { isAgentContainer } from '../../../src/core/patch/agent.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { DEFAULT_AGENT_IMAGE } from '../../../src/core/images.js'
import type { PatchConfig } from '../../../src/core/patch/config.js'
import { preflight } from '../../../src/core/checks/preflight.js'
import { resolveSite } from '../../../src/core/sites.js'
import {
  serializeTaskDefinition,
  type ContainerDefinition,
  type TaskDefinition
} from '../../../src/core/definition/task-definition.js'

const KEY = 'feedfacefeedfacefeedfacefeedface'
const agentOn = (overrides: Partial<PatchConfig> = {}): PatchConfig =>
  patchConfig({ agent: { memory: 256 }, ...overrides })
const web = (): TaskDefinition => exampleTaskDefinition('fargate-web.json')
const agents = (td: TaskDefinition): ContainerDefinition[] => td.containerDefinitions.filter(isAgentContainer)
const theAgent = (td: TaskDefinition): ContainerDefinition => {
  const found = agents(td)
  expect(found).toHaveLength(1)
  return found[0]!
}
const byName = (td: TaskDefinition, name: string): ContainerDefinition => {
  const found = td.containerDefinitions.find(c => c.name === name)
  if (!found) throw new Error(`no container ${name}`)
  return found
}
const envOf = (c: ContainerDefinition): Record<string, string | undefined> =>
  Object.fromEntries((c.environment ?? []).map(e => [e.name, e.value]))

describe('a new Datadog Agent sidecar', () => {
  it('runs the pinned default image: a full 7.x.y version from public ECR, never latest or a bare 7', () => {
    expect(DEFAULT_AGENT_IMAGE).toMatch(/^public\.ecr\.aws\/datadog\/agent:7\.\d+\.\d+$/)
    expect(DEFAULT_AGENT_IMAGE).not.toMatch(/:(latest|7)$/)
    const agent = theAgent(patchTaskDefinition(web(), agentOn()).taskDefinition)
    expect(agent.name).toBe('datadog-agent')
    expect(agent.image).toBe(DEFAULT_AGENT_IMAGE)
  })

  it('is not essential and reserves agent-memory', () => {
    const agent = theAgent(patchTaskDefinition(web(), agentOn({ agent: { memory: 384 } })).taskDefinition)
    expect(agent.essential).toBe(false)
    expect(agent.memoryReservation).toBe(384)
  })

  it('reads DD_API_KEY from the api-key-secret through secrets, never from its environment', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:dd-AbCdEf'
    for (const apiKeySecret of [
      patchConfig().apiKeySecret,
      { kind: 'secretsmanager' as const, value: arn, secretId: arn, region: 'us-east-1' }
    ]) {
      const agent = theAgent(patchTaskDefinition(web(), agentOn({ apiKeySecret })).taskDefinition)
      expect(agent.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: apiKeySecret.value }])
      expect(envOf(agent)).not.toHaveProperty('DD_API_KEY')
    }
  })

  it('gets DD_SITE (the domain), APM and DogStatsD on, and ECS_FARGATE on a Fargate task', () => {
    const agent = theAgent(patchTaskDefinition(web(), agentOn({ site: resolveSite('eu1') })).taskDefinition)
    expect(envOf(agent)).toMatchObject({
      DD_SITE: 'datadoghq.eu',
      ECS_FARGATE: 'true',
      DD_APM_ENABLED: 'true',
      DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
      DD_SERVICE: 'web'
    })
  })

  it.each([
    ['EC2 only', ['EC2']],
    ['no requiresCompatibilities', undefined]
  ])('has no ECS_FARGATE on a task that is not Fargate (%s)', (_what, compat) => {
    const td = web()
    if (compat) td.requiresCompatibilities = compat
    else delete td.requiresCompatibilities
    delete td.memory
    expect(envOf(theAgent(patchTaskDefinition(td, agentOn()).taskDefinition))).not.toHaveProperty('ECS_FARGATE')
  })

  it('sets ECS_FARGATE on a task compatible with both EC2 and Fargate', () => {
    const td = web()
    td.requiresCompatibilities = ['EC2', 'FARGATE']
    expect(envOf(theAgent(patchTaskDefinition(td, agentOn()).taskDefinition)).ECS_FARGATE).toBe('true')
  })

  it('gets DD_ENV and DD_VERSION only when env and version are given', () => {
    const without = envOf(theAgent(patchTaskDefinition(web(), agentOn()).taskDefinition))
    expect(without).not.toHaveProperty('DD_ENV')
    expect(without).not.toHaveProperty('DD_VERSION')
    const withTags = envOf(
      theAgent(patchTaskDefinition(web(), agentOn({ env: 'prod', version: '1.2.3' })).taskDefinition)
    )
    expect(withTags).toMatchObject({ DD_ENV: 'prod', DD_VERSION: '1.2.3' })
  })

  it('has the `agent health` health check', () => {
    const agent = theAgent(patchTaskDefinition(web(), agentOn()).taskDefinition)
    expect(agent.healthCheck).toMatchObject({ command: ['CMD-SHELL', 'agent health'] })
    expect(agent.healthCheck).toHaveProperty('interval')
    expect(agent.healthCheck).toHaveProperty('retries')
  })

  it('sends its own logs through the router as dd_service datadog-agent, with the key from secretOptions', () => {
    const { taskDefinition, changes } = patchTaskDefinition(web(), agentOn({ service: 'checkout', source: 'python' }))
    const log = theAgent(taskDefinition).logConfiguration!
    expect(log.logDriver).toBe('awsfirelens')
    expect(log.options).toMatchObject({ Name: 'datadog', Host: 'http-intake.logs.ap1.datadoghq.com', TLS: 'on' })
    expect(log.options!.dd_service).toBe('datadog-agent')
    expect(log.secretOptions).toEqual([{ name: 'apikey', valueFrom: '/prod/DATADOG_API_KEY' }])
    // One row for the agent, which says its logs are routed; the app keeps the service input.
    expect(changes.filter(c => c.container === 'datadog-agent')).toEqual([
      expect.objectContaining({ action: 'agent added', detail: expect.stringContaining('its own logs routed') })
    ])
    expect(byName(taskDefinition, 'web').logConfiguration!.options!.dd_service).toBe('checkout')
  })

  it('is not added without the agent input', () => {
    expect(agents(patchTaskDefinition(web(), patchConfig()).taskDefinition)).toEqual([])
  })

  it('does not modify the input task definition', () => {
    const td = web()
    const before = JSON.stringify(td)
    patchTaskDefinition(td, agentOn({ env: 'prod' }))
    expect(JSON.stringify(td)).toBe(before)
  })
})

describe('an existing Datadog Agent', () => {
  const ownHealthCheck = { command: ['CMD-SHELL', 'agent status'], interval: 30, timeout: 5, retries: 2 }
  const cases: [string, ContainerDefinition][] = [
    ['by name', { name: 'datadog-agent', image: 'my-registry.example.com/dd:7.85.0' }],
    ['by a datadog/agent image', { name: 'dd', image: 'datadog/agent:7.85.0' }],
    ['by a public ECR datadog/agent image', { name: 'dd', image: 'public.ecr.aws/datadog/agent:7.85.0' }],
    ['by a gcr.io/datadoghq/agent image', { name: 'sidecar', image: 'gcr.io/datadoghq/agent:7.85.0' }],
    ['by a digest-pinned image', { name: 'dd', image: 'datadog/agent@sha256:' + 'a'.repeat(64) }],
    [
      'by an ECR pull-through mirror',
      { name: 'dd', image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/datadog/agent:7.85.0' }
    ],
    ['by an Artifactory mirror of datadoghq/agent', { name: 'dd', image: 'acme.jfrog.io/remote/datadoghq/agent:7' }],
    [
      'by a private datadog-agent repository',
      { name: 'dd', image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/datadog-agent:7.85.0' }
    ]
  ]

  it.each(cases)('found %s is reused: exactly one agent, same image, own health check', (_how, existing) => {
    const td = web()
    td.containerDefinitions.push({ ...existing, healthCheck: ownHealthCheck })
    const { taskDefinition, changes } = patchTaskDefinition(td, agentOn())
    const agent = theAgent(taskDefinition)
    expect(agent.name).toBe(existing.name)
    expect(agent.image).toBe(existing.image)
    expect(agent.healthCheck).toEqual(ownHealthCheck)
    expect(taskDefinition.containerDefinitions.map(c => c.name)).toEqual(['web', existing.name, 'log-router'])
    expect(changes).toContainEqual(expect.objectContaining({ container: existing.name, action: 'agent reused' }))
    expect(changes.map(c => c.action)).not.toContain('agent added')
  })

  it('takes agent.image when it is given', () => {
    const td = web()
    td.containerDefinitions.push({ name: 'dd', image: 'datadog/agent:7.85.0' })
    const image = 'public.ecr.aws/datadog/agent:7.86.0'
    const agent = theAgent(patchTaskDefinition(td, agentOn({ agent: { memory: 256, image } })).taskDefinition)
    expect(agent.image).toBe(image)
  })

  it('is not mistaken for: another image that merely mentions datadog', () => {
    const td = web()
    td.containerDefinitions.push({ name: 'dd-proxy', image: 'acme/datadog-agent-proxy:1' })
    const { taskDefinition } = patchTaskDefinition(td, agentOn())
    expect(theAgent(taskDefinition).name).toBe('datadog-agent')
  })

  it('loses a clear-text DD_API_KEY from its environment, with a warning that does not repeat the key', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      environment: [
        { name: 'DD_API_KEY', value: KEY },
        { name: 'DD_TAGS', value: 'team:web' }
      ]
    })
    const { taskDefinition, warnings } = patchTaskDefinition(td, agentOn())
    const agent = theAgent(taskDefinition)
    expect(envOf(agent)).not.toHaveProperty('DD_API_KEY')
    expect(envOf(agent).DD_TAGS).toBe('team:web')
    expect(agent.secrets).toEqual([{ name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' }])
    expect(serializeTaskDefinition(taskDefinition)).not.toContain(KEY)
    expect(warnings.join('\n')).toMatch(/datadog-agent: DD_API_KEY was set in clear text/)
    expect(warnings.join('\n')).not.toContain(KEY)
    expect(warnings.join('\n')).not.toContain('feedface')
  })

  it('loses every clear-text DD_API_KEY, even one written twice', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      environment: [
        { name: 'DD_API_KEY', value: KEY },
        { name: 'DD_API_KEY', value: KEY }
      ]
    })
    const { taskDefinition, warnings } = patchTaskDefinition(td, agentOn())
    expect(serializeTaskDefinition(taskDefinition)).not.toContain(KEY)
    expect(warnings.filter(w => w.includes('DD_API_KEY'))).toHaveLength(1)
  })

  it('keeps its other secrets and replaces its own DD_API_KEY secret', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      secrets: [
        { name: 'DD_API_KEY', valueFrom: '/old/KEY' },
        { name: 'DD_APP_KEY', valueFrom: '/prod/APP_KEY' }
      ]
    })
    expect(theAgent(patchTaskDefinition(td, agentOn()).taskDefinition).secrets).toEqual([
      { name: 'DD_API_KEY', valueFrom: '/prod/DATADOG_API_KEY' },
      { name: 'DD_APP_KEY', valueFrom: '/prod/APP_KEY' }
    ])
  })

  it('gets its DD_SITE corrected in place, not added twice', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      environment: [{ name: 'DD_SITE', value: 'datadoghq.com' }]
    })
    const agent = theAgent(patchTaskDefinition(td, agentOn()).taskDefinition)
    expect(agent.environment!.filter(e => e.name === 'DD_SITE')).toEqual([
      { name: 'DD_SITE', value: 'ap1.datadoghq.com' }
    ])
  })
})

describe('what the Agent needs from the task', () => {
  it('refuses two Agents with agent: true, naming both', () => {
    const td = web()
    td.containerDefinitions.push(
      { name: 'datadog-agent', image: 'acme/dd:1' },
      { name: 'dd', image: 'gcr.io/datadoghq/agent:7' }
    )
    expect(userErrorText(() => patchTaskDefinition(td, agentOn()))).toMatch(
      /2 Datadog Agent containers \(datadog-agent, dd\)/
    )
  })

  it('warns about two Agents with agent: false, and changes neither', () => {
    const td = web()
    td.containerDefinitions.push(
      { name: 'datadog-agent', image: 'acme/dd:1' },
      { name: 'dd', image: 'gcr.io/datadoghq/agent:7' }
    )
    const { warnings } = patchTaskDefinition(td, patchConfig({ containers: ['web'] }))
    expect(warnings.join('\n')).toMatch(/2 Datadog Agent containers \(datadog-agent, dd\)/)
  })

  it.each([
    ['bridge', 'bridge', /"bridge".*cannot reach a sidecar Agent on localhost:8126.*localhost:8125/],
    ['host', 'host', /"host".*two tasks on one instance collide on those ports/],
    ['not set on an EC2 task', undefined, /not set \(ECS then uses bridge\).*cannot reach a sidecar Agent/]
  ])('refuses agent: true when networkMode is %s, pointing at a daemon service', (_what, networkMode, why) => {
    const td = web()
    td.requiresCompatibilities = ['EC2']
    if (networkMode) td.networkMode = networkMode
    else delete td.networkMode
    const text = userErrorText(() => patchTaskDefinition(td, agentOn()))
    expect(text).toMatch(why)
    expect(text).toMatch(/ECS daemon service/)
    expect(() => patchTaskDefinition(td, patchConfig())).not.toThrow()
  })

  it('accepts agent: true in awsvpc mode', () => {
    expect(() => patchTaskDefinition(web(), agentOn())).not.toThrow()
  })
})

describe("an existing Agent's site", () => {
  const withAgent = (environment: { name: string; value: string }[]): TaskDefinition => {
    const td = web()
    td.containerDefinitions.push({ name: 'dd', image: 'public.ecr.aws/datadog/agent:7.85.0', environment })
    return td
  }

  it('is corrected with agent: true, with a notice that names the old site', () => {
    const { taskDefinition, notices } = patchTaskDefinition(
      withAgent([{ name: 'DD_SITE', value: 'datadoghq.com' }]),
      agentOn()
    )
    expect(envOf(theAgent(taskDefinition)).DD_SITE).toBe('ap1.datadoghq.com')
    expect(notices).toEqual([
      expect.stringMatching(/^dd: the Agent's DD_SITE was "datadoghq\.com"; it is now ap1\.datadoghq\.com \(AP1\)/)
    ])
  })

  it('gets no notice when it already has the site', () => {
    expect(
      patchTaskDefinition(withAgent([{ name: 'DD_SITE', value: 'ap1.datadoghq.com' }]), agentOn()).notices
    ).toEqual([])
  })

  it.each([
    ['another site', [{ name: 'DD_SITE', value: 'datadoghq.eu' }], /has DD_SITE "datadoghq\.eu" \(EU1\)/],
    ['no DD_SITE (the US1 default)', [], /has no DD_SITE, so it sends to datadoghq\.com \(US1\)/],
    [
      'a value that is not a site domain',
      [{ name: 'DD_SITE', value: 'AP1' }],
      /has DD_SITE "AP1", which is not a Datadog site domain/
    ]
  ])('with agent: false is left alone, with a warning: %s', (_what, environment, is) => {
    const td = withAgent(environment)
    const { taskDefinition, warnings } = patchTaskDefinition(td, patchConfig())
    const agent = taskDefinition.containerDefinitions.find(c => c.name === 'dd')!
    expect(agent.environment).toEqual(environment)
    expect(warnings).toContainEqual(expect.stringMatching(is))
    expect(warnings.join('\n')).toMatch(/its metrics and traces go to that site/)
  })

  it('with agent: false and the right site, no warning', () => {
    const { warnings } = patchTaskDefinition(
      withAgent([{ name: 'DD_SITE', value: 'ap1.datadoghq.com' }]),
      patchConfig()
    )
    expect(warnings.filter(w => w.includes('DD_SITE'))).toEqual([])
  })
})

describe("an existing Agent's service", () => {
  it('keeps its DD_SERVICE without the service input, and takes the input when given', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      environment: [{ name: 'DD_SERVICE', value: 'shop-agent' }]
    })
    expect(envOf(theAgent(patchTaskDefinition(td, agentOn()).taskDefinition)).DD_SERVICE).toBe('shop-agent')
    expect(envOf(theAgent(patchTaskDefinition(td, agentOn({ service: 'checkout' })).taskDefinition)).DD_SERVICE).toBe(
      'checkout'
    )
  })

  it('keeps its own dd_service for its logs', () => {
    const td = web()
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'datadog/agent:7.85.0',
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', DD_Service: 'dd-sidecar' } }
    })
    const log = theAgent(patchTaskDefinition(td, agentOn({ service: 'checkout' })).taskDefinition).logConfiguration!
    expect(log.options!.DD_Service).toBe('dd-sidecar')
  })
})

describe('properties with the agent on', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/)
  const value = fc.stringMatching(/^[a-z0-9.]{1,8}$/)
  const ddEnvName = fc.constantFrom('DD_ENV', 'DD_SERVICE', 'DD_VERSION', 'DD_SITE', 'DD_GIT_COMMIT_SHA', 'APP_MODE')
  const labelName = fc.constantFrom('com.datadoghq.tags.env', 'com.datadoghq.tags.service', 'team')
  const logConfiguration = fc.oneof(
    fc.constant(undefined),
    fc.constant({ logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/x' } }),
    fc.record({
      logDriver: fc.constant('awsfirelens'),
      options: fc.record({
        Name: fc.constant('datadog'),
        Host: fc.constant('http-intake.logs.datadoghq.com'),
        dd_tags: fc.constantFrom('team:a', 'env:staging,team:a', '')
      })
    })
  )
  const appContainer = fc.record(
    {
      name,
      image: fc.constantFrom('app:1', 'nginx:1.27', 'acme/api:2'),
      environment: fc.uniqueArray(fc.record({ name: ddEnvName, value }), { selector: e => e.name, maxLength: 4 }),
      dockerLabels: fc.dictionary(labelName, value, { maxKeys: 2 }),
      logConfiguration,
      memoryReservation: fc.constantFrom(64, 128)
    },
    { requiredKeys: ['name', 'image'] }
  )
  const existingAgent = fc.option(
    fc.record({
      name: fc.constantFrom('datadog-agent', 'dd', 'agent'),
      image: fc.constantFrom('datadog/agent:7.85.0', 'gcr.io/datadoghq/agent:7', 'public.ecr.aws/datadog/agent:7.80.1'),
      environment: fc.uniqueArray(fc.record({ name: fc.constantFrom('DD_SITE', 'DD_API_KEY', 'DD_ENV'), value }), {
        selector: e => e.name,
        maxLength: 3
      })
    }),
    { nil: undefined }
  )
  const taskDefinitionArb = fc
    .record({
      apps: fc.uniqueArray(appContainer, { selector: c => c.name, minLength: 1, maxLength: 5 }),
      agent: existingAgent,
      router: fc.boolean(),
      compat: fc.constantFrom<string[] | undefined>(['FARGATE'], ['EC2'], ['EC2', 'FARGATE'], undefined)
    })
    .map(({ apps, agent, router, compat }) => {
      const containerDefinitions = apps.filter(
        a => !['log-router', 'datadog-agent', 'dd', 'agent', 'firelens'].includes(a.name)
      ) as ContainerDefinition[]
      if (containerDefinitions.length === 0) containerDefinitions.push({ name: 'app', image: 'app:1' })
      if (agent) containerDefinitions.push(agent)
      if (router)
        containerDefinitions.push({
          name: 'firelens',
          image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8',
          firelensConfiguration: { type: 'fluentbit' }
        })
      const td: TaskDefinition = {
        family: 'shop',
        executionRoleArn: 'arn:aws:iam::1:role/x',
        networkMode: 'awsvpc',
        containerDefinitions
      }
      if (compat) td.requiresCompatibilities = compat
      return structuredClone(td)
    })
  const configArb = fc
    .record({
      env: fc.option(value, { nil: undefined }),
      version: fc.option(value, { nil: undefined }),
      service: fc.option(name, { nil: undefined }),
      git: fc.option(fc.constant({ repositoryUrl: 'https://github.com/acme/shop', commitSha: 'b'.repeat(40) }), {
        nil: undefined
      }),
      parseJson: fc.boolean(),
      image: fc.option(fc.constant('public.ecr.aws/datadog/agent:7.86.0'), { nil: undefined })
    })
    .map(({ image, ...rest }) => agentOn({ ...rest, agent: { memory: 256, ...(image ? { image } : {}) } }))

  const UNIFIED = /^DD_(ENV|SERVICE|VERSION|GIT_REPOSITORY_URL|GIT_COMMIT_SHA)$/

  it('exactly one agent, unique env names, no duplicated tags, and a second run is byte-identical', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, config) => {
        const once = patchTaskDefinition(td, config).taskDefinition
        const agent = theAgent(once)
        const agentNames = (agent.environment ?? []).map(e => e.name)
        expect(new Set(agentNames).size).toBe(agentNames.length)
        expect(agentNames).not.toContain('DD_API_KEY')
        expect((agent.secrets ?? []).filter(s => s.name === 'DD_API_KEY')).toHaveLength(1)
        for (const container of once.containerDefinitions) {
          const unified = (container.environment ?? []).map(e => e.name ?? '').filter(n => UNIFIED.test(n))
          expect(new Set(unified).size).toBe(unified.length)
          const labels = Object.keys(container.dockerLabels ?? {}).filter(k => k.startsWith('com.datadoghq.tags.'))
          expect(new Set(labels.map(l => l.toLowerCase())).size).toBe(labels.length)
          const ddTags = container.logConfiguration?.options?.dd_tags
          if (ddTags) {
            const keys = ddTags.split(',').map(t => t.split(':')[0])
            expect(new Set(keys).size).toBe(keys.length)
          }
        }
        expect(once.containerDefinitions.filter(c => c.firelensConfiguration)).toHaveLength(1)
        const text = serializeTaskDefinition(once)
        const twice = patchTaskDefinition(JSON.parse(text) as TaskDefinition, config).taskDefinition
        expect(serializeTaskDefinition(twice)).toBe(text)
      }),
      { numRuns: 200 }
    )
  })
})

describe('the Fargate memory preflight', () => {
  it('counts the agent: a 512 MiB task with a 300 MiB app and router 50 adds the default agent without a reservation', () => {
    const td = web()
    td.memory = '512'
    byName(td, 'web').memoryReservation = 300
    const result = patchTaskDefinition(td, agentOn())
    expect(byName(result.taskDefinition, 'datadog-agent').memoryReservation).toBeUndefined()
    expect(byName(result.taskDefinition, 'log-router').memoryReservation).toBe(50)
    expect(result.warnings).toContainEqual(
      expect.stringContaining(
        "datadog-agent: added without a memoryReservation, sharing the task's memory: the task's memory is 512 MiB and its containers already reserve 350 MiB (web memoryReservation 300, log-router memoryReservation 50)"
      )
    )
    expect(() => preflight(result.taskDefinition, 'task-definition.json')).not.toThrow()
  })

  it('refuses an agent-memory the user set that does not fit, with the numbers and the nearest Fargate size', () => {
    const td = web()
    td.memory = '512'
    byName(td, 'web').memoryReservation = 300
    const text = userErrorText(() => patchTaskDefinition(td, agentOn({ agent: { memory: 256, memoryExplicit: true } })))
    expect(text).toContain(
      "Input `agent-memory` reserves 256 MiB for datadog-agent, which does not fit: the task's memory is 512 MiB and its containers already reserve 350 MiB (web memoryReservation 300, log-router memoryReservation 50), so 606 MiB would be needed."
    )
    expect(text).toContain('"memory": "1024" with "cpu": "256" or "512"')
  })

  it("never changes an existing agent's memory", () => {
    const td = web()
    td.memory = '512'
    td.containerDefinitions[0]!.memory = 512
    td.containerDefinitions.push({
      name: 'datadog-agent',
      image: 'public.ecr.aws/datadog/agent:7.84.2',
      memoryReservation: 64
    })
    const result = patchTaskDefinition(td, agentOn({ agent: { memory: 256, memoryExplicit: true } }))
    expect(byName(result.taskDefinition, 'datadog-agent').memoryReservation).toBe(64)
  })

  it('passes when the same task fits without the agent, and with a smaller agent', () => {
    const td = web()
    td.memory = '512'
    byName(td, 'web').memoryReservation = 300
    expect(() => preflight(patchTaskDefinition(td, patchConfig()).taskDefinition, 'td.json')).not.toThrow()
    expect(() =>
      preflight(patchTaskDefinition(td, agentOn({ agent: { memory: 128 } })).taskDefinition, 'td.json')
    ).not.toThrow()
  })
})
