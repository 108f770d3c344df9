import type { parseDocument } from 'yaml'
import { UserError } from './errors.js'

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

/** Keys of `describe-task-definition` output that RegisterTaskDefinition does not take. */
export const READ_ONLY_KEYS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt'
] as const

export interface LoadedTaskDefinition {
  taskDefinition: TaskDefinition
  /** Read-only keys that were removed (describe output, or a file saved from it). */
  stripped: string[]
  /** Whether the file was `{"taskDefinition": …, "tags": …}` as describe-task-definition prints it. */
  fromDescribeOutput: boolean
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
    throw new UserError(
      `The task definition file ${file} is not valid JSON${jsonErrorPosition(text, error as Error, yaml)}: ${message}.`,
      'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause); `jq . <file>` shows where.',
      file
    )
  }
}

function jsonErrorPosition(text: string, error: Error, yaml: YamlParser | undefined): string {
  const position = /position (\d+)/.exec(error.message)
  if (position) {
    const before = text.slice(0, Number(position[1])).split('\n')
    return ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`
  }
  const at = yaml?.(text).errors[0]?.linePos?.[0]
  return at ? ` at line ${at.line}, column ${at.col}` : ''
}

function parseYaml(text: string, file: string, parseDocument: YamlParser | undefined): unknown {
  if (!parseDocument) throw new Error('parseTaskDefinition needs the YAML parser for a file that is not JSON')
  const document = parseDocument(text)
  const error = document.errors[0]
  if (error) {
    const at = error.linePos?.[0]
    const where = at ? ` at line ${at.line}, column ${at.col}` : ''
    throw new UserError(
      `The task definition file ${file} is neither JSON nor valid YAML${where}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      'Fix the syntax; a JSON file must start with {.',
      file
    )
  }
  try {
    return document.toJS()
  } catch (error) {
    // yaml refuses documents whose aliases expand too far ("Excessive alias count …").
    throw new UserError(
      `The task definition file ${file} cannot be read as YAML: ${(error as Error).message.split('\n')[0]}.`,
      'Write it without YAML aliases (&anchor / *alias), or as JSON.',
      file
    )
  }
}

function normalize(document: unknown, file: string): LoadedTaskDefinition {
  if (!isObject(document)) {
    throw new UserError(
      `The task definition file ${file} does not hold an object.`,
      'It must be a task definition ({"family": …, "containerDefinitions": […]}) or describe-task-definition output.',
      file
    )
  }
  let candidate: Record<string, unknown> = document
  let fromDescribeOutput = false
  if (!('containerDefinitions' in document) && isObject(document.taskDefinition)) {
    // describe-task-definition output: the definition is wrapped, its tags sit beside it.
    fromDescribeOutput = true
    candidate = { ...document.taskDefinition }
    if (Array.isArray(document.tags) && document.tags.length > 0 && candidate.tags === undefined)
      candidate.tags = document.tags
  }
  const stripped = READ_ONLY_KEYS.filter(key => key in candidate)
  const taskDefinition: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(candidate)) {
    if (!(READ_ONLY_KEYS as readonly string[]).includes(key)) taskDefinition[key] = value
  }
  checkFamily(taskDefinition.family, file)
  checkContainers(taskDefinition.containerDefinitions, file)
  return { taskDefinition: taskDefinition as TaskDefinition, stripped, fromDescribeOutput }
}

function checkFamily(family: unknown, file: string): asserts family is string {
  if (typeof family !== 'string' || family === '') {
    throw new UserError(
      `The task definition in ${file} has no "family".`,
      'Add "family": "<name>"; RegisterTaskDefinition requires it.',
      file
    )
  }
  // It also keeps the output file name, <family>.json, inside its folder.
  if (!ECS_NAME.test(family)) {
    throw new UserError(
      `The task definition family ${JSON.stringify(family)} in ${file} is not a valid ECS family name.`,
      'Use up to 255 letters, digits, hyphens and underscores.',
      file
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
      file
    )
  }
  const seen = new Set<string>()
  containers.forEach((container, index) => {
    if (!isObject(container) || typeof container.name !== 'string' || container.name === '') {
      throw new UserError(
        `containerDefinitions[${index}] in ${file} has no name.`,
        'Every container needs a "name"; FireLens routes logs by container name.',
        file
      )
    }
    if (seen.has(container.name)) {
      throw new UserError(
        `Two containers in ${file} are named "${container.name}".`,
        'Container names must be unique within a task definition.',
        file
      )
    }
    seen.add(container.name)
    const where = `containerDefinitions[${index}] (${container.name})`
    for (const key of ['logConfiguration', 'firelensConfiguration', 'dockerLabels'] as const) {
      if (container[key] !== undefined && !isObject(container[key])) {
        throw new UserError(`${where}.${key} in ${file} is not an object.`, `Fix or remove "${key}".`, file)
      }
    }
    for (const key of ['logConfiguration', 'firelensConfiguration'] as const) {
      const options = (container[key] as Record<string, unknown> | undefined)?.options
      if (options !== undefined && options !== null && !isObject(options)) {
        throw new UserError(
          `${where}.${key}.options in ${file} is not an object.`,
          `Write "options" as an object of strings: {"name": "value"}.`,
          file
        )
      }
    }
    // The lists the patch adds to or reads (ECS takes each as a list of objects).
    const lists: Array<[string, unknown]> = [
      ['environment', container.environment],
      ['secrets', container.secrets],
      [
        'logConfiguration.secretOptions',
        (container.logConfiguration as Record<string, unknown> | undefined)?.secretOptions
      ]
    ]
    for (const [key, list] of lists) {
      if (list !== undefined && !(Array.isArray(list) && list.every(isObject))) {
        throw new UserError(
          `${where}.${key} in ${file} is not a list of objects.`,
          `Write "${key.split('.').pop()}" as a list: [{"name": "…", ${key === 'environment' ? '"value"' : '"valueFrom"'}: "…"}].`,
          file
        )
      }
    }
  })
}

/** The file the deploy step reads: stable 2-space JSON with a final newline, so a second run is byte-identical. */
export function serializeTaskDefinition(taskDefinition: TaskDefinition): string {
  return `${JSON.stringify(taskDefinition, null, 2)}\n`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
