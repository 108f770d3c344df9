import { describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { DEFAULT_LOG_ROUTER_IMAGE } from '../../../src/core/images.js'
import type { PatchConfig } from '../../../src/core/patch/config.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import type { ContainerDefinition, TaskDefinition } from '../../../src/core/definition/task-definition.js'

const withRouter = (router: Partial<ContainerDefinition>): TaskDefinition => {
  const td = exampleTaskDefinition('already-routed.json')
  const index = td.containerDefinitions.findIndex(c => c.name === 'log_router')
  td.containerDefinitions[index] = { ...td.containerDefinitions[index]!, ...router }
  return td
}
const routerOf = (td: TaskDefinition): ContainerDefinition =>
  td.containerDefinitions.find(c => c.firelensConfiguration)!
const withImage = (image: string): PatchConfig => patchConfig({ logRouter: { name: 'log-router', memory: 50, image } })

describe('a log router the user already has that is not Fluent Bit', () => {
  it.each([
    [
      'type fluentd',
      { firelensConfiguration: { type: 'fluentd' }, image: 'fluent/fluentd:v1.16-1' },
      /firelensConfiguration\.type is "fluentd"/
    ],
    [
      'type fluentbit on a Fluentd image',
      { firelensConfiguration: { type: 'fluentbit' }, image: 'fluent/fluentd:v1.16-1' },
      /containerDefinitions\[log_router\]\.image is fluent\/fluentd:v1\.16-1, a Fluentd image/
    ],
    ['type fluentd on a Fluent Bit image', { firelensConfiguration: { type: 'fluentd' } }, /type is "fluentd"/]
  ])('is refused (%s) unless log-router-image is given', (_what, router, reason) => {
    const text = userErrorText(() => patchTaskDefinition(withRouter(router), patchConfig()))
    expect(text).toMatch(/The log router "log_router" is not Fluent Bit/)
    expect(text).toMatch(reason)
    expect(text).toMatch(/every log would be lost/)
    expect(text).toMatch(/Set `log-router-image`/)
  })

  it('with log-router-image is retyped to fluentbit on that image, with a notice', () => {
    const { taskDefinition, notices, changes } = patchTaskDefinition(
      withRouter({ firelensConfiguration: { type: 'fluentd' }, image: 'fluent/fluentd:v1.16-1' }),
      withImage(DEFAULT_LOG_ROUTER_IMAGE)
    )
    const router = routerOf(taskDefinition)
    expect(router.image).toBe(DEFAULT_LOG_ROUTER_IMAGE)
    expect(router.firelensConfiguration?.type).toBe('fluentbit')
    expect(notices).toEqual([
      expect.stringMatching(
        /^log_router: the log router was not Fluent Bit \(.*type is "fluentd"\); it is now type fluentbit with image public\.ecr\.aws/
      )
    ])
    expect(changes).toContainEqual(expect.objectContaining({ container: 'log_router', action: 'router reused' }))
  })

  it("warns that a Fluentd router's config file was kept when it is retyped", () => {
    const { warnings } = patchTaskDefinition(
      withRouter({
        firelensConfiguration: {
          type: 'fluentd',
          options: { 'config-file-type': 's3', 'config-file-value': 'arn:aws:s3:::acme/fluent.conf' }
        },
        image: 'fluent/fluentd:v1'
      }),
      withImage(DEFAULT_LOG_ROUTER_IMAGE)
    )
    expect(warnings.join('\n')).toMatch(/arn:aws:s3:::acme\/fluent\.conf .*written for Fluentd/)
  })

  it('accepts a Fluent Bit router on a mirror', () => {
    const { warnings } = patchTaskDefinition(
      withRouter({ image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/aws-for-fluent-bit:3.4.8' }),
      patchConfig()
    )
    expect(warnings.join('\n')).not.toMatch(/not one this action recognises/)
  })

  it('refuses a router with no type on an image it does not recognise', () => {
    const td = withRouter({ image: 'acme/log-router:1' })
    delete routerOf(td).firelensConfiguration!.type
    expect(userErrorText(() => patchTaskDefinition(td, patchConfig()))).toMatch(/has no firelensConfiguration\.type/)
  })
})

describe('a fluentbit router on an image the action does not recognise', () => {
  it.each([
    '111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/log-router:2026.11.3',
    'registry.vendor.example/observability/fluentbit-enterprise:24.7',
    '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mirrors/logging/router:3.4.17',
    'localhost:5000/router',
    `acme/router@sha256:${'c'.repeat(64)}`
  ])('keeps %s, its config file and options, and warns once that its version is unknown', image => {
    const options = {
      'enable-ecs-log-metadata': 'true',
      'config-file-type': 'file',
      'config-file-value': '/fluent-bit/etc/extra.conf'
    }
    const { taskDefinition, warnings } = patchTaskDefinition(
      withRouter({ image, firelensConfiguration: { type: 'fluentbit', options } }),
      patchConfig()
    )
    const router = routerOf(taskDefinition)
    expect(router.image).toBe(image)
    expect(router.firelensConfiguration).toEqual({ type: 'fluentbit', options })
    const mine = warnings.filter(w => w.includes('not one this action recognises'))
    expect(mine).toHaveLength(1)
    expect(mine[0]).toContain('its config file (file /fluent-bit/etc/extra.conf) and options were kept')
    expect(mine[0]).toContain('Fluent Bit 1.3.0 or later')
    expect(mine[0]).toContain('Fluent Bit 1.9.10 (aws-for-fluent-bit 2.x) and 5.0.9')
    expect(mine[0]).toContain('verify action')
  })

  it('a second run on the output changes nothing', () => {
    const first = patchTaskDefinition(withRouter({ image: 'acme/log-router:1' }), patchConfig()).taskDefinition
    expect(patchTaskDefinition(first, patchConfig()).taskDefinition).toEqual(first)
  })

  it('warns when a recognised tag shows a Fluent Bit older than the datadog output', () => {
    const { warnings } = patchTaskDefinition(withRouter({ image: 'amazon/aws-for-fluent-bit:1.2.2' }), patchConfig())
    expect(warnings.join('\n')).toContain(
      "is Fluent Bit 1.2.2 (aws-for-fluent-bit 1.2.2 is Fluent Bit 1.2.2), older than Fluent Bit's datadog output (1.3.0)"
    )
  })
})

describe('the choices of a reused router', () => {
  it('essential: false is kept with a warning that its logs are lost when it dies', () => {
    const { taskDefinition, warnings } = patchTaskDefinition(withRouter({ essential: false }), patchConfig())
    expect(routerOf(taskDefinition).essential).toBe(false)
    expect(warnings.join('\n')).toMatch(
      /log_router: the log router has "essential": false \(containerDefinitions\[log_router\]\.essential\)/
    )
    expect(patchTaskDefinition(withRouter({ essential: true }), patchConfig()).warnings.join()).not.toMatch(/essential/)
  })

  it.each([
    ['enable-ecs-log-metadata', 'false'],
    ['Enable-ECS-Log-Metadata', 'FALSE']
  ])('%s: %s is kept, with a notice that the ECS tags will be missing', (key, value) => {
    const { taskDefinition, notices } = patchTaskDefinition(
      withRouter({ firelensConfiguration: { type: 'fluentbit', options: { [key]: value } } }),
      patchConfig()
    )
    expect(routerOf(taskDefinition).firelensConfiguration?.options).toEqual({ [key]: value })
    expect(notices).toEqual([expect.stringMatching(new RegExp(`^log_router: ${key} is "${value}".*kept.*ECS tags`))])
  })

  it('enable-ecs-log-metadata is added as "true" when the router does not set it', () => {
    const { taskDefinition, notices } = patchTaskDefinition(
      withRouter({ firelensConfiguration: { type: 'fluentbit' } }),
      patchConfig()
    )
    expect(routerOf(taskDefinition).firelensConfiguration?.options).toEqual({ 'enable-ecs-log-metadata': 'true' })
    expect(notices).toEqual([])
  })
})

describe('log-router-name', () => {
  const name = (logRouterName: string, extra: Partial<PatchConfig> = {}) =>
    patchConfig({ logRouter: { name: logRouterName, memory: 50 }, ...extra })

  it('may not name an application container, even when a router exists', () => {
    const td = exampleTaskDefinition('already-routed.json')
    const text = userErrorText(() => patchTaskDefinition(td, name('api')))
    expect(text).toMatch(/`log-router-name` is "api".*not the log router.*The log router is "log_router"/s)
  })

  it("may not be the Agent's name: the existing Agent's, or datadog-agent with agent: true", () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions.push({ name: 'dd', image: 'acme.jfrog.io/datadog/agent:7.85.0' })
    expect(userErrorText(() => patchTaskDefinition(td, name('dd')))).toMatch(/"dd", the name of the Datadog Agent/)
    const fresh = exampleTaskDefinition('fargate-web.json')
    expect(userErrorText(() => patchTaskDefinition(fresh, name('datadog-agent', { agent: { memory: 256 } })))).toMatch(
      /"datadog-agent", the name of the Datadog Agent.*which `agent: true` adds/
    )
  })

  it('refuses a router already named datadog-agent when agent: true would add the Agent under that name', () => {
    const td = exampleTaskDefinition('already-routed.json')
    td.containerDefinitions[1]!.name = 'datadog-agent'
    expect(userErrorText(() => patchTaskDefinition(td, patchConfig({ agent: { memory: 256 } })))).toMatch(
      /The log router is named "datadog-agent"/
    )
    expect(() => patchTaskDefinition(td, patchConfig())).not.toThrow()
  })

  it('may be the name of the existing router, or any free name', () => {
    const td = exampleTaskDefinition('already-routed.json')
    expect(() => patchTaskDefinition(td, name('log_router'))).not.toThrow()
    expect(() => patchTaskDefinition(td, name('firelens'))).not.toThrow()
  })
})
