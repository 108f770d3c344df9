import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  FARGATE_SIZES,
  formatFargateSize,
  memoryParts,
  nearestFargateSize,
  taskMemoryMiB
} from '../../src/core/task-memory.js'

describe('task memory', () => {
  it('reads task memory in MiB or GB', () => {
    expect(taskMemoryMiB('1024')).toBe(1024)
    expect(taskMemoryMiB('2 GB')).toBe(2048)
    expect(taskMemoryMiB(512)).toBe(512)
    expect(taskMemoryMiB(undefined)).toBeUndefined()
  })

  it('counts the reservation first, then the hard limit, naming the field', () => {
    expect(
      memoryParts([{ name: 'a', memory: 512 }, { name: 'b', memory: 512, memoryReservation: 128 }, { name: 'c' }])
    ).toEqual([
      { container: 'a', field: 'memory', mib: 512 },
      { container: 'b', field: 'memoryReservation', mib: 128 }
    ])
  })

  it('finds the smallest Fargate size that holds the memory, with every cpu valid for it', () => {
    expect(nearestFargateSize(562)).toEqual({ memory: 1024, cpu: [256, 512] })
    expect(nearestFargateSize(2048)).toEqual({ memory: 2048, cpu: [256, 512, 1024] })
    expect(nearestFargateSize(8242)).toEqual({ memory: 9216, cpu: [2048, 4096] })
    expect(nearestFargateSize(30770)).toEqual({ memory: 32768, cpu: [8192, 16384] })
    expect(nearestFargateSize(122881)).toBeUndefined()
    expect(formatFargateSize({ memory: 1024, cpu: [256, 512] })).toBe('"memory": "1024" with "cpu": "256" or "512"')
  })

  it('the nearest size holds the memory, is a valid pair, and no smaller size would', () => {
    const all = FARGATE_SIZES.flatMap(s => s.memory.map(m => [s.cpu, m] as const))
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 122880 }), mib => {
        const size = nearestFargateSize(mib)!
        expect(size.memory).toBeGreaterThanOrEqual(mib)
        for (const cpu of size.cpu) expect(all).toContainEqual([cpu, size.memory])
        expect(all.some(([, m]) => m >= mib && m < size.memory)).toBe(false)
      })
    )
  })
})
