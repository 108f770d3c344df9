import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../__fixtures__/user-error.js'
import { formatTags, mergeTags, parseExistingTags, parseTagsInput, splitList } from '../src/tags.js'

describe('the tags input', () => {
  it('takes key:value pairs separated by commas and/or newlines', () => {
    expect(parseTagsInput('env:prod, team:payments\nregion:jp\n\n').tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'payments' },
      { key: 'region', value: 'jp' }
    ])
  })

  it('keeps colons after the first one in the value', () => {
    expect(parseTagsInput('git.repository_url:https://github.com/acme/shop').tags).toEqual([
      { key: 'git.repository_url', value: 'https://github.com/acme/shop' }
    ])
  })

  it.each(['prod', ':prod', 'env:', 'team:pay ments'])('refuses %j', item => {
    expect(userErrorText(() => parseTagsInput(item))).toMatch(/`tags`/)
  })

  it('refuses control characters', () => {
    expect(userErrorText(() => parseTagsInput('env:pr\u0000od'))).toMatch(/control character/)
  })

  it('warns about what Datadog would rewrite', () => {
    expect(parseTagsInput('Env:Prod').warnings.join()).toMatch(/lower case/)
    expect(parseTagsInput('env:a%b').warnings.join()).toMatch(/converts/)
    expect(parseTagsInput('1env:a').warnings.join()).toMatch(/start with a letter/)
    expect(parseTagsInput('env:prod').warnings).toEqual([])
  })
})

describe('merging tags', () => {
  it('replaces the value of an existing key in place and appends new keys', () => {
    const merged = mergeTags(parseExistingTags('team:api,env:staging,legacy'), [
      { key: 'env', value: 'prod' },
      { key: 'tier', value: '1' }
    ])
    expect(formatTags(merged)).toBe('team:api,env:prod,legacy,tier:1')
  })

  it('is idempotent and never repeats a key', () => {
    const tag = fc.record({ key: fc.stringMatching(/^[a-z]{1,4}$/), value: fc.stringMatching(/^[a-z0-9]{1,4}$/) })
    fc.assert(
      fc.property(fc.array(tag), fc.array(tag), (existing, added) => {
        const once = mergeTags(existing, added)
        expect(mergeTags(once, added)).toEqual(once)
        expect(new Set(once.map(t => t.key)).size).toBe(once.length)
        expect(parseExistingTags(formatTags(once))).toEqual(once)
      })
    )
  })

  it('splits lists on commas and newlines, dropping blanks', () => {
    expect(splitList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c'])
  })
})
