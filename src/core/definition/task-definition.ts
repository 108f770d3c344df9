import type { parseDocument } from 'yaml'
import { ECS_READ_ONLY_MEMBERS } from './ecs-shape.generated.js'
import { isPlainObject, itemPaths, memberPath } from './json-path.js'
import { WrittenScalar, conformToEcsModel, type Conversion, type TypeMismatch } from './member-types.js'
import { UserError, UserErrors, type SourceLocation } from '../errors.js'

/** yaml's parseDocument, passed in: main.ts loads the yaml package only for a file that is not JSON. */
export type YamlParser = typeof parseDocument

/** A container definition: known fields typed loosely, everything else kept as it is. */
export interface ContainerDefinition {
  name: string
  image?: string
  essential?: boolean
  memory?: number
  memoryReservation?: number
  environment?: { name?: string; value?: string }[]
  secrets?: { name?: string; valueFrom?: string }[]
  dockerLabels?: Record<string, string>
  logConfiguration?: LogConfiguration
  firelensConfiguration?: { type?: string; options?: Record<string, string> }
  healthCheck?: Record<string, unknown>
  [key: string]: unknown
}

export interface LogConfiguration {
  logDriver?: string
  options?: Record<string, string>
  secretOptions?: { name: string; valueFrom: string }[]
  [key: string]: unknown
}

/** The RegisterTaskDefinition request shape. Unknown fields are preserved untouched. */
export interface TaskDefinition {
  /** Checked at load: present and a valid ECS name. */
  family: string
  containerDefinitions: ContainerDefinition[]
  executionRoleArn?: string
  requiresCompatibilities?: string[]
  cpu?: string
  memory?: string
  runtimePlatform?: { operatingSystemFamily?: string; cpuArchitecture?: string }
  tags?: { key?: string; value?: string }[]
  [key: string]: unknown
}

/** ECS's rule for family and container names: up to 255 letters, digits, hyphens and underscores. */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/

/**
 * Keys of `describe-task-definition` output that RegisterTaskDefinition does not take (taskDefinitionArn, revision,
 * status, registeredAt, deleteRequestedAt …): derived from ECS's model, so a new one is stripped too.
 */
export const READ_ONLY_KEYS: readonly string[] = ECS_READ_ONLY_MEMBERS

export interface LoadedTaskDefinition {
  taskDefinition: TaskDefinition
  /** Read-only keys that were removed (describe output, or a file saved from it). */
  stripped: string[]
  /** Whether the file was `{"taskDefinition": …, "tags": …}` as describe-task-definition prints it. */
  fromDescribeOutput: boolean
  /** Numbers and booleans that became the strings ECS wants (`cpu: 256`), for a notice. */
  conversions: Conversion[]
}

/**
 * Parses a task definition file. JSON or YAML is decided by content (like the deploy action, which takes both):
 * text that opens with `{` is JSON and gets JSON's error positions; anything else is YAML.
 */
export function parseTaskDefinition(text: string, file: string, yaml?: YamlParser): LoadedTaskDefinition {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') {
    throw new UserError(
      `The task definition file ${file} is empty.`,
      'Point `task-definition` at the JSON or YAML file, e.g. the output of amazon-ecs-render-task-definition.',
      file
    )
  }
  const document = looksLikeJson(body) ? parseJson(body, file, yaml) : parseYaml(body, file, yaml)
  return normalize(document, file)
}

export function looksLikeJson(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{')
}

/**
 * Whether parsing needs the YAML parser: for YAML, and for broken JSON, whose error position V8 does not always
 * give (Node 20: "Unexpected token ','") but yaml's parser does.
 */
export function needsYamlParser(text: string): boolean {
  if (!looksLikeJson(text)) return true
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''))
    return false
  } catch {
    return true
  }
}

function parseJson(text: string, file: string, yaml: YamlParser | undefined): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    // V8's message quotes a slice of the file; give a position instead.
    const message = (error as Error).message.split(/[,(]? *"|\n/)[0]!.replace(/ in JSON at position \d+.*$/, '')
    const at = jsonErrorPosition(text, error as Error, yaml)
    throw new UserError(
      `The task definition file ${file} is not valid JSON${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${message}.`,
      'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause); `jq . <file>` shows where.',
      file,
      at
    )
  }
}

function jsonErrorPosition(
  text: string,
  error: Error,
  yaml: YamlParser | undefined
): { line: number; col: number } | undefined {
  const position = /position (\d+)/.exec(error.message)
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n')
    return { line: before.length, col: before[before.length - 1]!.length + 1 }
  }
  const at = yaml?.(text).errors[0]?.linePos?.[0]
  return at ? { line: at.line, col: at.col } : undefined
}

// At most this many alias expansions: a task definition needs a handful; an "alias bomb" needs billions.
const MAX_ALIAS_COUNT = 100

function parseYaml(text: string, file: string, parseDocument: YamlParser | undefined): unknown {
  if (!parseDocument) throw new Error('parseTaskDefinition needs the YAML parser for a file that is not JSON')
  // merge: `<<: *common` as docker-compose users write it; stringKeys: a key is its text (`1.10:` stays "1.10").
  const document = parseDocument(text, { merge: true, stringKeys: true })
  const error = document.errors[0]
  if (error) {
    throw new UserError(
      `The task definition file ${file} is neither JSON nor valid YAML${yamlWhere(error)}: ${yamlMessage(error)}`,
      'Fix the syntax; a JSON file must start with {.',
      file,
      yamlAt(error)
    )
  }
  const warning = document.warnings[0]
  if (warning) {
    const tag = warning.code === 'TAG_RESOLVE_FAILED'
    throw new UserError(
      `The task definition file ${file} has a YAML warning${yamlWhere(warning)}: ${yamlMessage(warning)}.${tag ? ' This looks like a template (CloudFormation !Ref, !Sub …), not a task definition.' : ''}`,
      tag
        ? 'Point `task-definition` at the task definition itself (JSON or plain YAML, e.g. the output of amazon-ecs-render-task-definition), not at a template that still has to be rendered.'
        : 'Fix the YAML so that it parses without warnings.',
      file,
      yamlAt(warning)
    )
  }
  keepWrittenText(document.contents)
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (thrown) {
    // yaml's guard against "billion laughs": aliases that expand out of all proportion.
    if (thrown instanceof ReferenceError && /alias count/i.test(thrown.message)) {
      throw new UserError(
        `The task definition file ${file} uses YAML aliases (*name) that expand out of all proportion (more than ${MAX_ALIAS_COUNT} expansions).`,
        'A task definition needs a few anchors at most: write the repeated parts out, or use fewer nested aliases.',
        file
      )
    }
    throw thrown
  }
}

interface YamlProblem {
  message: string
  linePos?: [{ line: number; col: number }] | [{ line: number; col: number }, { line: number; col: number }]
}

function yamlAt(problem: YamlProblem): SourceLocation | undefined {
  const at = problem.linePos?.[0]
  return at ? { line: at.line, col: at.col } : undefined
}

function yamlWhere(problem: YamlProblem): string {
  const at = problem.linePos?.[0]
  return at ? ` at line ${at.line}, column ${at.col}` : ''
}

/** The first line of yaml's message, without its position (given apart) or the quoted excerpt of the file. */
function yamlMessage(problem: YamlProblem): string {
  return problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}

/**
 * Wraps each number or boolean scalar whose text is not the value's own spelling (`1.10`, `0755`, `TRUE`) so that a
 * string member gets the text as written. Walks yaml's node tree by shape (items, key/value pairs, scalars with a
 * source), so only parseDocument needs to be passed in.
 */
function keepWrittenText(node: unknown): void {
  if (typeof node !== 'object' || node === null) return
  const n = node as { items?: unknown; key?: unknown; value?: unknown; source?: unknown }
  if (Array.isArray(n.items)) {
    for (const item of n.items) keepWrittenText(item)
    return
  }
  if ('key' in n && 'value' in n) {
    keepWrittenText(n.value)
    return
  }
  if (
    typeof n.source === 'string' &&
    (typeof n.value === 'number' || typeof n.value === 'boolean') &&
    n.source !== String(n.value)
  ) {
    n.value = new WrittenScalar(n.value, n.source)
  }
}

function normalize(parsed: unknown, file: string): LoadedTaskDefinition {
  if (!isPlainObject(parsed)) {
    throw new UserError(
      `The task definition file ${file} does not hold an object.`,
      'It must be a task definition ({"family": …, "containerDefinitions": […]}) or describe-task-definition output.',
      file
    )
  }
  // A null member is an absent one, as ECS and amazon-ecs-deploy-task-definition read it ("logConfiguration": null).
  const document = withoutNulls(parsed, '', file) as Record<string, unknown>
  let candidate: Record<string, unknown> = document
  let fromDescribeOutput = false
  if (!('containerDefinitions' in document) && isPlainObject(document.taskDefinition)) {
    // describe-task-definition output: the definition is wrapped, its tags sit beside it.
    fromDescribeOutput = true
    candidate = { ...document.taskDefinition }
    if (Array.isArray(document.tags) && document.tags.length > 0 && candidate.tags === undefined)
      candidate.tags = document.tags
  }
  const stripped = READ_ONLY_KEYS.filter(key => key in candidate)
  const request: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(candidate)) {
    if (!READ_ONLY_KEYS.includes(key)) request[key] = value
  }
  const { request: taskDefinition, conversions, mismatches } = conformToEcsModel(request)
  if (mismatches.length > 0) throw typeError(mismatches, file)
  checkFamily(taskDefinition.family, file)
  checkContainers(taskDefinition.containerDefinitions, file)
  return { taskDefinition: taskDefinition as TaskDefinition, stripped, fromDescribeOutput, conversions }
}

/**
 * `value` without null members or list items. Anything that is not JSON data (a date or binary from a YAML tag such
 * as !!timestamp) is refused with its path: ECS would not take it.
 */
function withoutNulls(value: unknown, path: string, file: string): unknown {
  if (Array.isArray(value)) {
    const paths = itemPaths(path, value)
    return value.flatMap((item, i) => (item === null ? [] : [withoutNulls(item, paths[i]!, file)]))
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      if (item !== null)
        Object.defineProperty(out, key, {
          value: withoutNulls(item, memberPath(path, key), file),
          enumerable: true,
          configurable: true,
          writable: true
        })
    }
    return out
  }
  if (value instanceof WrittenScalar || ['string', 'number', 'boolean'].includes(typeof value)) return value
  throw new UserError(
    `${path || 'The document'} in ${file} is not JSON data (${value instanceof Date ? 'a date' : 'a YAML-only value'}, from a YAML tag such as !!timestamp or !!binary).`,
    'Write it as a plain string, number, boolean, list or object, as a JSON task definition would have it.',
    file,
    path ? { path } : undefined
  )
}

const MAX_LISTED = 10

/**
 * Each value of the wrong type is its own error, with its path (an annotation on its line). Past MAX_LISTED, one
 * more error says how many others there are.
 */
function typeError(mismatches: TypeMismatch[], file: string): UserError {
  const errors = mismatches
    .slice(0, MAX_LISTED)
    .map(
      m =>
        new UserError(
          `In ${file}, ${m.path} is ${m.found}, but ECS wants ${m.wanted}.`,
          m.fix ?? `Write ${m.wanted} there.`,
          file,
          { path: m.path }
        )
    )
  if (mismatches.length > MAX_LISTED) {
    errors.push(
      new UserError(
        `${file} has ${mismatches.length - MAX_LISTED} more values of a type ECS would refuse (${mismatches.length} in all): ${mismatches
          .slice(MAX_LISTED)
          .map(m => m.path)
          .join(', ')}.`,
        'Write each as the type ECS wants there.',
        file
      )
    )
  }
  return errors.length === 1 ? errors[0]! : new UserErrors(errors)
}

function checkFamily(family: unknown, file: string): asserts family is string {
  if (typeof family !== 'string' || family === '') {
    throw new UserError(
      `The task definition in ${file} has no "family".`,
      'Add "family": "<name>"; RegisterTaskDefinition requires it.',
      file,
      family === undefined ? undefined : { path: 'family' }
    )
  }
  // It also keeps the output file name, <family>.json, inside its folder.
  if (!ECS_NAME.test(family)) {
    throw new UserError(
      `The task definition family ${JSON.stringify(family)} in ${file} is not a valid ECS family name.`,
      'Use up to 255 letters, digits, hyphens and underscores.',
      file,
      { path: 'family' }
    )
  }
}

function checkContainers(containers: unknown, file: string): asserts containers is ContainerDefinition[] {
  if (containers === undefined) {
    throw new UserError(
      `The task definition file ${file} has no containerDefinitions.`,
      'Is this a task definition? It needs "containerDefinitions": [ … ] at the top level (or under "taskDefinition" for describe-task-definition output).',
      file
    )
  }
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new UserError(
      `containerDefinitions in ${file} must be a non-empty list of containers.`,
      'Add at least one container definition.',
      file,
      { path: 'containerDefinitions' }
    )
  }
  const seen = new Set<string>()
  containers.forEach((container, index) => {
    if (!isPlainObject(container) || typeof container.name !== 'string' || container.name === '') {
      throw new UserError(
        `containerDefinitions[${index}] in ${file} has no name.`,
        'Every container needs a "name"; FireLens routes logs by container name.',
        file,
        { path: `containerDefinitions[${index}]` }
      )
    }
    if (!ECS_NAME.test(container.name)) {
      throw new UserError(
        `containerDefinitions[${index}] in ${file} is named ${JSON.stringify(container.name)}, which ECS does not accept as a container name.`,
        'Use up to 255 letters, digits, hyphens and underscores (and update any dependsOn, links or volumesFrom that name it).',
        file,
        { path: `containerDefinitions[${index}].name` }
      )
    }
    if (seen.has(container.name)) {
      throw new UserError(
        `Two containers in ${file} are named "${container.name}".`,
        'Container names must be unique within a task definition.',
        file,
        { path: `containerDefinitions[${index}].name` }
      )
    }
    seen.add(container.name)
  })
}

/** The file the deploy step reads: stable 2-space JSON with a final newline, so a second run is byte-identical. */
export function serializeTaskDefinition(taskDefinition: TaskDefinition): string {
  return `${JSON.stringify(taskDefinition, null, 2)}\n`
}
