// `multiline`, `wait-for-router` and `log-router-grace` through the bundle (dist/index.js), as a runner runs it: what
// the task definition gets, a second run on the output, turning them off, a refusal; and the output run through the
// real router (when there is one), the way ECS would run that revision.
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { realRouterSkipReason, startIntake, startRouter, type Intake } from '../../__fixtures__/real-router.mjs'
import { runAction, type RunActionResult } from './run-action.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

const TASK: Json = {
  family: 'orders',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  containerDefinitions: [
    { name: 'web', image: 'web:1', essential: true, memoryReservation: 256 },
    { name: 'worker', image: 'worker:1', essential: true, memoryReservation: 256 }
  ]
}
const file = (td: Json | string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'dd-firelens-whole-')), 'task-definition.json')
  writeFileSync(path, typeof td === 'string' ? td : JSON.stringify(td, null, 2))
  return path
}
const run = (td: Json | string, extra: Record<string, string> = {}): Promise<RunActionResult> =>
  runAction(
    {
      'task-definition': file(td),
      site: 'ap1',
      'api-key-secret': '/prod/DATADOG_API_KEY',
      register: 'false',
      'git-metadata': 'false',
      ...extra
    },
    { env: NO_REGION }
  )
const outputText = (result: RunActionResult): string => readFileSync(result.outputs['task-definition']!, 'utf8')
const byName = (td: Json, name: string): Json => td.containerDefinitions.find((c: Json) => c.name === name)
const WHOLE = { multiline: 'web=java, worker=python', 'wait-for-router': 'true', 'log-router-grace': '20' }

describe('whole logs through the bundle', () => {
  it('adds the config container, volume, dependencies and health check; the summary says so', async () => {
    const result = await run(TASK, WHOLE)
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' })
    const td = JSON.parse(outputText(result)) as Json
    expect(td.containerDefinitions.map((c: Json) => c.name)).toEqual([
      'web',
      'worker',
      'log-router',
      'datadog-firelens-config'
    ])
    expect(td.volumes).toEqual([{ name: 'datadog-firelens-config' }])
    expect(byName(td, 'log-router')).toMatchObject({
      stopTimeout: 25,
      dependsOn: [{ containerName: 'datadog-firelens-config', condition: 'SUCCESS' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -fs http://127.0.0.1:2020/api/v1/uptime || exit 1'] }
    })
    expect(byName(td, 'web').dependsOn).toEqual([{ containerName: 'log-router', condition: 'HEALTHY' }])
    expect(result.summary).toMatch(/datadog-firelens-config.*config added/)
  })

  it('a second run on its output changes nothing, byte for byte; turning the inputs off removes what they added', async () => {
    const without = await run(TASK)
    const first = await run(TASK, WHOLE)
    const second = await run(outputText(first), WHOLE)
    expect(second.code).toBe(0)
    expect(outputText(second)).toBe(outputText(first))
    const off = await run(outputText(first))
    expect(off.code).toBe(0)
    expect(outputText(off)).toBe(outputText(without))
  })

  it('refuses an aws-for-fluent-bit 2.x router before anything is written', async () => {
    const td = structuredClone(TASK)
    td.containerDefinitions.push({
      name: 'log_router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2',
      essential: true,
      firelensConfiguration: { type: 'fluentbit' },
      memoryReservation: 50
    })
    const result = await run(td, { multiline: 'java' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(
      /::error .*needs a log router on Fluent Bit 2 or later, but aws-for-fluent-bit 2\.32\.2 bundles Fluent Bit 1\.9\.10/
    )
    expect(result.outputs['task-definition']).toBeUndefined()
  })

  const skip = realRouterSkipReason()
  if (skip) console.log(skip)
  const itRouter = skip ? it.skip : it
  let intake: Intake | undefined
  afterEach(async () => {
    await intake?.close()
  })

  itRouter('the registered-to-be revision runs on the real router: traces joined, healthy, Grace 20', async () => {
    const result = await run(TASK, WHOLE)
    const td = JSON.parse(outputText(result)) as Json
    intake = await startIntake()
    const router = await startRouter({ taskDefinition: td as never, intake })
    try {
      expect(router.grace()).toBe(20)
      expect(router.healthCheck()).toBe(0)
      await router.sendLines('worker', [
        'Traceback (most recent call last):',
        '  File "/w.py", line 1, in <module>',
        'KeyError: 1'
      ])
      await router.sendLines('web', ['Exception in thread "main" java.lang.Error: x', '\tat A.b(A.java:1)'])
      await intake.waitFor(events => events.length >= 2)
    } finally {
      await router.stop()
    }
    expect(intake.events.map(e => e.message).sort()).toEqual([
      'Exception in thread "main" java.lang.Error: x\n\tat A.b(A.java:1)',
      'Traceback (most recent call last):\n  File "/w.py", line 1, in <module>\nKeyError: 1'
    ])
  })
})
