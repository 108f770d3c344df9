// What `multiline`, `wait-for-router` and `log-router-grace` generate, run through the real router (Fluent Bit
// 5.0.9) the way the ECS agent runs it: the config container writes the file, the agent's main config @INCLUDEs it.
import { afterEach, describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../__fixtures__/patch-config.js'
import {
  realRouterSkipReason,
  startIntake,
  startRouter,
  type Intake,
  type IntakeEvent
} from '../../__fixtures__/real-router.mjs'
import type { TaskDefinition } from '../../src/core/definition/task-definition.js'
import type { PatchConfig } from '../../src/core/patch/config.js'
import { patchTaskDefinition } from '../../src/core/patch/patch-task-definition.js'
import { parseMultiline } from '../../src/core/router/multiline.js'

const skip = realRouterSkipReason()
if (skip) console.log(skip)
const describeRouter = skip ? describe.skip : describe

const JAVA = [
  'Exception in thread "main" java.lang.IllegalStateException: order 42 has no lines',
  '\tat com.example.orders.OrderService.total(OrderService.java:88)',
  '\tat com.example.orders.OrderController.show(OrderController.java:31)',
  'Caused by: java.lang.NullPointerException: lines',
  '\tat com.example.orders.Order.lines(Order.java:12)',
  '\t... 2 more'
]
const PYTHON = [
  'Traceback (most recent call last):',
  '  File "/app/worker.py", line 14, in <module>',
  '    main()',
  '  File "/app/worker.py", line 10, in main',
  '    raise ValueError("queue is empty")',
  'ValueError: queue is empty'
]
const GO = [
  'panic: runtime error: index out of range [3] with length 3',
  '',
  'goroutine 1 [running]:',
  'main.handler(...)',
  '\t/app/main.go:12 +0x1d',
  'main.main()',
  '\t/app/main.go:7 +0x25'
]
const RUBY = [
  "/app/app.rb:3:in `/': divided by 0 (ZeroDivisionError)",
  "\tfrom /app/app.rb:3:in `divide'",
  "\tfrom /app/app.rb:6:in `<main>'"
]

function task(...names: string[]): TaskDefinition {
  const td = exampleTaskDefinition('fargate-web.json')
  const app = td.containerDefinitions[0]!
  td.containerDefinitions = names.map(name => ({ ...structuredClone(app), name, portMappings: [] }))
  return td
}

const whole = (multiline: string, more: Partial<PatchConfig> = {}, waitForRouter = false, grace?: number) =>
  patchConfig({ wholeLogs: { multiline: parseMultiline(multiline), waitForRouter, grace }, ...more })

const messagesOf = (events: IntakeEvent[], service: string) =>
  events.filter(e => e.service === service).map(e => e.message ?? '')

/** Each ECS tag once: the agent's record_modifier runs again on what a multiline filter re-emits. */
function expectTagsOnce(events: IntakeEvent[]): void {
  for (const event of events) {
    for (const tag of ['cluster_name:', 'task_arn:', 'task_family:', 'container_name:']) {
      expect({ tag, count: event.ddtags?.split(tag).length ?? 0 }).toEqual({ tag, count: 2 })
    }
  }
}

describeRouter('whole logs through the real router', () => {
  let intake: Intake | undefined
  afterEach(async () => {
    await intake?.close()
  })

  it('partial: a 40 000- and a 16 384-character line arrive whole; single lines and other containers untouched', async () => {
    const td = task('web', 'worker')
    // Only web is rejoined; worker's services are set apart by their own dd_service.
    const { taskDefinition } = patchTaskDefinition(td, whole('web=partial'))
    taskDefinition.containerDefinitions[1]!.logConfiguration!.options!.dd_service = 'worker'
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    expect(router.initRuns).toEqual([expect.objectContaining({ name: 'datadog-firelens-config', status: 0 })])
    try {
      await router.sendLines('web', [
        'first',
        'a'.repeat(40_000),
        { log: 'b'.repeat(20_000), source: 'stderr' },
        'c'.repeat(16_384),
        'last'
      ])
      await router.sendLines('worker', ['d'.repeat(40_000), 'worker line'])
      await intake.waitFor(events => messagesOf(events, 'web').length >= 5 && messagesOf(events, 'worker').length >= 4)
    } finally {
      await router.stop()
    }
    const web = messagesOf(intake.events, 'web')
    expect(web.map(m => m.length).sort((a, b) => a - b)).toEqual([4, 5, 16_384, 20_000, 40_000])
    expect(web).toContain('a'.repeat(40_000))
    expect(web).toContain('c'.repeat(16_384))
    expect(web).toContain('first')
    // worker has no filter: its long line still arrives in the runtime's parts.
    expect(messagesOf(intake.events, 'worker').map(m => m.length)).toEqual([16_384, 16_384, 7_232, 11])
    for (const event of intake.events.filter(e => e.service === 'web')) {
      expect(Object.keys(event).filter(k => k.startsWith('partial_'))).toEqual([])
    }
    expectTagsOnce(intake.events)
  })

  it('java, python, go and ruby stack traces arrive as one event each, no line twice, the ECS tags once', async () => {
    const { taskDefinition } = patchTaskDefinition(
      task('java', 'python', 'go', 'ruby'),
      whole('java=java, python=python, go=go, ruby=ruby')
    )
    for (const c of taskDefinition.containerDefinitions) {
      if (c.logConfiguration?.options) c.logConfiguration.options.dd_service = c.name
    }
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    const traces: Record<string, string[]> = { java: JAVA, python: PYTHON, go: GO, ruby: RUBY }
    try {
      for (const [name, lines] of Object.entries(traces)) {
        await router.sendLines(name, ['before the trace', ...lines, 'after the trace', 'x'.repeat(30_000), 'end'])
      }
      await intake.waitFor(events => Object.keys(traces).every(name => messagesOf(events, name).length >= 5), 20_000)
      // Anything more (a line twice) would arrive within the flush interval.
      await new Promise(resolve => setTimeout(resolve, 2500))
    } finally {
      await router.stop()
    }
    for (const [name, lines] of Object.entries(traces)) {
      // A long line is compared by its length (a diff of 30 000 x's says nothing).
      const messages = messagesOf(intake.events, name).map(m => (m.length > 1000 ? m.length : m))
      expect({ name, messages }).toEqual({
        name,
        messages: ['before the trace', lines.join('\n'), 'after the trace', 30_000, 'end']
      })
    }
    expectTagsOnce(intake.events)
  })

  it('parse-json folded in: a JSON line split by the runtime is parsed whole, after the joining', async () => {
    const { taskDefinition } = patchTaskDefinition(task('web'), whole('partial', { parseJson: true }))
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    const payload = 'p'.repeat(20_000)
    try {
      await router.sendLines('web', [JSON.stringify({ message: 'big', payload }), '{"message":"small","level":"warn"}'])
      await intake.waitFor(events => events.length >= 2)
    } finally {
      await router.stop()
    }
    expect(intake.events.map(e => [e.message, e.payload ?? e.level])).toEqual([
      ['big', payload],
      ['small', 'warn']
    ])
    expectTagsOnce(intake.events)
  })

  it("keeps the router's own config file: @INCLUDEd after the generated filters", async () => {
    const td = task('web')
    td.containerDefinitions.push({
      name: 'log-router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.17',
      essential: true,
      firelensConfiguration: {
        type: 'fluentbit',
        options: { 'config-file-type': 'file', 'config-file-value': '/fluent-bit/etc/extra.conf' }
      },
      memoryReservation: 50
    })
    const { taskDefinition } = patchTaskDefinition(td, whole('java'))
    intake = await startIntake()
    const router = await startRouter({
      taskDefinition,
      intake,
      files: {
        '/fluent-bit/etc/extra.conf': '[FILTER]\n    Name record_modifier\n    Match *\n    Record team payments\n'
      }
    })
    try {
      await router.sendLines('web', [...JAVA, 'done'])
      await intake.waitFor(events => events.length >= 2)
    } finally {
      await router.stop()
    }
    expect(intake.events.map(e => [e.message, e.team])).toEqual([
      [JAVA.join('\n'), 'payments'],
      ['done', 'payments']
    ])
    expectTagsOnce(intake.events)
  })

  it('Grace in effect, the last lines flushed on SIGTERM, and the health check passes', async () => {
    const { taskDefinition } = patchTaskDefinition(task('web'), whole('off', {}, true, 7))
    const router_ = taskDefinition.containerDefinitions.find(c => c.name === 'log-router')!
    expect(router_.stopTimeout).toBe(12)
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    expect(router.grace()).toBe(7)
    expect(router.healthCheck()).toBe(0)
    await router.sendLines('web', ['written just before the stop'])
    const stopped = await router.stop()
    expect(stopped.log).toMatch(/service will shutdown in max 7 seconds/)
    expect(intake.events.map(e => e.message)).toEqual(['written just before the stop'])
  })
})
