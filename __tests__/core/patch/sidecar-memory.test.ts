import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { sidecarMemory, type SidecarReservation } from '../../../src/core/patch/sidecar-memory.js'

const task = (memory: string | undefined, app: Record<string, number>, fargate = true): TaskDefinition => ({
  family: 'web',
  ...(fargate ? { requiresCompatibilities: ['FARGATE'], cpu: '256' } : {}),
  ...(memory === undefined ? {} : { memory }),
  containerDefinitions: [{ name: 'web', image: 'web:1', ...app }]
})
const router = (mib: number, explicit = false): SidecarReservation => ({
  container: 'log-router',
  input: 'log-router-memory',
  mib,
  explicit
})

describe('the memory reservation of an added sidecar', () => {
  it('keeps the reservation when it fits', () => {
    expect(sidecarMemory(task('1024', { memoryReservation: 512 }), router(50))).toEqual({ memoryReservation: 50 })
    expect(sidecarMemory(task(undefined, { memory: 512 }, false), router(50))).toEqual({ memoryReservation: 50 })
  })

  it.each([
    ['512', { memory: 512 }, 'memory 512', 562, '"memory": "1024" with "cpu": "256" or "512"'],
    ['512', { memoryReservation: 512 }, 'memoryReservation 512', 562, '"memory": "1024"'],
    ['1024', { memory: 1024 }, 'memory 1024', 1074, '"memory": "2048" with "cpu": "256" or "512" or "1024"'],
    [
      '4096',
      { memoryReservation: 4090 },
      'memoryReservation 4090',
      4140,
      '"memory": "5120" with "cpu": "1024" or "2048"'
    ]
  ])(
    'drops the default when a Fargate task of %s MiB is full (%j), with the numbers and the nearest size',
    (memory, app, part, need, size) => {
      const result = sidecarMemory(task(memory, app), router(50))
      expect(result.memoryReservation).toBeUndefined()
      expect(result.warning).toContain(
        `log-router: added without a memoryReservation, sharing the task's memory: the task's memory is ${memory} MiB and its containers already reserve`
      )
      expect(result.warning).toContain(`(web ${part})`)
      expect(result.warning).toContain(`a Fargate size of at least ${need} MiB (${size}`)
      expect(result.warning).toContain('set `log-router-memory: 50`')
    }
  )

  it('drops the default on EC2 with a task-level memory too, and says how much memory it needs', () => {
    const result = sidecarMemory(task('512', { memory: 512 }, false), router(50))
    expect(result).toEqual({ warning: expect.stringContaining('a task-level "memory" of at least 562 MiB') })
  })

  it('refuses a reservation the user set that does not fit, with the numbers and the nearest size', () => {
    const text = userErrorText(() => sidecarMemory(task('512', { memory: 512 }), router(64, true)))
    expect(text).toContain(
      "Input `log-router-memory` reserves 64 MiB for log-router, which does not fit: the task's memory is 512 MiB and its containers already reserve 512 MiB (web memory 512), so 576 MiB would be needed."
    )
    expect(text).toContain('a Fargate size of at least 576 MiB ("memory": "1024" with "cpu": "256" or "512")')
    expect(text).toContain('set it to 0')
  })

  it('0 means no reservation, and is refused on EC2 without a task-level memory', () => {
    expect(sidecarMemory(task('512', { memory: 512 }), router(0, true))).toEqual({})
    expect(sidecarMemory(task('2048', {}, false), router(0, true))).toEqual({})
    const agent: SidecarReservation = { container: 'datadog-agent', input: 'agent-memory', mib: 0, explicit: true }
    const text = userErrorText(() => sidecarMemory(task(undefined, { memory: 512 }, false), agent))
    expect(text).toContain('Input `agent-memory` is 0 (no memory reservation), but the task has no task-level "memory"')
    expect(text).toContain('datadog-agent would have neither')
  })

  it('never lets the reservations exceed the task memory, and never drops one that fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 512, max: 30720 }),
        fc.integer({ min: 0, max: 30720 }),
        fc.integer({ min: 1, max: 2048 }),
        (memory, app, mib) => {
          const td = task(String(memory), { memoryReservation: app })
          if (app > memory) return
          const result = sidecarMemory(td, router(mib))
          if (app + mib <= memory) expect(result).toEqual({ memoryReservation: mib })
          else expect(result.memoryReservation).toBeUndefined()
        }
      )
    )
  })
})
