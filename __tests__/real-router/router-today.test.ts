// The real router (Fluent Bit 5.0.9) on what the patch writes without `multiline`: the baseline the "Whole logs"
// inputs change, and a check of the real-router fixture itself (records as the fluentd log driver sends them).
import { afterEach, describe, expect, it } from '@jest/globals'
import { exampleTaskDefinition, patchConfig } from '../../__fixtures__/patch-config.js'
import { realRouterSkipReason, startIntake, startRouter, type Intake } from '../../__fixtures__/real-router.mjs'
import { patchTaskDefinition } from '../../src/core/patch/patch-task-definition.js'

const skip = realRouterSkipReason()
if (skip) console.log(skip)
const describeRouter = skip ? describe.skip : describe

describeRouter('the real router, without multiline', () => {
  let intake: Intake | undefined
  afterEach(async () => {
    await intake?.close()
  })

  it('delivers a line over 16 KiB as one event per part, and single lines whole, with the ECS tags once', async () => {
    const { taskDefinition } = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), patchConfig())
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    try {
      await router.sendLines('web', ['hello', 'x'.repeat(40_000)])
      await intake.waitFor(events => events.length >= 4)
    } finally {
      await router.stop()
    }
    const messages = intake.events.map(e => e.message ?? '')
    expect(messages.map(m => m.length)).toEqual([5, 16_384, 16_384, 40_000 - 2 * 16_384])
    for (const event of intake.events) {
      expect(event.ddtags?.match(/cluster_name:/g)).toHaveLength(1)
      expect(event.service).toBe('web')
    }
  })

  it('parses JSON lines with parse-json (the image file /fluent-bit/configs/parse-json.conf)', async () => {
    const { taskDefinition } = patchTaskDefinition(
      exampleTaskDefinition('fargate-web.json'),
      patchConfig({ parseJson: true })
    )
    intake = await startIntake()
    const router = await startRouter({ taskDefinition, intake })
    try {
      await router.sendLines('web', ['{"message":"parsed","level":"info"}'])
      await intake.waitFor(events => events.length >= 1)
    } finally {
      await router.stop()
    }
    expect(intake.events[0]).toMatchObject({ message: 'parsed', level: 'info' })
    expect(router.grace()).toBe(30)
  })
})
