import { describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../__fixtures__/patch-config.js'
import { userErrorText } from '../../__fixtures__/user-error.js'
import { patchTaskDefinition } from '../../src/patch/patch-task-definition.js'
import { preflight, taskMemoryMiB } from '../../src/checks/preflight.js'
import type { TaskDefinition } from '../../src/task-definition.js'

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

  it('refuses a Fargate task whose containers do not fit its memory, with the numbers', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions[0]!.memoryReservation = 1000
    const text = userErrorText(() => preflight(patched(td), 'td.json'))
    expect(text).toContain('reserve 1050 MiB (web 1000, log-router 50)')
    expect(text).toContain('1024 MiB')
    expect(text).toMatch(/log-router-memory/)
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
})
