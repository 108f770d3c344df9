/**
 * Where a path of a message (`containerDefinitions[web].logConfiguration.options.Log_Level`, json-path.ts's style)
 * is in the file's text, so an annotation lands on the line. JSON is YAML, so yaml's parser reads both with the
 * offsets of every node; the walk goes by the nodes' shape (items, key/value pairs, ranges), so only parseDocument
 * needs to be passed in.
 */
import type { YamlParser } from './task-definition.js'

/** A 1-based line and column. */
export interface Position {
  line: number
  col: number
}

/** A path's steps: member names, and list items by `name` (a label) or by index. */
type Step = { member: string } | { item: string }

/** The steps of a path as json-path.ts writes it, or undefined when it is not one. */
export function pathSteps(path: string): Step[] | undefined {
  const steps: Step[] = []
  let rest = path
  const first = /^[A-Za-z_$][\w$]*/.exec(rest)
  if (first) {
    steps.push({ member: first[0] })
    rest = rest.slice(first[0].length)
  }
  while (rest !== '') {
    const member = /^\.([A-Za-z_$][\w$]*)/.exec(rest)
    if (member) {
      steps.push({ member: member[1]! })
      rest = rest.slice(member[0].length)
      continue
    }
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest)
    if (quoted) {
      steps.push({ member: JSON.parse(quoted[1]!) as string })
      rest = rest.slice(quoted[0].length)
      continue
    }
    const label = /^\[([\w-]+)\]/.exec(rest)
    if (label) {
      steps.push({ item: label[1]! })
      rest = rest.slice(label[0].length)
      continue
    }
    return undefined
  }
  return steps
}

interface Node {
  items?: unknown[]
  key?: unknown
  value?: unknown
  range?: [number, number, number]
}

const asNode = (value: unknown): Node | undefined => (typeof value === 'object' && value !== null ? value : undefined)

/** A scalar node's value, for matching keys and `name` members. */
function scalarText(node: unknown): string | undefined {
  const value = asNode(node)?.value
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/** The pair of `map` whose key is `name`. */
function pairOf(map: Node | undefined, name: string): Node | undefined {
  const pairs = map?.items ?? []
  return pairs.map(asNode).find(p => p !== undefined && 'key' in p && scalarText(p.key) === name)
}

/** The 1-based position of a character offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, col: before[before.length - 1]!.length + 1 }
}

/**
 * The position of `path` in the task definition `text`: the key of a member, the start of a list item. When a step
 * cannot be found (a member merged in from a YAML anchor, a list item the patch added), the deepest step that can
 * is given; undefined when not even the first can. `wrapped`: the file is describe-task-definition output, whose
 * definition sits under `taskDefinition`.
 */
export function locatePath(
  text: string,
  path: string,
  parseDocument: YamlParser,
  wrapped = false
): Position | undefined {
  const steps = pathSteps(path)
  if (!steps) return undefined
  let document: { contents: unknown }
  try {
    document = parseDocument(text.replace(/^\uFEFF/, ''), { keepSourceTokens: false, uniqueKeys: false })
  } catch {
    return undefined
  }
  const bom = text.startsWith('\uFEFF') ? 1 : 0
  let node = asNode(document.contents)
  if (wrapped) node = asNode(pairOf(node, 'taskDefinition')?.value)
  let found: number | undefined
  for (const step of steps) {
    if ('member' in step) {
      const pair = pairOf(node, step.member)
      if (!pair) break
      found = asNode(pair.key)?.range?.[0] ?? found
      node = asNode(pair.value)
      continue
    }
    const items = (node?.items ?? []).map(asNode)
    const item = /^\d+$/.test(step.item)
      ? items[Number(step.item)]
      : items.find(i => scalarText(pairOf(i, 'name')?.value) === step.item)
    if (!item) break
    found = item.range?.[0] ?? found
    node = item
  }
  return found === undefined ? undefined : positionAt(text, found + bom)
}
