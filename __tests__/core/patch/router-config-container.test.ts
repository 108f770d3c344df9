import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import type { PatchConfig } from '../../../src/core/patch/config.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import {
  CONFIG_CONTAINER,
  CONFIG_VOLUME,
  ROUTER_HEALTH_CHECK
} from '../../../src/core/patch/router-config-container.js'
import { MULTILINE_LANGUAGES, parseMultiline } from '../../../src/core/router/multiline.js'
import { GENERATED_CONFIG } from '../../../src/core/router/router-config.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { preflight, requestBytes } from '../../../src/core/checks/preflight.js'

const whole = (multiline: string, waitForRouter = false, grace?: number): Partial<PatchConfig> => ({
  wholeLogs: { multiline: parseMultiline(multiline), waitForRouter, grace }
})

function twoApps(): TaskDefinition {
  const td = exampleTaskDefinition('fargate-web.json')
  td.containerDefinitions.push({ ...structuredClone(td.containerDefinitions[0]!), name: 'worker', portMappings: [] })
  return td
}

const byName = (td: TaskDefinition, name: string) => td.containerDefinitions.find(c => c.name === name)!
const env = (td: TaskDefinition, name: string) =>
  byName(td, CONFIG_CONTAINER).environment!.find(e => e.name === name)?.value

describe('the generated router configuration in the task definition', () => {
  it('adds one config container from the router image, the volume, the mount and SUCCESS dependency', () => {
    const { taskDefinition: td, changes } = patchTaskDefinition(
      twoApps(),
      patchConfig(whole('web=java, worker=python'))
    )
    const router = byName(td, 'log-router')
    const init = byName(td, CONFIG_CONTAINER)
    expect(init).toMatchObject({ image: router.image, essential: false, entryPoint: ['/bin/sh', '-c'] })
    expect(td.volumes).toEqual([{ name: CONFIG_VOLUME }])
    expect(router.dependsOn).toEqual([{ containerName: CONFIG_CONTAINER, condition: 'SUCCESS' }])
    expect(router.mountPoints).toEqual([
      { sourceVolume: CONFIG_VOLUME, containerPath: '/datadog-firelens', readOnly: true }
    ])
    expect(router.firelensConfiguration!.options).toMatchObject({
      'config-file-type': 'file',
      'config-file-value': GENERATED_CONFIG
    })
    expect(router.stopTimeout).toBe(35)
    expect(env(td, 'DATADOG_FIRELENS_CONFIG')).toContain('Match web-firelens*')
    expect(env(td, 'DATADOG_FIRELENS_PARSERS')).toContain('datadog_firelens_python')
    expect(changes.map(c => [c.container, c.action])).toEqual([
      ['web', 're-routed'],
      ['worker', 're-routed'],
      ['log-router', 'router added'],
      [CONFIG_CONTAINER, 'config added']
    ])
    // Never routed itself.
    expect(init.logConfiguration).toBeUndefined()
  })

  it('changes nothing on its own output, byte for byte, and never adds a second container or volume', () => {
    const config = patchConfig({ ...whole('partial, web=java', true, 40), parseJson: true })
    const once = patchTaskDefinition(twoApps(), config).taskDefinition
    const twice = patchTaskDefinition(once, config)
    expect(JSON.stringify(twice.taskDefinition)).toBe(JSON.stringify(once))
    expect(twice.changes.find(c => c.container === CONFIG_CONTAINER)!.action).toBe('config reused')
    expect(twice.taskDefinition.containerDefinitions.filter(c => c.name === CONFIG_CONTAINER)).toHaveLength(1)
  })

  it('updates the file in place when the inputs change', () => {
    const once = patchTaskDefinition(twoApps(), patchConfig(whole('java'))).taskDefinition
    const changed = patchTaskDefinition(once, patchConfig(whole('python'))).taskDefinition
    expect(env(changed, 'DATADOG_FIRELENS_CONFIG')).toContain('datadog_firelens_python')
    expect(changed.containerDefinitions.map(c => c.name)).toEqual(once.containerDefinitions.map(c => c.name))
  })

  it('turning it off removes what it added and only that, giving the router its own file back', () => {
    const td = twoApps()
    td.containerDefinitions.push({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17',
      essential: true,
      stopTimeout: 50,
      firelensConfiguration: {
        type: 'fluentbit',
        options: { 'config-file-type': 'file', 'config-file-value': '/fluent-bit/etc/extra.conf' }
      }
    })
    const first = patchTaskDefinition(td, patchConfig()).taskDefinition
    const on = patchTaskDefinition(first, patchConfig(whole('java', true))).taskDefinition
    expect(env(on, 'DATADOG_FIRELENS_CONFIG')).toMatch(/@INCLUDE \/fluent-bit\/etc\/extra\.conf\n$/)
    expect(byName(on, 'log-router').stopTimeout).toBe(50)
    expect(byName(on, 'web').dependsOn).toEqual([{ containerName: 'log-router', condition: 'HEALTHY' }])
    expect(byName(on, 'log-router').healthCheck).toEqual(ROUTER_HEALTH_CHECK)
    const off = patchTaskDefinition(on, patchConfig())
    expect(JSON.stringify(off.taskDefinition)).toBe(JSON.stringify(first))
    expect(off.changes.map(c => c.action)).toContain('config removed')
  })

  it('keeps a health check of the router own', () => {
    const td = twoApps()
    const healthCheck = { command: ['CMD-SHELL', 'exit 0'], interval: 30 }
    td.containerDefinitions.push({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17',
      firelensConfiguration: { type: 'fluentbit' },
      healthCheck
    })
    const on = patchTaskDefinition(td, patchConfig(whole('off', true))).taskDefinition
    expect(byName(on, 'log-router').healthCheck).toEqual(healthCheck)
    expect(byName(on, 'worker').dependsOn).toEqual([{ containerName: 'log-router', condition: 'HEALTHY' }])
  })

  it('folds parse-json in and turns back to the image file when only parse-json is left', () => {
    const on = patchTaskDefinition(twoApps(), patchConfig({ ...whole('partial'), parseJson: true })).taskDefinition
    expect(env(on, 'DATADOG_FIRELENS_CONFIG')).toContain('Parser json')
    const off = patchTaskDefinition(on, patchConfig({ parseJson: true })).taskDefinition
    expect(byName(off, 'log-router').firelensConfiguration!.options!['config-file-value']).toBe(
      '/fluent-bit/configs/parse-json.conf'
    )
    expect(off.containerDefinitions.some(c => c.name === CONFIG_CONTAINER)).toBe(false)
    expect(off.volumes).toBeUndefined()
  })

  it('refuses what the router could not run, before anything changes', () => {
    const old = twoApps()
    old.containerDefinitions.push({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2',
      firelensConfiguration: { type: 'fluentbit' }
    })
    expect(userErrorText(() => patchTaskDefinition(old, patchConfig(whole('java'))))).toMatch(
      /needs a log router on Fluent Bit 2 or later/
    )
    // Without multiline a 2.x router can have the rest (Grace, the health check).
    const oldRouter = patchTaskDefinition(structuredClone(old), patchConfig(whole('off', true)))
    expect(oldRouter.taskDefinition.containerDefinitions.some(c => c.name === CONFIG_CONTAINER)).toBe(true)
    const custom = twoApps()
    custom.containerDefinitions.push({
      name: 'log-router',
      image: '111122223333.dkr.ecr.us-east-1.amazonaws.com/our-fluent-bit:7',
      repositoryCredentials: { credentialsParameter: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:reg' },
      firelensConfiguration: { type: 'fluentbit' }
    })
    const customResult = patchTaskDefinition(
      custom,
      patchConfig({
        ...whole('java'),
        logRouter: { name: 'log-router', memory: 50, image: custom.containerDefinitions[2]!.image }
      })
    )
    expect(customResult.warnings.join('\n')).toMatch(/verified with Fluent Bit 5\.0\.9/)
    expect(byName(customResult.taskDefinition, CONFIG_CONTAINER).repositoryCredentials).toEqual(
      custom.containerDefinitions[2]!.repositoryCredentials
    )
    const distroless = twoApps()
    distroless.containerDefinitions.push({
      name: 'log-router',
      image: 'cr.fluentbit.io/fluent/fluent-bit:4.0.3',
      firelensConfiguration: { type: 'fluentbit' }
    })
    expect(userErrorText(() => patchTaskDefinition(distroless, patchConfig(whole('off', false, 20))))).toMatch(
      /no shell/
    )
    const s3 = twoApps()
    s3.containerDefinitions.push({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17',
      firelensConfiguration: {
        type: 'fluentbit',
        options: { 'config-file-type': 's3', 'config-file-value': 'arn:aws:s3:::b/extra.conf' }
      }
    })
    expect(userErrorText(() => patchTaskDefinition(s3, patchConfig(whole('java'))))).toMatch(/in S3/)
    const port = twoApps()
    port.containerDefinitions[1]!.portMappings = [{ containerPort: 2020 }]
    expect(userErrorText(() => patchTaskDefinition(port, patchConfig(whole('off', true))))).toMatch(/port 2020/)
    expect(userErrorText(() => patchTaskDefinition(twoApps(), patchConfig(whole('nope=java'))))).toMatch(
      /not a container/
    )
  })

  it('any inputs: a second run changes nothing, and turning them off gives back the definition without them (property)', () => {
    const mode = fc.constantFrom('off', 'partial', ...MULTILINE_LANGUAGES)
    fc.assert(
      fc.property(
        fc.record({ web: mode, worker: mode, all: fc.option(mode, { nil: undefined }) }),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 115 }), { nil: undefined }),
        fc.boolean(),
        (modes, waitForRouter, grace, parseJson) => {
          const text = [modes.all, `web=${modes.web}`, `worker=${modes.worker}`].filter(Boolean).join(', ')
          const without = patchTaskDefinition(twoApps(), patchConfig({ parseJson })).taskDefinition
          const config = patchConfig({ ...whole(text, waitForRouter, grace), parseJson })
          const once = patchTaskDefinition(without, config).taskDefinition
          expect(JSON.stringify(patchTaskDefinition(once, config).taskDefinition)).toBe(JSON.stringify(once))
          expect(once.containerDefinitions.filter(c => c.name === CONFIG_CONTAINER).length).toBeLessThanOrEqual(1)
          const off = patchTaskDefinition(once, patchConfig({ parseJson })).taskDefinition
          expect(JSON.stringify(off)).toBe(JSON.stringify(without))
        }
      ),
      { numRuns: 60 }
    )
  })
})

describe('the checks before registering count the additions', () => {
  it('ECS 10 containers: the config container counts, and the message says what it is', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    const app = td.containerDefinitions[0]!
    td.memory = '8192'
    td.containerDefinitions = Array.from({ length: 8 }, (_, i) => ({ ...structuredClone(app), name: `app${i}` }))
    const withoutIt = patchTaskDefinition(td, patchConfig()).taskDefinition
    expect(() => preflight(withoutIt, 'td.json')).not.toThrow()
    const withIt = patchTaskDefinition(td, patchConfig(whole('partial'))).taskDefinition
    expect(withIt.containerDefinitions).toHaveLength(10)
    td.containerDefinitions.push({ ...structuredClone(app), name: 'app8' })
    const eleven = patchTaskDefinition(td, patchConfig(whole('partial'))).taskDefinition
    expect(userErrorText(() => preflight(eleven, 'td.json'))).toMatch(
      /With the log router and its config container \(datadog-firelens-config.*11 containers; ECS allows 10/
    )
  })

  it('Fargate memory: the 16 MiB of the config container count', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.memory = '512'
    td.containerDefinitions[0]!.memoryReservation = 512 - 50 - 10
    expect(() => preflight(patchTaskDefinition(td, patchConfig()).taskDefinition, 'td.json')).not.toThrow()
    const patched = patchTaskDefinition(td, patchConfig(whole('java'))).taskDefinition
    expect(userErrorText(() => preflight(patched, 'td.json'))).toMatch(
      /reserve 518 MiB \(web memoryReservation 452, log-router memoryReservation 50, datadog-firelens-config memoryReservation 16\).*datadog-firelens-config \(16 MiB\) writes the router's configuration/s
    )
  })

  it('64 KiB: the generated file counts, in the config container environment', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    const without = requestBytes(patchTaskDefinition(td, patchConfig()).taskDefinition)
    const withIt = requestBytes(patchTaskDefinition(td, patchConfig(whole('python', true))).taskDefinition)
    // The file, the parsers file, the container, the volume, the router's additions: a few KB, all counted.
    expect(withIt - without).toBeGreaterThan(2000)
    expect(withIt - without).toBeLessThan(6000)
  })
})
