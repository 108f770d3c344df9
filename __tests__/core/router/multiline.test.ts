import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { MULTILINE_LANGUAGES, multilineByContainer, parseMultiline } from '../../../src/core/router/multiline.js'

describe('the multiline input', () => {
  it('off (or empty) asks for nothing; partial or a language is for every routed container', () => {
    expect(parseMultiline('off')).toEqual({ containers: [] })
    expect(parseMultiline('')).toEqual({ containers: [] })
    expect(parseMultiline('Partial')).toEqual({ all: 'partial', containers: [] })
    for (const language of MULTILINE_LANGUAGES) {
      expect(parseMultiline(language.toUpperCase())).toEqual({ all: language, containers: [] })
    }
  })

  it('per container, with commas and/or newlines, a bare value for the others and off to leave one out', () => {
    expect(parseMultiline('web=java, worker=python')).toEqual({
      containers: [
        ['web', 'java'],
        ['worker', 'python']
      ]
    })
    const setting = parseMultiline('partial\nweb = go\r\nbatch=off')
    expect(multilineByContainer(setting, ['web', 'worker', 'batch'])).toEqual([
      ['web', 'go'],
      ['worker', 'partial']
    ])
    // web=off alone means nothing.
    expect(parseMultiline('web=off')).toEqual({ containers: [] })
  })

  it('refuses what Fluent Bit would not join, with the list', () => {
    expect(userErrorText(() => parseMultiline('kotlin'))).toMatch(/not off, partial or a language \(java, python/)
    expect(userErrorText(() => parseMultiline('docker'))).toMatch(/runtime's log files/)
    expect(userErrorText(() => parseMultiline('web=java, web=go'))).toMatch(/names web twice/)
    expect(userErrorText(() => parseMultiline('java, partial'))).toMatch(/two values for every container/)
    expect(userErrorText(() => parseMultiline('we b=java'))).toMatch(/not a valid container name/)
    expect(userErrorText(() => multilineByContainer(parseMultiline('api=java'), ['web']))).toMatch(
      /"api", which is not a container this step routes/
    )
  })

  it('every container gets exactly the mode the input says, whatever the order and case (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/)
    const mode = fc.constantFrom('partial', ...MULTILINE_LANGUAGES)
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, mode), { selector: ([n]) => n, maxLength: 6 }), entries => {
        const text = entries.map(([n, m]) => `${n}=${m.toUpperCase()}`).join(',\n')
        const routed = entries.map(([n]) => n)
        expect(multilineByContainer(parseMultiline(text), routed)).toEqual(entries)
      })
    )
  })
})
