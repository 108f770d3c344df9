import { describe, expect, it } from '@jest/globals'
import { editDistance, suggest } from '../../../src/core/checks/suggest.js'

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['memoryreservaton', 'memoryreservation', 1],
    ['ab', 'ba', 1],
    ['logcnofiguration', 'logconfiguration', 1],
    ['ca', 'abc', 3]
  ])('%s → %s is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
    expect(editDistance(b, a)).toBe(d)
  })
})

describe('suggest', () => {
  it('prefers the name equal but for case, - and _', () => {
    expect(suggest('retry-limit', ['Retry_Limit', 'retry_limitx'])).toBe('Retry_Limit')
  })

  it('takes the closest name within one edit in three characters, else nothing', () => {
    expect(suggest('Retry_Limt', ['Retry_Limit', 'Workers'])).toBe('Retry_Limit')
    expect(suggest('zzzzzz', ['Retry_Limit', 'Workers'])).toBeUndefined()
  })
})
