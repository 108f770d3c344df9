import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { UserError } from '../../../src/core/errors.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { DEFAULT_LOG_ROUTER_IMAGE } from '../../../src/core/images.js'
import { SITES, intakeHost } from '../../../src/core/sites.js'
import type { ContainerDefinition, TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { serializeTaskDefinition } from '../../../src/core/definition/task-definition.js'

const web = (): TaskDefinition => exampleTaskDefinition('fargate-web.json')
const container = (td: TaskDefinition, name: string): ContainerDefinition => {
  const found = td.containerDefinitions.find(c => c.name === name)
  if (!found) throw new Error(`no container ${name}`)
  return found
}

describe('routing a container to Datadog', () => {
  it('gives an awslogs container the awsfirelens datadog output for the site, with the key from secretOptions', () => {
    const { taskDefinition } = patchTaskDefinition(
      web(),
      patchConfig({ source: 'python', tags: [{ key: 'team', value: 'web' }] })
    )
    expect(container(taskDefinition, 'web').logConfiguration).toEqual({
      logDriver: 'awsfirelens',
      options: {
        Name: 'datadog',
        Host: 'http-intake.logs.ap1.datadoghq.com',
        TLS: 'on',
        compress: 'gzip',
        provider: 'ecs',
        dd_message_key: 'log',
        dd_service: 'web',
        dd_source: 'python',
        dd_tags: 'team:web',
        retry_limit: '2'
      },
      secretOptions: [{ name: 'apikey', valueFrom: '/prod/DATADOG_API_KEY' }]
    })
  })

  it('reports a container that had another log driver as re-routed', () => {
    const { changes } = patchTaskDefinition(web(), patchConfig())
    expect(changes).toContainEqual(
      expect.objectContaining({ container: 'web', action: 're-routed', detail: expect.stringContaining('awslogs') })
    )
  })

  it('uses the family as dd_service by default and the service input when given', () => {
    expect(
      container(patchTaskDefinition(web(), patchConfig()).taskDefinition, 'web').logConfiguration?.options?.dd_service
    ).toBe('web')
    expect(
      container(patchTaskDefinition(web(), patchConfig({ service: 'checkout' })).taskDefinition, 'web').logConfiguration
        ?.options?.dd_service
    ).toBe('checkout')
  })

  it('fixes the US1 host and keeps the other options of a container already routed to Datadog', () => {
    const td = exampleTaskDefinition('already-routed.json')
    container(td, 'api').logConfiguration!.options!.dd_message_key = 'message'
    const { taskDefinition, changes } = patchTaskDefinition(td, patchConfig({ tags: [{ key: 'env', value: 'prod' }] }))
    const options = container(taskDefinition, 'api').logConfiguration!.options!
    expect(options.Host).toBe('http-intake.logs.ap1.datadoghq.com')
    expect(options.TLS).toBe('on')
    expect(options.dd_message_key).toBe('message')
    expect(options.dd_service).toBe('api')
    expect(options.dd_source).toBe('nodejs')
    expect(options.dd_tags).toBe('team:api,env:prod')
    expect(changes).toContainEqual(expect.objectContaining({ container: 'api', action: 'updated' }))
  })

  it('replaces an existing tag with the input tag of the same key, in place', () => {
    const td = exampleTaskDefinition('already-routed.json')
    container(td, 'api').logConfiguration!.options!.dd_tags = 'team:api,env:staging,tier:1'
    const { taskDefinition } = patchTaskDefinition(
      td,
      patchConfig({
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'region', value: 'jp' }
        ]
      })
    )
    expect(container(taskDefinition, 'api').logConfiguration!.options!.dd_tags).toBe(
      'team:api,env:prod,tier:1,region:jp'
    )
  })

  it('replaces the apikey secretOption and keeps the others', () => {
    const td = exampleTaskDefinition('already-routed.json')
    container(td, 'api').logConfiguration!.secretOptions!.push({ name: 'proxy', valueFrom: '/proxy' })
    const { taskDefinition } = patchTaskDefinition(td, patchConfig())
    expect(container(taskDefinition, 'api').logConfiguration!.secretOptions).toEqual([
      { name: 'proxy', valueFrom: '/proxy' },
      { name: 'apikey', valueFrom: '/prod/DATADOG_API_KEY' }
    ])
  })

  it('drops other spellings of the options the action owns (name, host, tls) and a clear-text apikey, with a warning', () => {
    const td = exampleTaskDefinition('already-routed.json')
    const log = container(td, 'api').logConfiguration!
    log.options = {
      name: 'datadog',
      host: 'http-intake.logs.datadoghq.com',
      tls: 'off',
      apikey: '0123456789abcdef0123456789abcdef',
      dd_service: 'api'
    }
    const { taskDefinition, warnings } = patchTaskDefinition(td, patchConfig())
    const options = container(taskDefinition, 'api').logConfiguration!.options!
    expect(Object.keys(options).filter(k => ['name', 'host', 'tls', 'apikey'].includes(k.toLowerCase()))).toEqual([
      'Name',
      'Host',
      'TLS'
    ])
    expect(JSON.stringify(taskDefinition)).not.toContain('0123456789abcdef0123456789abcdef')
    expect(warnings.join('\n')).toMatch(/API key in clear text/)
    expect(warnings.join('\n')).not.toContain('0123456789abcdef')
  })

  it('applies log-options over the defaults, whatever the case of the key', () => {
    const { taskDefinition } = patchTaskDefinition(
      web(),
      patchConfig({
        logOptions: [
          ['Retry_Limit', '2'],
          ['DD_MESSAGE_KEY', 'msg']
        ]
      })
    )
    const options = container(taskDefinition, 'web').logConfiguration!.options!
    expect(options.Retry_Limit).toBe('2')
    expect(options.DD_MESSAGE_KEY).toBe('msg')
    expect(options.dd_message_key).toBeUndefined()
  })

  it('re-routes a FireLens container that sent its logs elsewhere', () => {
    const td = web()
    container(td, 'web').logConfiguration = {
      logDriver: 'awsfirelens',
      options: { Name: 'cloudwatch_logs', region: 'us-east-1' }
    }
    const { taskDefinition, changes } = patchTaskDefinition(td, patchConfig())
    expect(container(taskDefinition, 'web').logConfiguration!.options!.region).toBeUndefined()
    expect(changes).toContainEqual(
      expect.objectContaining({
        container: 'web',
        action: 're-routed',
        detail: expect.stringContaining('cloudwatch_logs')
      })
    )
  })
})

describe('choosing containers', () => {
  const twoApps = (): TaskDefinition => {
    const td = web()
    td.containerDefinitions.push({ name: 'worker', image: 'worker:1', essential: false })
    return td
  }

  it('routes every container except the log router by default', () => {
    const { taskDefinition } = patchTaskDefinition(twoApps(), patchConfig())
    for (const name of ['web', 'worker'])
      expect(container(taskDefinition, name).logConfiguration?.logDriver).toBe('awsfirelens')
    expect(container(taskDefinition, 'log-router').logConfiguration).toBeUndefined()
  })

  it('routes only the containers named in `containers` and leaves the others as they were', () => {
    const before = twoApps()
    const { taskDefinition, changes } = patchTaskDefinition(before, patchConfig({ containers: ['worker'] }))
    expect(container(taskDefinition, 'web')).toEqual(container(before, 'web'))
    expect(container(taskDefinition, 'worker').logConfiguration?.logDriver).toBe('awsfirelens')
    expect(changes).toContainEqual(expect.objectContaining({ container: 'web', action: 'not selected' }))
  })

  it('fails on a container name that does not exist, listing the ones that do', () => {
    expect(userErrorText(() => patchTaskDefinition(twoApps(), patchConfig({ containers: ['api'] })))).toMatch(
      /"api".*containers are: web, worker/s
    )
  })

  it('fails when `containers` names the log router', () => {
    const td = exampleTaskDefinition('already-routed.json')
    expect(() => patchTaskDefinition(td, patchConfig({ containers: ['log_router'] }))).toThrow(UserError)
  })
})

describe('the log router', () => {
  it('adds an essential aws-for-fluent-bit router with a pinned image when there is none', () => {
    const { taskDefinition, changes } = patchTaskDefinition(web(), patchConfig())
    expect(container(taskDefinition, 'log-router')).toEqual({
      name: 'log-router',
      image: DEFAULT_LOG_ROUTER_IMAGE,
      essential: true,
      firelensConfiguration: { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } },
      memoryReservation: 50
    })
    expect(DEFAULT_LOG_ROUTER_IMAGE).toMatch(/aws-for-fluent-bit:3\.\d+\.\d+$/)
    expect(changes).toContainEqual(expect.objectContaining({ container: 'log-router', action: 'router added' }))
  })

  it('reuses an existing router whatever its name, keeping its image and config-file options', () => {
    const td = exampleTaskDefinition('already-routed.json')
    container(td, 'log_router').firelensConfiguration!.options = {
      'config-file-type': 'file',
      'config-file-value': '/extra.conf'
    }
    const { taskDefinition } = patchTaskDefinition(td, patchConfig())
    expect(taskDefinition.containerDefinitions.filter(c => c.firelensConfiguration)).toHaveLength(1)
    const router = container(taskDefinition, 'log_router')
    expect(router.image).toBe('amazon/aws-for-fluent-bit:stable')
    expect(router.firelensConfiguration).toEqual({
      type: 'fluentbit',
      options: { 'config-file-type': 'file', 'config-file-value': '/extra.conf', 'enable-ecs-log-metadata': 'true' }
    })
  })

  it('warns about a reused router on a moving tag or the end-of-life 2.x line, but not on a pinned 3.x', () => {
    const td = exampleTaskDefinition('already-routed.json')
    expect(patchTaskDefinition(td, patchConfig()).warnings.join()).toMatch(
      /amazon\/aws-for-fluent-bit:stable is a moving tag/
    )
    container(td, 'log_router').image = 'amazon/aws-for-fluent-bit:2.32.5'
    expect(patchTaskDefinition(td, patchConfig()).warnings.join()).toMatch(/2\.x, which reached end of life/)
    container(td, 'log_router').image = DEFAULT_LOG_ROUTER_IMAGE
    expect(patchTaskDefinition(td, patchConfig()).warnings).toEqual([])
  })

  it('changes an existing router image only when log-router-image is given', () => {
    const td = exampleTaskDefinition('already-routed.json')
    const image = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.8'
    const { taskDefinition } = patchTaskDefinition(
      td,
      patchConfig({ logRouter: { name: 'log-router', memory: 50, image } })
    )
    expect(container(taskDefinition, 'log_router').image).toBe(image)
  })

  it('sends the router its own logs to CloudWatch when log-router-log-group is set', () => {
    const { taskDefinition } = patchTaskDefinition(
      web(),
      patchConfig({ logRouter: { name: 'log-router', memory: 50, logGroup: '/ecs/firelens' } })
    )
    expect(container(taskDefinition, 'log-router').logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/firelens', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'firelens' }
    })
  })

  it('sets the parse-json config file on the router when parse-json is on, but keeps a user config file with a warning', () => {
    const added = patchTaskDefinition(web(), patchConfig({ parseJson: true })).taskDefinition
    expect(container(added, 'log-router').firelensConfiguration?.options).toMatchObject({
      'config-file-type': 'file',
      'config-file-value': '/fluent-bit/configs/parse-json.conf'
    })
    const td = exampleTaskDefinition('already-routed.json')
    container(td, 'log_router').firelensConfiguration!.options = {
      'config-file-type': 'file',
      'config-file-value': '/mine.conf'
    }
    const { taskDefinition, warnings } = patchTaskDefinition(td, patchConfig({ parseJson: true }))
    expect(container(taskDefinition, 'log_router').firelensConfiguration?.options?.['config-file-value']).toBe(
      '/mine.conf'
    )
    expect(warnings.join()).toMatch(/own config file/)
  })

  it('refuses two routers, a name taken by a non-router, and a router logging through awsfirelens', () => {
    const two = exampleTaskDefinition('already-routed.json')
    two.containerDefinitions.push({ name: 'second', image: 'x', firelensConfiguration: { type: 'fluentbit' } })
    expect(() => patchTaskDefinition(two, patchConfig())).toThrow(/2 containers with a firelensConfiguration/)

    const taken = web()
    taken.containerDefinitions.push({ name: 'log-router', image: 'nginx' })
    expect(userErrorText(() => patchTaskDefinition(taken, patchConfig()))).toMatch(/log-router-name/)

    const loops = exampleTaskDefinition('already-routed.json')
    container(loops, 'log_router').logConfiguration = { logDriver: 'awsfirelens' }
    expect(() => patchTaskDefinition(loops, patchConfig())).toThrow(/logs through awsfirelens itself/)
  })
})

describe('preserving everything else', () => {
  it('does not modify its input', () => {
    const td = web()
    const copy = structuredClone(td)
    patchTaskDefinition(td, patchConfig())
    expect(td).toEqual(copy)
  })

  it('keeps unknown-but-valid fields, volumes, secrets and dependsOn exactly', () => {
    const td = exampleTaskDefinition('describe-output.json')
    td.volumes = [{ name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }]
    td.containerDefinitions[0]!.dependsOn = [{ containerName: 'init', condition: 'SUCCESS' }]
    td.futureField = { nested: [1, 2, 3] }
    const { taskDefinition } = patchTaskDefinition(td, patchConfig())
    const { logConfiguration: _l, environment: _e, dockerLabels: _d, ...rest } = container(taskDefinition, 'worker')
    const { logConfiguration: _l2, environment: _e2, dockerLabels: _d2, ...restBefore } = container(td, 'worker')
    expect(rest).toEqual(restBefore)
    expect(taskDefinition.volumes).toEqual(td.volumes)
    expect(taskDefinition.futureField).toEqual(td.futureField)
  })
})

describe('unified service tagging and git metadata', () => {
  const config = patchConfig({
    service: 'checkout',
    env: 'prod',
    version: '1.4.2',
    git: { repositoryUrl: 'https://github.com/acme/shop', commitSha: 'a'.repeat(40) }
  })

  it('adds DD_ENV/DD_SERVICE/DD_VERSION, the tags labels and the git variables to routed containers', () => {
    const web1 = container(patchTaskDefinition(web(), config).taskDefinition, 'web')
    expect(web1.environment).toEqual([
      { name: 'LOG_FORMAT', value: 'json' },
      { name: 'DD_SERVICE', value: 'checkout' },
      { name: 'DD_ENV', value: 'prod' },
      { name: 'DD_VERSION', value: '1.4.2' },
      { name: 'DD_GIT_REPOSITORY_URL', value: 'https://github.com/acme/shop' },
      { name: 'DD_GIT_COMMIT_SHA', value: 'a'.repeat(40) }
    ])
    expect(web1.dockerLabels).toEqual({
      'com.datadoghq.tags.service': 'checkout',
      'com.datadoghq.tags.env': 'prod',
      'com.datadoghq.tags.version': '1.4.2'
    })
    expect(web1.logConfiguration?.options?.dd_tags).toBe(
      `env:prod,version:1.4.2,git.commit.sha:${'a'.repeat(40)},git.repository_url:https://github.com/acme/shop`
    )
  })

  it('updates variables of the same name instead of duplicating them', () => {
    const td = web()
    container(td, 'web').environment = [
      { name: 'DD_ENV', value: 'old' },
      { name: 'X', value: '1' },
      { name: 'DD_ENV', value: 'older' }
    ]
    const env = container(patchTaskDefinition(td, config).taskDefinition, 'web').environment!
    expect(env.filter(e => e.name === 'DD_ENV')).toEqual([{ name: 'DD_ENV', value: 'prod' }])
  })
})

describe('the result', () => {
  it('routes the agent it adds even when `containers` names only the application', () => {
    const { taskDefinition, changes } = patchTaskDefinition(
      web(),
      patchConfig({ agent: { memory: 256 }, containers: ['web'] })
    )
    expect(container(taskDefinition, 'datadog-agent').logConfiguration?.logDriver).toBe('awsfirelens')
    expect(changes.filter(c => c.container === 'datadog-agent').map(c => c.action)).toEqual(['agent added'])
  })

  it('gives the agent one row, which says its logs are routed too', () => {
    const { changes } = patchTaskDefinition(web(), patchConfig({ agent: { memory: 256 } }))
    expect(changes.filter(c => c.container === 'datadog-agent')).toEqual([
      expect.objectContaining({
        action: 'agent added',
        detail: expect.stringContaining('its own logs routed to Datadog')
      })
    ])
  })

  it('lists the changes in the order of the containers', () => {
    const { changes } = patchTaskDefinition(web(), patchConfig())
    expect(changes.map(c => c.container)).toEqual(['web', 'log-router'])
  })

  it('is byte-identical when the action runs on its own output', () => {
    for (const name of ['fargate-web.json', 'already-routed.json', 'describe-output.json']) {
      const config = patchConfig({
        tags: [{ key: 'env', value: 'prod' }],
        logOptions: [['Retry_Limit', '2']],
        parseJson: true
      })
      const once = patchTaskDefinition(exampleTaskDefinition(name), config)
      const twice = patchTaskDefinition(once.taskDefinition, config)
      expect(serializeTaskDefinition(twice.taskDefinition)).toBe(serializeTaskDefinition(once.taskDefinition))
      expect(twice.changes.filter(c => c.action !== 'unchanged' && c.action !== 'router reused')).toEqual([])
    }
  })
})

// Property tests over generated task definitions and configs.
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/)
const option = fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,9}$/), word)
const logConfiguration = fc.oneof(
  fc.constant(undefined),
  fc.record({ logDriver: fc.constant('awslogs'), options: fc.dictionary(word, word, { maxKeys: 3 }) }),
  fc.record({
    logDriver: fc.constant('awsfirelens'),
    options: fc
      .tuple(fc.constantFrom('datadog', 'cloudwatch_logs', 'DataDog'), fc.dictionary(word, word, { maxKeys: 3 }))
      .map(([name, rest]) => ({ ...rest, Name: name }))
  })
)
const containerArb = fc.record(
  {
    image: word,
    essential: fc.boolean(),
    memoryReservation: fc.integer({ min: 1, max: 512 }),
    environment: fc.array(fc.record({ name: word, value: word }), { maxLength: 3 }),
    portMappings: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }) }), { maxLength: 2 }),
    command: fc.array(word, { maxLength: 3 }),
    logConfiguration
  },
  { requiredKeys: ['image'] }
)
const taskDefinitionArb = fc
  .record({
    family: word,
    containers: fc.uniqueArray(fc.tuple(word, containerArb), {
      minLength: 1,
      maxLength: 6,
      selector: ([name]) => name
    }),
    withRouter: fc.boolean(),
    extra: fc.dictionary(fc.constantFrom('volumes', 'pidMode', 'futureField'), fc.jsonValue(), { maxKeys: 2 })
  })
  .map(({ family, containers, withRouter, extra }) => {
    const containerDefinitions: ContainerDefinition[] = containers
      .filter(([name]) => name !== 'log-router' && name !== 'my_router')
      .map(([name, c]) => JSON.parse(JSON.stringify({ name, ...c })) as ContainerDefinition)
    if (containerDefinitions.length === 0) containerDefinitions.push({ name: 'app', image: 'app' })
    if (withRouter)
      containerDefinitions.push({
        name: 'my_router',
        image: 'fluent-bit',
        firelensConfiguration: { type: 'fluentbit', options: {} }
      })
    return { family, executionRoleArn: 'arn:aws:iam::1:role/x', containerDefinitions, ...extra }
  })
const configArb = fc.record({
  site: fc.constantFrom(...SITES),
  tags: fc.array(fc.record({ key: word, value: word }), { maxLength: 4 }),
  logOptions: fc
    .array(option, { maxLength: 3 })
    .map(list => list.filter(([k]) => !['name', 'host', 'tls', 'apikey'].includes(k.toLowerCase()))),
  parseJson: fc.boolean(),
  service: fc.option(word, { nil: undefined }),
  env: fc.option(word, { nil: undefined })
})

describe('properties', () => {
  it('running twice gives byte-identical JSON', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, c) => {
        const config = patchConfig(c)
        const once = serializeTaskDefinition(patchTaskDefinition(td, config).taskDefinition)
        const twice = serializeTaskDefinition(
          patchTaskDefinition(JSON.parse(once) as TaskDefinition, config).taskDefinition
        )
        expect(twice).toBe(once)
      })
    )
  })

  it('there is exactly one log router and every selected container routes to the site host with TLS and the key from a secret', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, c) => {
        const config = patchConfig(c)
        const { taskDefinition } = patchTaskDefinition(td, config)
        const routers = taskDefinition.containerDefinitions.filter(x => x.firelensConfiguration)
        expect(routers).toHaveLength(1)
        expect(routers[0]!.firelensConfiguration?.type).toBe('fluentbit')
        for (const x of taskDefinition.containerDefinitions) {
          if (x === routers[0]) continue
          const log = x.logConfiguration!
          expect(log.logDriver).toBe('awsfirelens')
          expect(log.options!.Host).toBe(intakeHost(config.site))
          expect(log.options!.TLS).toBe('on')
          expect(log.options!.Name).toBe('datadog')
          expect(log.secretOptions!.filter(s => s.name === 'apikey')).toEqual([
            { name: 'apikey', valueFrom: config.apiKeySecret.value }
          ])
          expect(Object.keys(log.options!).filter(k => k.toLowerCase() === 'host')).toEqual(['Host'])
        }
      })
    )
  })

  it('fields that are not about logging are preserved exactly', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, c) => {
        const { taskDefinition } = patchTaskDefinition(td, patchConfig(c))
        const { containerDefinitions: _a, ...restBefore } = td
        const { containerDefinitions: _b, ...restAfter } = taskDefinition
        expect(restAfter).toEqual(restBefore)
        for (const before of td.containerDefinitions) {
          const after = container(taskDefinition, before.name)
          for (const key of Object.keys(before)) {
            if (['logConfiguration', 'environment', 'dockerLabels', 'firelensConfiguration'].includes(key)) continue
            expect(after[key]).toEqual(before[key])
          }
          // Environment entries the action does not own keep their values and order.
          const own = (e: { name?: string }) => !e.name?.startsWith('DD_')
          expect((after.environment ?? []).filter(own)).toEqual((before.environment ?? []).filter(own))
        }
      })
    )
  })

  it('multi-valued tags survive a run with no tag input, and a run with tags for other keys', () => {
    const tag = fc
      .tuple(fc.constantFrom('team', 'Team', 'env', 'region', 'équipe'), fc.stringMatching(/^[a-z0-9.]{1,4}$/))
      .map(([k, v]) => `${k}:${v}`)
    fc.assert(
      fc.property(
        fc.array(tag, { minLength: 1, maxLength: 6 }),
        fc.option(fc.constant('prod'), { nil: undefined }),
        (existing, env) => {
          const td = exampleTaskDefinition('already-routed.json')
          container(td, 'api').logConfiguration!.options!.dd_tags = existing.join(',')
          const { taskDefinition } = patchTaskDefinition(td, patchConfig({ env }))
          const after = container(taskDefinition, 'api').logConfiguration!.options!.dd_tags!.split(',')
          const kept = [...new Set(existing)].filter(t => env === undefined || !t.toLowerCase().startsWith('env:'))
          expect(after.filter(t => kept.includes(t))).toEqual(kept)
          expect(after.filter(t => !kept.includes(t))).toEqual(env === undefined ? [] : [`env:${env}`])
        }
      )
    )
  })

  it('the input values of a tag key are exactly what dd_tags holds for that key', () => {
    fc.assert(
      fc.property(taskDefinitionArb, configArb, (td, c) => {
        const { taskDefinition } = patchTaskDefinition(td, patchConfig(c))
        for (const x of taskDefinition.containerDefinitions) {
          const tags = x.logConfiguration?.options?.dd_tags
          if (!tags) continue
          for (const key of new Set(c.tags.map(t => t.key))) {
            const values = tags.split(',').filter(t => t.split(':')[0] === key)
            expect(values).toEqual([...new Set(c.tags.filter(t => t.key === key).map(t => `${t.key}:${t.value}`))])
          }
        }
      })
    )
  })
})
