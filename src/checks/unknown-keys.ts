/**
 * Keys of a task definition that RegisterTaskDefinition does not take. The SDK drops them without a word
 * when it serializes the request, so a typo such as `logconfiguration` would register a broken definition.
 */
import { ECS_ROOT_SHAPE, ECS_SHAPES } from './ecs-shape.generated.js'

export interface UnknownKey {
  /**
   * Where the key is, e.g. `containerDefinitions[web].logconfiguration`. List items go by their `name` when it is
   * unambiguous (the container, the secret, the volume), else by index: `portMappings[0].containerport`.
   */
  path: string
  /** The key as written. */
  key: string
  /** The member at that level the user most likely meant, if one is close. */
  suggestion?: string
}

/**
 * Every key of `request` (a RegisterTaskDefinition input, read-only describe keys already removed) that the
 * request shape does not have, in document order. Keys inside maps (`options`, `dockerLabels`…) are free and
 * never reported; values of the wrong type are left for ECS to reject.
 */
export function findUnknownKeys(request: unknown): UnknownKey[] {
  const found: UnknownKey[] = []
  walk(request, ECS_ROOT_SHAPE, '', found)
  return found
}

/** One warning line for the user. */
export function formatUnknownKey(u: UnknownKey): string {
  const text = `${u.path} is not a field ECS knows and would be silently dropped`
  return u.suggestion === undefined ? text : `${text}; did you mean "${u.suggestion}"?`
}

/** Walks `value` as a member of kind `kind`: 'scalar', 'map', a structure's name, or a kind + '[]'. */
function walk(value: unknown, kind: string, path: string, found: UnknownKey[]): void {
  if (kind === 'scalar' || kind === 'map') return
  if (kind.endsWith('[]')) {
    if (!Array.isArray(value)) return
    const element = kind.slice(0, -2)
    const labels = itemLabels(value)
    value.forEach((item, i) => walk(item, element, `${path}[${labels[i]}]`, found))
    return
  }
  const members = ECS_SHAPES[kind]
  // The generated table names only shapes it defines; a miss is a bug in the generator, not in the input.
  if (members === undefined) throw new Error(`ecs-shape.generated.ts has no shape ${kind}`)
  if (!isPlainObject(value)) return
  for (const key of Object.keys(value)) {
    const keyPath = path === '' ? keyLabel(key) : `${path}${IDENTIFIER.test(key) ? '.' : ''}${keyLabel(key)}`
    const memberKind = Object.hasOwn(members, key) ? members[key] : undefined
    if (memberKind === undefined) {
      const suggestion = suggest(key, Object.keys(members))
      found.push(suggestion === undefined ? { path: keyPath, key } : { path: keyPath, key, suggestion })
    } else {
      walk(value[key], memberKind, keyPath, found)
    }
  }
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
// Names that read unmistakably inside brackets: not a bare number (an index) and nothing that needs quoting.
const NAME_LABEL = /^(?!\d+$)[\w-]+$/

/** `.key`-able keys as they are, anything else (spaces, dots, an empty key) quoted as `["a key"]`. */
function keyLabel(key: string): string {
  return IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`
}

/** Per item, its `name` (a container, a secret, a volume…) when that is a plain, unique name, else its index. */
function itemLabels(items: unknown[]): string[] {
  const names = items.map(item => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined))
  return names.map((name, i) =>
    name !== undefined && NAME_LABEL.test(name) && names.indexOf(name) === names.lastIndexOf(name) ? name : String(i)
  )
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The member `key` was probably meant to be: the one equal but for case and `-`/`_`, else the closest by
 * edit distance if it is close enough that the suggestion is more likely right than noise.
 */
function suggest(key: string, members: string[]): string | undefined {
  const loose = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '')
  const exact = members.find(member => loose(member) === loose(key))
  if (exact !== undefined) return exact
  // One edit in three characters, at least one and two once the key is long enough to have room for them.
  const limit = key.length <= 3 ? 1 : Math.max(2, Math.floor(key.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const member of members) {
    const d = editDistance(key.toLowerCase(), member.toLowerCase())
    if (d < bestDistance) {
      best = member
      bestDistance = d
    }
  }
  return best
}

/** Damerau–Levenshtein distance, optimal string alignment variant: a swap of two neighbours counts as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rows are enough: the transposition looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  let current = new Array<number>(b.length + 1).fill(0)
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1)
      current[j] = d
    }
    const spare = before
    before = previous
    previous = current
    current = spare
  }
  return previous[b.length]!
}
