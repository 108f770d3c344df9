import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { PATCH_INPUTS } from '../../../src/core/inputs/action-inputs.generated.js'
import { inputFlags, parseFlags, UsageError, type FlagSpec } from '../../../src/shells/cli/flags.js'

const SPECS: FlagSpec[] = [
  ...inputFlags(PATCH_INPUTS, ['tags', 'log-options']),
  { name: 'check', kind: 'switch', description: '' },
  { name: 'help', kind: 'switch', description: '' }
]
const parse = (...args: string[]) => parseFlags(args, SPECS)
const usage = (...args: string[]): string => {
  try {
    parse(...args)
  } catch (error) {
    if (error instanceof UsageError) return error.message
    throw error
  }
  throw new Error('expected a usage error')
}

describe('the flags of an action’s inputs', () => {
  it('are every input of action.yml, same name and default; true/false defaults make booleans', () => {
    const flags = inputFlags(PATCH_INPUTS)
    expect(flags.map(f => f.name)).toEqual(PATCH_INPUTS.map(i => i.name))
    expect(flags.find(f => f.name === 'register')).toMatchObject({ kind: 'boolean', default: 'true' })
    expect(flags.find(f => f.name === 'log-router-name')).toMatchObject({ kind: 'value', default: 'log-router' })
    expect(flags.find(f => f.name === 'task-definition')).toMatchObject({ kind: 'value', required: true })
  })

  it('take --name value and --name=value, the value read as the action reads its input (trimmed)', () => {
    const flags = parse('--site', ' eu1 ', '--service=web', '--version=1.2.3')
    expect(flags.input('site')).toBe('eu1')
    expect(flags.input('service')).toBe('web')
    expect(flags.input('version')).toBe('1.2.3')
    expect(flags.input('env')).toBe('')
  })

  it('take a boolean bare (true), negated (--no-name) or with a value the job validates', () => {
    expect(parse('--register').input('register')).toBe('true')
    expect(parse('--no-register').input('register')).toBe('false')
    expect(parse('--register', 'false', '--check').input('register')).toBe('false')
    expect(parse('--agent', '--check').input('agent')).toBe('true')
    expect(parse('--register=maybe').input('register')).toBe('maybe')
  })

  it('join a repeatable flag’s values with newlines, as one multi-line input', () => {
    const flags = parse('--log-options', 'Retry_Limit=2', '--log-options', 'compress=gzip\nWorkers=2')
    expect(flags.input('log-options')).toBe('Retry_Limit=2\ncompress=gzip\nWorkers=2')
  })

  it('refuse what is not a flag of the command, a repeated single value, and a missing value', () => {
    expect(usage('--task-defnition', 'x')).toBe('Unknown flag "--task-defnition". Did you mean --task-definition?')
    expect(usage('--site', 'eu1', '--site', 'us1')).toBe('--site is given twice: give it once (one value).')
    expect(usage('--site')).toBe('--site needs a value.')
    expect(usage('td.json')).toMatch(/^Unexpected argument "td.json"/)
    expect(usage('--check=yes')).toBe('--check takes no value.')
  })

  it('never repeat a key in a usage error, wherever it was typed', () => {
    const key = fc.stringMatching(/^[0-9a-f]{32}$|^[0-9a-f]{40}$/)
    fc.assert(
      fc.property(key, fc.constantFrom('%s', '--%s', '--%s=1', '-%s', '--x=%s'), (k, shape) => {
        const arg = shape.replace('%s', k)
        let message = ''
        try {
          parseFlags([arg], SPECS)
        } catch (error) {
          message = (error as Error).message
        }
        expect(message).not.toBe('')
        expect(message).not.toContain(k)
      })
    )
  })
})
