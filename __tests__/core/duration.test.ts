import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../__fixtures__/user-error.js'
import { formatDuration, parseDuration } from '../../src/core/duration.js'

describe('durations as written in a workflow', () => {
  it.each([
    ['5m', 300_000],
    ['300s', 300_000],
    ['300', 300_000],
    ['90s', 90_000],
    ['1m30s', 90_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    [' 45S ', 45_000],
    ['1m 30s', 90_000],
    ['750ms', 750]
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, 'timeout')).toBe(ms)
  })

  it('reads a bare number as seconds, and a unit the same in any case', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 21_600 }), fc.constantFrom('s', 'S'), (n, unit) => {
        expect(parseDuration(String(n), 'timeout')).toBe(n * 1_000)
        expect(parseDuration(`${n}${unit}`, 'timeout')).toBe(n * 1_000)
      })
    )
  })

  it('adds up the parts, in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 1, max: 59 }),
        (h, m, s) => {
          expect(parseDuration(`${h}h${m}m${s}s`, 'timeout')).toBe(((h * 60 + m) * 60 + s) * 1_000)
          expect(parseDuration(`${s}s${m}m`, 'timeout')).toBe((m * 60 + s) * 1_000)
        }
      )
    )
  })

  it.each(['5 minutes', 'five', '-5m', '5d', '', 'm', '1e3'])(
    'refuses %j, naming the input and the accepted forms',
    text => {
      const message = userErrorText(() => parseDuration(text, 'settle'))
      expect(message).toContain('Input `settle`')
      expect(message).toContain('5m, 300s')
    }
  )

  it('refuses zero unless allowed, and more than a job may run', () => {
    expect(userErrorText(() => parseDuration('0s', 'timeout'))).toContain('longer than zero')
    expect(parseDuration('0', 'settle', { allowZero: true })).toBe(0)
    expect(userErrorText(() => parseDuration('7h', 'timeout'))).toContain('6 hours')
  })

  it('prints durations the way they are written', () => {
    expect(formatDuration(300_000)).toBe('5m')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_661_000)).toBe('1h1m1s')
    expect(formatDuration(0)).toBe('0ms')
    expect(formatDuration(1_000)).toBe('1s')
    expect(formatDuration(450)).toBe('450ms')
  })

  it('prints what it reads back to the same length, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 21_600 }), n => {
        expect(parseDuration(formatDuration(n * 1_000), 'timeout')).toBe(n * 1_000)
      })
    )
  })
})
