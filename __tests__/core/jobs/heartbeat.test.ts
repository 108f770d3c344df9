import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { startHeartbeat } from '../../../src/core/jobs/heartbeat.js'

afterEach(() => {
  jest.useRealTimers()
})

describe('the heartbeat during a long call', () => {
  it('prints what the step waits for after 8 s of silence, then every 8 s, and nothing while lines flow', () => {
    jest.useFakeTimers({ now: 0 })
    const printed: string[] = []
    const heartbeat = startHeartbeat(line => printed.push(line))
    heartbeat.waitingFor('ECS ListTasks')
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(2_000)
      heartbeat.beat()
    }
    expect(printed).toEqual([])
    jest.advanceTimersByTime(17_000)
    expect(printed).toEqual([
      '… still waiting for ECS ListTasks (28s since the start)',
      '… still waiting for ECS ListTasks (36s since the start)'
    ])
    heartbeat.stop()
    jest.advanceTimersByTime(60_000)
    expect(printed).toHaveLength(2)
  })
})
