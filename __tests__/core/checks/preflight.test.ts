import { describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import {
  MAX_TASK_DEFINITION_BYTES,
  preflight,
  requestBytes,
  taskMemoryMiB
} from '../../../src/core/checks/preflight.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { UserError, userErrorsOf } from '../../../src/core/errors.js'

const patched = (td: TaskDefinition, memory = 50): TaskDefinition =>
  patchTaskDefinition(td, patchConfig({ logRouter: { name: 'log-router', memory } })).taskDefinition

describe('preflight checks', () => {
  it('passes the example definitions once patched', () => {
    for (const name of [
      'fargate-web.json',
      'already-routed.json',
      'describe-output.json',
      'large-10-containers.json'
    ]) {
      expect(() => preflight(patched(exampleTaskDefinition(name)), name)).not.toThrow()
    }
  })

  it('needs an execution role, and says what it must be allowed', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    delete td.executionRoleArn
    const text = userErrorText(() => preflight(patched(td), 'td.json'))
    expect(text).toMatch(/executionRoleArn/)
    expect(text).toMatch(/ssm:GetParameters/)
    expect(text).toMatch(/kms:Decrypt/)
  })

  it('refuses Windows tasks', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.runtimePlatform = { operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE' }
    expect(userErrorText(() => preflight(patched(td), 'td.json'))).toMatch(/FireLens runs only on Linux/)
  })

  it('refuses a Fargate task whose containers do not fit its memory, with the numbers, the fields and the nearest size', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.memoryReservation = 1000
    const after = patched(td)
    // An existing router's reservation is the user's: the patch never changes it.
    after.containerDefinitions.find(c => c.name === 'log-router')!.memoryReservation = 50
    const text = userErrorText(() => preflight(after, 'td.json'))
    expect(text).toContain('reserve 1050 MiB (web memoryReservation 1000, log-router memoryReservation 50)')
    expect(text).toContain("more than the task's memory of 1024 MiB")
    expect(text).toContain('"memory": "2048" with "cpu": "256" or "512" or "1024"')
    expect(text).toMatch(/lower the containers' "memoryReservation" \(`log-router-memory`/)
  })

  it('names the field a container sets when it does not fit: "memory", not memoryReservation', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.memory = 1024
    td.containerDefinitions.push({ name: 'sidecar', image: 'busybox', memory: 128 })
    const text = userErrorText(() => preflight(td, 'td.json'))
    expect(text).toContain('reserve 1152 MiB (web memory 1024, sidecar memory 128)')
    expect(text).toContain(`lower the containers' "memory"`)
    expect(text).not.toContain('memoryReservation"')
  })

  it('checks a task-level memory on EC2 too', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    delete td.requiresCompatibilities
    td.memory = '512'
    td.containerDefinitions[0]!.memory = 600
    const text = userErrorText(() => preflight(td, 'td.json'))
    expect(text).toContain('The containers of the task in td.json reserve 600 MiB (web memory 600)')
    expect(text).toContain('Raise the task-level "memory" to at least 600 MiB')
  })

  it('refuses more than 10 containers', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    for (let i = 1; i < 10; i++) td.containerDefinitions.push({ name: `sidecar${i}`, image: 'busybox' })
    expect(userErrorText(() => preflight(patched(td), 'td.json'))).toMatch(/11 containers; ECS allows 10/)
  })

  it('reads task memory in MiB or GB', () => {
    expect(taskMemoryMiB('1024')).toBe(1024)
    expect(taskMemoryMiB('2 GB')).toBe(2048)
    expect(taskMemoryMiB(512)).toBe(512)
    expect(taskMemoryMiB(undefined)).toBeUndefined()
  })

  it('refuses a patched definition larger than ECS accepts, with the size before and after the patch', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    // Just under the limit before the patch; the log router and the Datadog options take it over.
    const base = requestBytes(td)
    td.containerDefinitions[0]!.environment!.push({
      name: 'BIG',
      value: 'x'.repeat(MAX_TASK_DEFINITION_BYTES - base - 100)
    })
    const before = requestBytes(td)
    expect(before).toBeLessThanOrEqual(MAX_TASK_DEFINITION_BYTES)
    const after = patched(td)
    const text = userErrorText(() => preflight(after, 'td.json', td))
    const n = (x: number): string => x.toLocaleString('en-US')
    expect(text).toContain(
      `The patched task definition in td.json is ${n(requestBytes(after))} bytes as RegisterTaskDefinition sends it (${n(before)} bytes before the patch, which added ${n(requestBytes(after) - before)} bytes); ECS accepts at most 65,536 bytes (64 KiB).`
    )
    expect(text).toMatch(/environmentFiles or secrets/)
  })

  it('says when the definition was already too large before the patch', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.environment!.push({ name: 'BIG', value: 'x'.repeat(MAX_TASK_DEFINITION_BYTES) })
    expect(userErrorText(() => preflight(patched(td), 'td.json', td))).toMatch(
      /bytes before the patch: it was already too large\); ECS accepts at most 65,536 bytes/
    )
  })

  it('passes a definition of exactly 64 KiB', () => {
    const td = patched(exampleTaskDefinition('fargate-web.json'))
    td.containerDefinitions[0]!.environment!.push({ name: 'BIG', value: '' })
    td.containerDefinitions[0]!.environment!.at(-1)!.value = 'x'.repeat(MAX_TASK_DEFINITION_BYTES - requestBytes(td))
    expect(requestBytes(td)).toBe(MAX_TASK_DEFINITION_BYTES)
    expect(() => preflight(td, 'td.json')).not.toThrow()
    td.containerDefinitions[0]!.environment!.at(-1)!.value += 'é'
    expect(() => preflight(td, 'td.json')).toThrow(/65,538 bytes/)
  })

  it.each([
    [
      'an option the router does not know',
      { Retry_Limt: '2' },
      /options in td\.json sets "Retry_Limt", which is not an option.*\nDid you mean Retry_Limit\?/s
    ],
    ['a Match of its own', { match: '*' }, /options in td\.json sets Match, which FireLens controls/],
    ['TLS verification off', { 'tls.verify': 'off' }, /options in td\.json sets tls\.verify to "off"/]
  ])('refuses %s already in a routed container of the file, with its path', (_what, extra, message) => {
    const td = exampleTaskDefinition('already-routed.json')
    const routed = td.containerDefinitions.find(c => c.logConfiguration?.logDriver === 'awsfirelens')!
    Object.assign(routed.logConfiguration!.options!, extra)
    const text = userErrorText(() => preflight(patched(td), 'td.json'))
    expect(text).toMatch(
      new RegExp(`^containerDefinitions\\[${routed.name}\\]\\.logConfiguration\\.options in td\\.json`)
    )
    expect(text).toMatch(message)
  })

  it('leaves the options of outputs other than datadog alone', () => {
    const td = patched(exampleTaskDefinition('fargate-web.json'))
    td.containerDefinitions.push({
      name: 'other',
      image: 'busybox',
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch_logs', log_group_name: '/x' } }
    })
    expect(() => preflight(td, 'td.json')).not.toThrow()
  })

  describe("option names follow the log router's Fluent Bit version", () => {
    const withRouter = (image: string, options: [string, string][]): TaskDefinition =>
      patchTaskDefinition(
        exampleTaskDefinition('fargate-web.json'),
        patchConfig({ logOptions: options, logRouter: { name: 'log-router', memory: 50, image } })
      ).taskDefinition

    it.each([
      ['dd_hostname', '3.1.0'],
      ['header', '3.2.0'],
      ['tls.verify_hostname', '3.1.0'],
      ['NET.TCP_KEEPALIVE', '3.2.0']
    ])(
      'refuses %s on an aws-for-fluent-bit 2.x router (Fluent Bit 1.9.10), with the end-of-life hint',
      (name, needs) => {
        const td = withRouter('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.3', [[name, 'on']])
        const text = userErrorText(() => preflight(td, 'td.json', undefined, { logOptionNames: [name] }))
        expect(text).toContain('Input `log-options` (in containerDefinitions[web].logConfiguration.options) sets')
        expect(text).toContain('aws-for-fluent-bit 2.32.3 bundles Fluent Bit 1.9.10')
        expect(text).toContain(`only from ${needs} on`)
        expect(text).toMatch(/end of life on 2026-06-30: set `log-router-image` to .*aws-for-fluent-bit:3\.4\.17/)
      }
    )

    it('names the file when the name was in the file, and refuses on an upstream fluent-bit image too', () => {
      const td = withRouter('fluent/fluent-bit:2.2', [])
      td.containerDefinitions[0]!.logConfiguration!.options!.dd_hostname = 'web'
      const text = userErrorText(() => preflight(td, 'td.json'))
      expect(text).toMatch(/^containerDefinitions\[web\]\.logConfiguration\.options in td\.json sets dd_hostname/)
      expect(text).toContain('fluent-bit 2.2, and Fluent Bit accepts dd_hostname only from 3.1.0 on')
      expect(text).toMatch(/Use a router image with Fluent Bit 3\.1\.0 or later/)
    })

    it('passes the names 1.9.10 has on a 2.x router, and every name on the pinned 3.x router', () => {
      const old = withRouter('amazon/aws-for-fluent-bit:2.32.3', [
        ['Workers', '2'],
        ['net.keepalive', 'on']
      ])
      expect(preflight(old, 'td.json')).toEqual([])
      const pinned = withRouter('public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17', [
        ['dd_hostname', 'web'],
        ['header', 'X-Team payments']
      ])
      expect(preflight(pinned, 'td.json')).toEqual([])
    })

    it("warns, naming the version, when the router's version is unknown and a name needs more than 1.9.10", () => {
      const td = withRouter('111122223333.dkr.ecr.us-east-1.amazonaws.com/acme/log-router:7', [
        ['dd_hostname', 'web'],
        ['Workers', '2']
      ])
      const warnings = preflight(td, 'td.json')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain('web: the datadog output sets dd_hostname, which Fluent Bit has only from 3.1.0 on')
      expect(warnings[0]).toContain('acme/log-router:7: an image this action does not recognise')
      const moving = withRouter('amazon/aws-for-fluent-bit:stable', [['header', 'X-Team payments']])
      expect(preflight(moving, 'td.json')[0]).toContain('only from 3.2.0 on')
    })
  })
})

describe('option values in the file', () => {
  const withOptions = (options: Record<string, string>): TaskDefinition => {
    const td = patched(exampleTaskDefinition('fargate-web.json'))
    const web = td.containerDefinitions[0]!
    web.logConfiguration = { ...web.logConfiguration, options: { ...web.logConfiguration!.options, ...options } }
    return td
  }
  const errorsOf = (td: TaskDefinition): UserError[] => {
    try {
      preflight(td, 'td.json')
    } catch (error) {
      if (error instanceof UserError) return [...userErrorsOf(error)]
      throw error
    }
    return []
  }

  it('refuses every value the router would refuse, each with the path of its option, in one run', () => {
    const td = withOptions({ Log_Level: 'verbose', 'storage.total_limit_size': 'lots', 'tls.key_file': '/k.pem' })
    delete td.executionRoleArn
    const errors = errorsOf(td)
    expect(errors.map(e => e.at?.path)).toEqual([
      undefined,
      expect.stringMatching(/logConfiguration\.options\.Log_Level$/),
      expect.stringMatching(/options\["storage\.total_limit_size"\]$/),
      expect.stringMatching(/options\["tls\.key_file"\]$/)
    ])
    expect(errors[0]!.message).toMatch(/no executionRoleArn/)
  })

  it('warns about values the router starts with but misreads, and about options that do nothing here', () => {
    const warnings = preflight(withOptions({ Retry_Limit: 'true', active: 'false' }), 'td.json')
    expect(warnings).toEqual([
      expect.stringMatching(/sets active, which the log router accepts on every output but which does nothing/),
      expect.stringMatching(/sets Retry_Limit to "true", which the log router does not read/)
    ])
  })

  it('leaves log-options entries to the input check, which names their line', () => {
    const td = withOptions({ Retry_Limit: 'true' })
    expect(preflight(td, 'td.json', undefined, { logOptions: [['retry_limit', 'true']] })).toEqual([])
  })
})
