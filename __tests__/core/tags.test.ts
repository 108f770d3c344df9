import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../__fixtures__/user-error.js'
import { formatTags, mergeTags, parseExistingTags, parseTagsInput, splitList } from '../../src/core/tags.js'

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

  it.each(['équipe:paiements', 'チーム:決済', 'ñandú:sí', 'straße:nord'])(
    'accepts %j, a tag that starts with a Unicode letter, without a warning',
    item => {
      const { tags, warnings } = parseTagsInput(item)
      expect(warnings).toEqual([])
      expect(tags).toHaveLength(1)
    }
  )

  it.each(['_team:a', '-team:a', '9team:a', '/team:a', '.team:a'])(
    'still warns about %j, which starts with no letter',
    item => {
      expect(parseTagsInput(item).warnings.join()).toMatch(/start with a letter/)
    }
  )

  it('warns about an upper-case Unicode letter, which Datadog lowers', () => {
    expect(parseTagsInput('Équipe:paiements').warnings.join()).toMatch(/lower case/)
  })
})

describe('merging tags', () => {
  const tags = (text: string) => parseExistingTags(text)
  const merge = (existing: string, added: string): string => formatTags(mergeTags(tags(existing), tags(added)))

  it('keeps every value of a key the input does not mention, in place', () => {
    expect(merge('team:payments,env:staging,team:platform,legacy', 'env:prod')).toBe(
      'team:payments,env:prod,team:platform,legacy'
    )
    expect(merge('team:payments,team:platform', '')).toBe('team:payments,team:platform')
  })

  it("replaces all the existing values of a key the input gives, where the key's first value stood", () => {
    expect(merge('a:1,team:payments,b:2,team:platform,c:3', 'team:checkout')).toBe('a:1,team:checkout,b:2,c:3')
  })

  it('keeps several input values of one key, and appends a new key with its values together', () => {
    expect(merge('team:payments', 'team:checkout,region:jp,team:search')).toBe('team:checkout,team:search,region:jp')
    expect(merge('x:1', 'a:1,b:1,a:2')).toBe('x:1,a:1,a:2,b:1')
  })

  it('compares keys as Datadog stores them, in lower case', () => {
    expect(merge('Team:payments,env:staging', 'team:checkout')).toBe('team:checkout,env:staging')
  })

  it('drops exact duplicates only', () => {
    expect(merge('team:a,team:a,team:b,prod,prod', '')).toBe('team:a,team:b,prod')
    expect(merge('', 'team:a,team:a')).toBe('team:a')
  })

  const key = fc.constantFrom('team', 'Team', 'env', 'a', 'b')
  const tag = fc.record({ key, value: fc.stringMatching(/^[a-z0-9]{1,3}$/) })

  it('is idempotent, and a merge with no tags changes nothing but exact duplicates', () => {
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 8 }), fc.array(tag, { maxLength: 6 }), (existing, added) => {
        const once = mergeTags(existing, added)
        expect(mergeTags(once, added)).toEqual(once)
        expect(parseExistingTags(formatTags(once))).toEqual(once)
        const unique = existing.filter((t, i) => existing.findIndex(u => u.key === t.key && u.value === t.value) === i)
        expect(mergeTags(existing, [])).toEqual(unique)
      })
    )
  })

  it('keeps every tag of a key the input does not name, and exactly the input values of a key it names', () => {
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 8 }), fc.array(tag, { maxLength: 6 }), (existing, added) => {
        const merged = mergeTags(existing, added).map(t => formatTags([t]))
        const named = new Set(added.map(t => t.key.toLowerCase()))
        const text = (list: typeof existing) => [...new Set(list.map(t => formatTags([t])))]
        expect(merged.filter(t => !named.has(t.split(':')[0]!.toLowerCase()))).toEqual(
          text(existing.filter(t => !named.has(t.key.toLowerCase())))
        )
        expect(new Set(merged.filter(t => named.has(t.split(':')[0]!.toLowerCase())))).toEqual(new Set(text(added)))
      })
    )
  })

  it('splits lists on commas and newlines, dropping blanks', () => {
    expect(splitList(' a, b\n\nc ,')).toEqual(['a', 'b', 'c'])
  })
})

describe('existing dd_tags', () => {
  it.each(['prod', 'team:', ':x', ':', 'a:b:c'])('keep %j exactly as written', item => {
    expect(formatTags(parseExistingTags(`env:prod,${item}`))).toBe(`env:prod,${item}`)
  })
})
