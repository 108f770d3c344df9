import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { OptionMap } from '../../../src/core/patch/options.js'

describe('OptionMap', () => {
  it('finds, replaces and removes a name whatever its case, keeping one key per name', () => {
    const options = OptionMap.fromRecord({ host: 'a', TLS: 'off', Host: 'b' })
    expect(options.get('HOST')).toBe('b')
    expect(options.keyOf('host')).toBe('Host')
    options.set('tls', 'on')
    expect(options.toRecord()).toEqual({ Host: 'b', tls: 'on' })
    expect(options.delete('HoSt')).toBe('b')
    expect(options.has('host')).toBe(false)
  })

  it('lists every spelling of a name as written, which the map itself folds into one', () => {
    const record = { apikey: 'k1', Name: 'datadog', APIKey: 'k2', ApiKey: 3 }
    expect(OptionMap.spellings(record, 'APIKEY')).toEqual([
      ['apikey', 'k1'],
      ['APIKey', 'k2'],
      ['ApiKey', '3']
    ])
    expect(OptionMap.duplicateSpellings({ host: 'a', Host: 'b', TLS: 'on', tls: 'on', Name: 'x' })).toEqual([
      ['host', 'Host'],
      ['TLS', 'tls']
    ])
  })

  it('puts the names of `order` first, in that order, and the others after in insertion order', () => {
    const options = new OptionMap([
      ['zeta', '1'],
      ['DD_SOURCE', 'java'],
      ['alpha', '2'],
      ['Name', 'datadog']
    ])
    expect(Object.keys(options.toRecord(['name', 'dd_service', 'dd_source']))).toEqual([
      'Name',
      'DD_SOURCE',
      'zeta',
      'alpha'
    ])
  })

  it('serializes the same names to the same order, whatever order they were set in', () => {
    const name = fc.constantFrom('Name', 'host', 'dd_source', 'Retry_Limit', 'x', 'y')
    fc.assert(
      fc.property(fc.uniqueArray(name, { selector: n => n.toLowerCase() }), names => {
        const order = ['name', 'host', 'dd_source', 'retry_limit']
        const forward = new OptionMap(names.map(n => [n, 'v'] as const)).toRecord(order)
        const known = names.filter(n => order.includes(n.toLowerCase()))
        const reversed = new OptionMap([...known].reverse().map(n => [n, 'v'] as const))
        for (const n of names.filter(n => !order.includes(n.toLowerCase()))) reversed.set(n, 'v')
        expect(Object.keys(reversed.toRecord(order))).toEqual(Object.keys(forward))
      })
    )
  })
})
