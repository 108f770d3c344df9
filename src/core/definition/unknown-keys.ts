/**
 * Keys of a task definition that RegisterTaskDefinition does not take. The SDK drops them without a word
 * when it serializes the request, so a typo such as `logconfiguration` would register a broken definition.
 */
import { ECS_ROOT_SHAPE } from './ecs-shape.generated.js'
import { isPlainObject, itemPaths, memberPath } from './json-path.js'
import { memberKind } from './member-types.js'
import { suggest } from '../checks/suggest.js'

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
 * never reported; values of the wrong type are for member-types.ts.
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

/** Walks `value` as a member of kind `kind` (see ecs-shape.generated.ts). */
function walk(value: unknown, kind: string, path: string, found: UnknownKey[]): void {
  const shape = memberKind(kind)
  if (shape.type === 'list') {
    if (!Array.isArray(value)) return
    const paths = itemPaths(path, value)
    value.forEach((item, i) => walk(item, shape.element, paths[i]!, found))
    return
  }
  // Scalars and maps (`map<string>`) have no keys of their own to check.
  if (shape.type !== 'structure' || !isPlainObject(value)) return
  const members = shape.members
  for (const key of Object.keys(value)) {
    const keyPath = memberPath(path, key)
    const member = Object.hasOwn(members, key) ? members[key] : undefined
    if (member === undefined) {
      const suggestion = suggest(key, Object.keys(members))
      found.push(suggestion === undefined ? { path: keyPath, key } : { path: keyPath, key, suggestion })
    } else {
      walk(value[key], member, keyPath, found)
    }
  }
}
