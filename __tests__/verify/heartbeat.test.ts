import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { startHeartbeat } from '../../src/verify/heartbeat.js'

afterEach(() => {
  jest.useRealTimers()
})

describe('the heartbeat during a long call', () => {
  it('prints what the step waits for after 10 s of silence, then every 10 s, and nothing while lines flow', () => {
    jest.useFakeTimers({ now: 0 })
    const printed: string[] = []
    const heartbeat = startHeartbeat(line => printed.push(line))
    heartbeat.waitingFor('ECS ListTasks')
    for (let i = 0; i < 8; i++) {
      jest.advanceTimersByTime(2_500)
      heartbeat.beat()
    }
    expect(printed).toEqual([])
    jest.advanceTimersByTime(25_000)
    expect(printed).toEqual([
      '… still waiting for ECS ListTasks (30s since the start)',
      '… still waiting for ECS ListTasks (40s since the start)'
    ])
    heartbeat.stop()
    jest.advanceTimersByTime(60_000)
    expect(printed).toHaveLength(2)
  })
})
