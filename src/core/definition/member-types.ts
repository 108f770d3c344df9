/**
 * Values checked against the member types of ECS's model (ecs-shape.generated.ts). The AWS SDK sends a value of the
 * wrong type as it is and ECS refuses the request ("STRING_VALUE can not be converted to an Integer"), or, for a
 * structure where a list belongs, the SDK itself fails: both only once the workflow reaches AWS, never in a dry run.
 *
 * One lenient rule, because YAML makes the mistake for the user: where ECS wants a string and the file has a number
 * or a boolean (`cpu: 256`, an environment `value: true`), the value becomes that string and the caller says so in a
 * notice. Everything else of the wrong type is an error naming its path.
 */
import { ECS_ROOT_SHAPE, ECS_SHAPES } from './ecs-shape.generated.js'
import { isPlainObject, itemPaths, memberPath } from './json-path.js'

/**
 * A YAML number or boolean as it was written, where its text differs from the value's (`1.10`, `0755`, `TRUE`,
 * `1e3`): a string member then gets the text the user wrote, not `"1.1"`. task-definition.ts wraps such scalars
 * before the YAML document becomes plain data; conformToEcsModel unwraps every one of them.
 */
export class WrittenScalar {
  constructor(
    readonly value: number | boolean,
    readonly source: string
  ) {}
}

/** The shape of a member, from its kind in ecs-shape.generated.ts. */
export type MemberKind =
  | { type: 'string' | 'number' | 'boolean' | 'timestamp' }
  | { type: 'list'; element: string }
  | { type: 'map'; value: string }
  | { type: 'structure'; name: string; members: Readonly<Record<string, string>> }

const SCALARS = ['string', 'number', 'boolean', 'timestamp'] as const

export function memberKind(kind: string): MemberKind {
  if (kind.endsWith('[]')) return { type: 'list', element: kind.slice(0, -2) }
  const map = /^map<(.+)>$/.exec(kind)
  if (map) return { type: 'map', value: map[1]! }
  const scalar = SCALARS.find(s => s === kind)
  if (scalar) return { type: scalar }
  // The generated table names only kinds it defines; a miss is a bug in the generator, not in the input.
  if (!Object.hasOwn(ECS_SHAPES, kind)) throw new Error(`ecs-shape.generated.ts has no shape ${kind}`)
  return { type: 'structure', name: kind, members: ECS_SHAPES[kind]! }
}

/** A number or boolean turned into the string ECS wants. */
export interface Conversion {
  path: string
  /** As written: `256`, `true`, `1.10`. */
  written: string
  /** What it was: a number or a boolean. */
  from: 'number' | 'boolean'
}

const MAX_LISTED = 10

/**
 * One notice for every conversion: where, and from what. Values are not repeated: an environment value may be a
 * secret, and each became exactly the text the file has.
 */
export function formatConversions(conversions: readonly Conversion[]): string {
  const listed = conversions.slice(0, MAX_LISTED).map(c => `${c.path} (${c.from})`)
  if (conversions.length > MAX_LISTED) listed.push(`and ${conversions.length - MAX_LISTED} more`)
  const one = conversions.length === 1
  return `ECS wants ${one ? 'a string' : 'strings'} where the file has ${one ? 'a number or boolean' : 'numbers or booleans'}, so ${one ? 'it was' : 'these were'} converted as written: ${listed.join(', ')}. Quote ${one ? 'it' : 'them'} in the file to make this notice go away.`
}

/** A value whose type ECS would refuse. */
export interface TypeMismatch {
  path: string
  /** What the file has: "a string", "a list", "1.5" … */
  found: string
  /** What ECS wants: "a whole number", "a list of strings" … */
  wanted: string
  /** What to write instead, when there is a better hint than "write <wanted>". */
  fix?: string
}

export interface ConformResult {
  /** The request with conversions applied and YAML scalars unwrapped; the input is not modified. */
  request: Record<string, unknown>
  conversions: Conversion[]
  mismatches: TypeMismatch[]
}

/**
 * Checks every member of `request` (a RegisterTaskDefinition input: nulls and read-only keys already removed) against
 * its type in ECS's model. Keys ECS does not know are left as they are (unknown-keys.ts warns about them).
 */
export function conformToEcsModel(request: Record<string, unknown>): ConformResult {
  const conversions: Conversion[] = []
  const mismatches: TypeMismatch[] = []
  const conformed = conform(request, ECS_ROOT_SHAPE, '', conversions, mismatches) as Record<string, unknown>
  return { request: conformed, conversions, mismatches }
}

function conform(
  value: unknown,
  kind: string,
  path: string,
  conversions: Conversion[],
  mismatches: TypeMismatch[]
): unknown {
  const shape = memberKind(kind)
  const mismatch = (fix?: string): unknown => {
    mismatches.push({ path, found: describeValue(value), wanted: describeKind(kind), ...(fix ? { fix } : {}) })
    return plain(value)
  }
  switch (shape.type) {
    case 'string': {
      if (typeof value === 'string') return value
      const written = writtenText(value)
      if (written === undefined) return mismatch()
      conversions.push({ path, written, from: typeof plain(value) === 'number' ? 'number' : 'boolean' })
      return written
    }
    case 'number': {
      const number = plain(value)
      if (typeof number === 'number' && Number.isSafeInteger(number)) return number
      if (typeof number === 'string' && /^\s*-?\d+\s*$/.test(number))
        return mismatch('Write the number without quotes; ECS does not read a string as a number.')
      return mismatch()
    }
    case 'boolean': {
      const bool = plain(value)
      if (typeof bool === 'boolean') return bool
      if (typeof bool === 'string' && /^(true|false)$/i.test(bool.trim()))
        return mismatch('Write true or false without quotes; ECS does not read a string as a boolean.')
      return mismatch()
    }
    case 'timestamp': {
      const time = plain(value)
      return typeof time === 'string' || typeof time === 'number' ? time : mismatch()
    }
    case 'list': {
      if (!Array.isArray(value))
        return mismatch(`Write it as a list, even for one item: ${shape.element === 'string' ? '["…"]' : '[ … ]'}.`)
      const paths = itemPaths(path, value)
      return value.map((item, i) => conform(item, shape.element, paths[i]!, conversions, mismatches))
    }
    case 'map': {
      if (!isPlainObject(value)) return mismatch()
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value))
        define(out, key, conform(item, shape.value, memberPath(path, key), conversions, mismatches))
      return out
    }
    case 'structure': {
      if (!isPlainObject(value)) return mismatch()
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) {
        const member = Object.hasOwn(shape.members, key) ? shape.members[key] : undefined
        define(
          out,
          key,
          member === undefined ? plain(item) : conform(item, member, memberPath(path, key), conversions, mismatches)
        )
      }
      return out
    }
  }
}

/** The text a number or boolean becomes as a string: as written in YAML, else JavaScript's spelling. */
function writtenText(value: unknown): string | undefined {
  if (value instanceof WrittenScalar) return value.source
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

/** `value` with every WrittenScalar replaced by its value. */
function plain(value: unknown): unknown {
  if (value instanceof WrittenScalar) return value.value
  if (Array.isArray(value)) return value.map(plain)
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) define(out, key, plain(item))
    return out
  }
  return value
}

/** Sets an own key, `__proto__` included, as JSON.parse would. */
function define(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true })
}

function describeValue(value: unknown): string {
  const v = plain(value)
  if (typeof v === 'string') return 'a string'
  if (typeof v === 'boolean') return `${v}`
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'not a finite number'
  if (Array.isArray(v)) return 'a list'
  if (isPlainObject(v)) return 'an object'
  return `a ${typeof v}`
}

/** What a member kind is, in words: "a string", "a list of objects (Secret)", "an object of strings". */
export function describeKind(kind: string): string {
  const shape = memberKind(kind)
  switch (shape.type) {
    case 'string':
      return 'a string'
    case 'number':
      return 'a whole number'
    case 'boolean':
      return 'true or false'
    case 'timestamp':
      return 'a timestamp'
    case 'list':
      return `a list of ${plural(shape.element)}`
    case 'map':
      return `an object of ${plural(shape.value)} (name: value)`
    case 'structure':
      return `an object (${shape.name})`
  }
}

function plural(kind: string): string {
  const shape = memberKind(kind)
  switch (shape.type) {
    case 'string':
      return 'strings'
    case 'number':
      return 'whole numbers'
    case 'boolean':
      return 'booleans'
    case 'timestamp':
      return 'timestamps'
    case 'structure':
      return `objects (${shape.name})`
    default:
      return `lists (${describeKind(kind)})`
  }
}

/**
 * The request as the AWS SDK serializes it, for its size: compact JSON of the members ECS takes (the SDK drops the
 * others; it writes members in its own order, which does not change the length).
 */
export function requestAsSent(request: Record<string, unknown>): string {
  return JSON.stringify(known(request, ECS_ROOT_SHAPE))
}

function known(value: unknown, kind: string): unknown {
  const shape = memberKind(kind)
  if (shape.type === 'list' && Array.isArray(value)) return value.map(item => known(item, shape.element))
  if (shape.type !== 'structure' || !isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value))
    if (Object.hasOwn(shape.members, key)) define(out, key, known(item, shape.members[key]!))
  return out
}
