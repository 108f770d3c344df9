import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { findDatadogKeys, isDatadogKey } from '../../src/core/datadog-key.js'

describe('what a Datadog key looks like', () => {
  it('is 32 (API key) or 40 (application key) hex characters, in any case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^([0-9a-fA-F]{32}|[0-9a-fA-F]{40})$/), key => {
        expect(isDatadogKey(key)).toBe(true)
        expect(findDatadogKeys(`header=DD-API-KEY: ${key}`)).toEqual([key])
      })
    )
  })

  it('is not a longer or shorter hex run, such as a SHA-256 or a short id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }).filter(n => n !== 32 && n !== 40),
        n => {
          const hex = 'ab12'.repeat(20).slice(0, n)
          expect(isDatadogKey(hex)).toBe(false)
          expect(findDatadogKeys(`x=${hex}`)).toEqual([])
        }
      )
    )
  })

  it('finds each key once, wherever it sits in the text', () => {
    const key = 'f00dfeedf00dfeedf00dfeedf00dfeed'
    expect(findDatadogKeys(`a=${key}\nb=x${key}-y\napikey: ${key}`)).toEqual([key])
  })
})
