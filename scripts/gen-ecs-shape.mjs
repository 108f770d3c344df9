// Writes src/core/definition/ecs-shape.generated.ts: the members RegisterTaskDefinition takes and their types, and the
// read-only members of describe-task-definition's output, walked from the schemas that @aws-sdk/client-ecs exports.
// The action reads that static table so it never loads the SDK to check a task definition.
// Run with `npm run gen:ecs-shape`; __tests__/checks/ecs-shape.test.ts fails when the committed file is stale.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { RegisterTaskDefinitionRequest$, TaskDefinition$ } from '@aws-sdk/client-ecs'

const ROOT = 'RegisterTaskDefinitionRequest'
const OUTPUT = new URL('../src/core/definition/ecs-shape.generated.ts', import.meta.url)

// Static schema type codes of @smithy/core (see its NormalizedSchema): the first element of a schema array.
const SIMPLE = 0
const LIST = 1
const MAP = 2
const STRUCTURE = 3
const UNION = 4

// Simple types of @smithy/core's schema sentinels. ECS models every number of a task definition as an Integer, so
// 'number' here means a whole number; a Double member would need a kind of its own (the ecs-shape test lists them).
const SCALARS = new Map([
  [0, 'string'],
  [1, 'number'],
  [2, 'boolean'],
  [4, 'timestamp'],
  [5, 'timestamp'],
  [6, 'timestamp'],
  [7, 'timestamp']
])
const LIST_MODIFIER = 64
const MAP_MODIFIER = 128

/** Follows thunks (`() => X$`) and member wrappers (`[schema, traits]`, always two long) down to a schema. */
function deref(ref) {
  for (;;) {
    if (typeof ref === 'function') ref = ref()
    else if (Array.isArray(ref) && ref.length === 2) ref = ref[0]
    else return ref
  }
}

/** A simple type code as a kind ('string', 'string[]', 'map<string>' …), or undefined for one not handled. */
function simpleKind(code) {
  if (SCALARS.has(code)) return SCALARS.get(code)
  if (code & LIST_MODIFIER && SCALARS.has(code & ~LIST_MODIFIER)) return `${SCALARS.get(code & ~LIST_MODIFIER)}[]`
  if (code & MAP_MODIFIER && SCALARS.has(code & ~MAP_MODIFIER)) return `map<${SCALARS.get(code & ~MAP_MODIFIER)}>`
  return undefined
}

/**
 * The kind of a member, as the generated file spells it: a scalar ('string', 'number', 'boolean', 'timestamp'),
 * 'map<scalar>', a structure's name, or a kind + '[]'. Structures met on the way are added to `shapes`. Anything
 * else throws, so a new SDK form is not misread.
 */
function kindOf(ref, shapes, where) {
  const schema = deref(ref)
  if (typeof schema === 'number') {
    const kind = simpleKind(schema)
    if (kind !== undefined) return kind
  } else if (Array.isArray(schema) && schema.length >= 5) {
    switch (schema[0]) {
      case SIMPLE:
        return kindOf(schema[4], shapes, where)
      case STRUCTURE:
      case UNION:
        addShape(schema, shapes)
        return schema[2]
      case LIST:
        return `${kindOf(schema[4], shapes, where)}[]`
      case MAP: {
        // Map values that are structures would need their own notation; ECS task definitions have none.
        const value = kindOf(schema[5], shapes, where)
        if ([...SCALARS.values()].includes(value)) return `map<${value}>`
        break
      }
    }
  }
  throw new Error(`gen-ecs-shape: unexpected schema at ${where}: ${JSON.stringify(schema)}`)
}

function addShape(schema, shapes) {
  const name = schema[2]
  if (shapes.has(name)) return
  const members = []
  // Registered before its members are walked, so a structure that contains itself does not loop.
  shapes.set(name, members)
  const names = schema[4]
  const schemas = schema[5]
  for (let i = 0; i < names.length; i++) members.push([names[i], kindOf(schemas[i], shapes, `${name}.${names[i]}`)])
}

/** Members describe-task-definition returns that RegisterTaskDefinition does not take, in the SDK's order. */
function readOnlyMembers() {
  const request = new Set(deref(RegisterTaskDefinitionRequest$)[4])
  return deref(TaskDefinition$)[4].filter(name => !request.has(name))
}

/** The installed @aws-sdk/client-ecs version, for the header. */
function sdkVersion() {
  return createRequire(import.meta.url)('@aws-sdk/client-ecs/package.json').version
}

/** The text of src/core/definition/ecs-shape.generated.ts for the installed SDK: deterministic and Prettier-formatted. */
export function renderEcsShape() {
  const shapes = new Map()
  addShape(deref(RegisterTaskDefinitionRequest$), shapes)
  // The root first, then by name, so a diff after an SDK upgrade shows only what changed.
  const names = [ROOT, ...[...shapes.keys()].filter(name => name !== ROOT).sort()]
  const lines = [
    `// Generated from @aws-sdk/client-ecs ${sdkVersion()} by scripts/gen-ecs-shape.mjs. Do not edit:`,
    '// regenerate with `npm run gen:ecs-shape` after upgrading the SDK.',
    '',
    '/**',
    ' * The request RegisterTaskDefinition takes, as the SDK serializes it: it silently drops keys not listed here.',
    " * Per structure, its members in the SDK's order. A member is a scalar ('string', 'number' — a whole number,",
    " * 'boolean', 'timestamp'), 'map<scalar>' (free keys with values of that type, e.g. dockerLabels), the name of",
    " * a structure, or a member kind followed by '[]' for a list of those.",
    ' */',
    'export type EcsShapes = Readonly<Record<string, Readonly<Record<string, string>>>>',
    '',
    `export const ECS_ROOT_SHAPE = '${ROOT}'`,
    '',
    '/** Members of describe-task-definition output (TaskDefinition) that RegisterTaskDefinition does not take. */',
    'export const ECS_READ_ONLY_MEMBERS = [',
    ...readOnlyMembers().map((name, i, all) => `  '${name}'${i < all.length - 1 ? ',' : ''}`),
    '] as const',
    '',
    'export const ECS_SHAPES: EcsShapes = {'
  ]
  names.forEach((name, i) => {
    lines.push(`  ${name}: {`)
    const members = shapes.get(name)
    members.forEach(([member, kind], j) => lines.push(`    ${member}: '${kind}'${j < members.length - 1 ? ',' : ''}`))
    lines.push(`  }${i < names.length - 1 ? ',' : ''}`)
  })
  lines.push('}', '')
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUTPUT, renderEcsShape())
  console.log(`wrote ${OUTPUT.pathname}`)
}
