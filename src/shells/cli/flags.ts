import { suggest } from '../../core/checks/suggest.js'
import { findDatadogKeys } from '../../core/datadog-key.js'
import type { ActionInput } from '../../core/inputs/action-inputs.generated.js'

/**
 * One flag of a command. An action input becomes a flag of the same name (`kind` 'value', or 'boolean' when its
 * default is true or false); a CLI-only switch such as --check takes no value.
 */
export interface FlagSpec {
  readonly name: string
  readonly description: string
  readonly kind: 'value' | 'boolean' | 'switch'
  readonly required?: boolean
  readonly default?: string
  /** May be given more than once; the values are joined with newlines, as the input's lines. */
  readonly repeatable?: boolean
  /** What the value is, for --help (e.g. FILE). */
  readonly placeholder?: string
  /** The input of action.yml this flag is (undefined for a CLI-only flag). */
  readonly input?: boolean
}

/** A wrong command line: exit code 2, with the command's --help named. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The flags of an action's inputs, in action.yml's order; `repeatable` names the list inputs. */
export function inputFlags(inputs: readonly ActionInput[], repeatable: readonly string[] = []): FlagSpec[] {
  return inputs.map(input => ({
    name: input.name,
    description: input.description,
    kind: input.default === 'true' || input.default === 'false' ? 'boolean' : 'value',
    required: input.required,
    ...(input.default !== undefined ? { default: input.default } : {}),
    ...(repeatable.includes(input.name) ? { repeatable: true } : {}),
    input: true
  }))
}

/** The parsed command line: each flag given, by name, with its values in order. */
export class ParsedFlags {
  constructor(readonly values: ReadonlyMap<string, readonly string[]>) {}

  has(name: string): boolean {
    return this.values.has(name)
  }

  /** The value as the action reads its input: repeated values joined with newlines, trimmed; '' when not given. */
  input(name: string): string {
    return (this.values.get(name) ?? []).join('\n').trim()
  }

  /** A switch: given or not. */
  on(name: string): boolean {
    return this.values.has(name)
  }
}

/**
 * GNU-style flags: `--name value`, `--name=value`; a boolean input also bare (`--register` is true) or negated
 * (`--no-register`); `-h` is --help. No positional arguments: every input has its name.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map(spec => [spec.name, spec]))
  const values = new Map<string, string[]>()
  const add = (spec: FlagSpec, value: string): void => {
    const list = values.get(spec.name) ?? []
    if (list.length > 0 && !spec.repeatable)
      throw new UsageError(`--${spec.name} is given twice: give it once${spec.kind === 'value' ? ' (one value)' : ''}.`)
    list.push(value)
    values.set(spec.name, list)
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '-h') {
      add(byName.get('help')!, '')
      continue
    }
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(
        arg.startsWith('-')
          ? `Unknown option ${quoted(arg)}: flags are written --name.`
          : `Unexpected argument ${quoted(arg)}: every value follows its flag, e.g. --task-definition ${quoted(arg)}.`
      )
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    const inline = eq < 0 ? undefined : arg.slice(eq + 1)
    const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined
    if (negated?.kind === 'boolean' && !byName.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value.`)
      add(negated, 'false')
      continue
    }
    const spec = byName.get(name)
    if (!spec) {
      const close = suggest(name, [...byName.keys()])
      throw new UsageError(`Unknown flag ${quoted(`--${name}`)}.${close ? ` Did you mean --${close}?` : ''}`)
    }
    if (spec.kind === 'switch') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value.`)
      add(spec, '')
      continue
    }
    if (inline !== undefined) {
      add(spec, inline)
      continue
    }
    const next = args[i + 1]
    // A bare boolean is true; a value after it is validated by the job as the action validates its input.
    if (spec.kind === 'boolean' && (next === undefined || next.startsWith('--'))) {
      add(spec, 'true')
      continue
    }
    if (next === undefined || (next.startsWith('--') && next.length > 2)) {
      throw new UsageError(`--${name} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ''}.`)
    }
    add(spec, next)
    i++
  }
  return new ParsedFlags(values)
}

/** An argument in a message: never long, never a line break, and never a key. */
function quoted(arg: string): string {
  if (findDatadogKeys(arg).length > 0) return '(not shown: it holds what looks like a Datadog key)'
  const one = arg.replace(/\s+/g, ' ')
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 60)}…` : one)
}
