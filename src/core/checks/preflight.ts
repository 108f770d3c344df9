import { UserError, collect, throwAll } from '../errors.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import { itemPaths, memberPath } from '../definition/json-path.js'
import { requestAsSent } from '../definition/member-types.js'
import { RESERVED_OPTIONS, optionProblem, reservedOption, routerOptionName } from '../router/option-names.js'
import { FLUENT_BIT_2X, optionNeeds } from '../router/option-versions.js'
import { formatVersion, routerVersion, type RouterVersion } from '../router/router-version.js'
import { DEFAULT_LOG_ROUTER_IMAGE } from '../images.js'
import { inertOption, optionSetProblems, optionValueProblem } from '../router/option-values.js'
import { OptionMap } from '../patch/options.js'
import { findPlaceholders, placeholderError } from './placeholders.js'
import {
  formatFargateSize,
  formatParts,
  isFargate,
  memoryParts,
  nearestFargateSize,
  taskMemoryMiB,
  totalMiB
} from '../task-memory.js'

export { taskMemoryMiB }
import { CONFIG_CONTAINER, CONFIG_CONTAINER_MEMORY, isConfigContainer } from '../patch/router-config-container.js'

/** ECS's limit on containers in one task definition. */
const MAX_CONTAINERS = 10

/**
 * ECS's limit on a task definition, in bytes: RegisterTaskDefinition answers "Actual length: '66420'. Max allowed
 * length is '65536' bytes." (awsdocs/amazon-ecs-developer-guide#149).
 */
export const MAX_TASK_DEFINITION_BYTES = 65_536

export interface PreflightOptions {
  /** Names `log-options` set, so a message says where the name came from. */
  logOptionNames?: readonly string[]
  /** Whether this run registers: leftover placeholders are refused then (with `register: false` a later step fills them). */
  register?: boolean
  /** What `log-options` set, name and value: their values were judged with their input line, not again per container. */
  logOptions?: readonly (readonly [string, string])[]
}

/**
 * Checks that need no network, on the patched definition: each one catches a mistake that ECS or the log router would
 * otherwise only report when a task fails to start. Every independent problem is found: it throws one UserError or a
 * UserErrors. Returns what is worth a warning (option values the router misreads, names of a newer Fluent Bit).
 */
export function preflight(
  taskDefinition: TaskDefinition,
  file: string,
  original?: TaskDefinition,
  options: PreflightOptions = {}
): string[] {
  // A placeholder image cannot be pulled and an empty one ECS refuses: first, so it reads before anything else.
  const placeholders = options.register ? findPlaceholders(taskDefinition) : []
  if (placeholders.length > 0) throw placeholderError(placeholders, file)
  const errors: UserError[] = []
  const warnings: string[] = []
  const check = (fn: () => void): void => void collect(errors, fn)
  check(() => {
    if (!taskDefinition.executionRoleArn) {
      throw new UserError(
        `The task definition in ${file} has no executionRoleArn, but the Datadog API key is read from a secret when the task starts.`,
        'Add "executionRoleArn": the task execution role, which needs ssm:GetParameters (SSM) or secretsmanager:GetSecretValue (Secrets Manager), and kms:Decrypt for a customer-managed KMS key.',
        file
      )
    }
  })
  check(() => {
    const os = taskDefinition.runtimePlatform?.operatingSystemFamily
    if (typeof os === 'string' && os.toUpperCase().startsWith('WINDOWS')) {
      throw new UserError(
        `The task definition in ${file} runs on ${os}; FireLens runs only on Linux tasks.`,
        'Use this action for Linux task definitions only; Windows tasks can ship logs with awslogs and a Datadog forwarder instead.',
        file,
        { path: 'runtimePlatform.operatingSystemFamily' }
      )
    }
  })
  check(() => {
    const count = taskDefinition.containerDefinitions.length
    if (count > MAX_CONTAINERS) {
      const config = taskDefinition.containerDefinitions.some(isConfigContainer)
      throw new UserError(
        `With the log router${config ? ` and its config container (${CONFIG_CONTAINER}, for \`multiline\`, \`wait-for-router\` or \`log-router-grace\`)` : ''} the task definition in ${file} has ${count} containers; ECS allows ${MAX_CONTAINERS}.`,
        `Move a container to another task definition, or reuse an existing log router (a container with firelensConfiguration)${config ? ', or turn those inputs off' : ''}.`,
        file,
        { path: 'containerDefinitions' }
      )
    }
  })
  check(() => checkFargateMemory(taskDefinition, file))
  const names = [...(options.logOptionNames ?? []), ...(options.logOptions ?? []).map(([name]) => name)]
  check(() => warnings.push(...checkDatadogOptions(taskDefinition, file, names)))
  errors.push(...checkDatadogValues(taskDefinition, file, options.logOptions ?? [], warnings))
  check(() => checkSize(taskDefinition, file, original))
  throwAll(errors)
  return warnings
}

/** The size of the request RegisterTaskDefinition sends for this definition, in bytes (UTF-8 JSON). */
export function requestBytes(taskDefinition: TaskDefinition): number {
  return new TextEncoder().encode(requestAsSent(taskDefinition)).length
}

function checkSize(taskDefinition: TaskDefinition, file: string, original: TaskDefinition | undefined): void {
  const after = requestBytes(taskDefinition)
  if (after <= MAX_TASK_DEFINITION_BYTES) return
  const before = original === undefined ? undefined : requestBytes(original)
  const was =
    before === undefined
      ? ''
      : before > MAX_TASK_DEFINITION_BYTES
        ? ` (${bytes(before)} before the patch: it was already too large)`
        : ` (${bytes(before)} before the patch, which added ${bytes(after - before)})`
  throw new UserError(
    `The patched task definition in ${file} is ${bytes(after)} as RegisterTaskDefinition sends it${was}; ECS accepts at most ${bytes(MAX_TASK_DEFINITION_BYTES)} (64 KiB).`,
    'Make it smaller: move long environment values into environmentFiles or secrets, shorten commands and labels, or move a container to another task definition.',
    file
  )
}

const bytes = (n: number): string => `${n.toLocaleString('en-US')} bytes`

/**
 * Options of every datadog output in the patched definition (the ones the file already had included) must be ones the
 * router accepts: an unknown name stops the router, and so the task. Names the patch sets itself are not checked.
 * Where the router's image tag shows its Fluent Bit, a name that version does not have yet is refused too (it stops
 * the router the same way); where it does not, a name Fluent Bit 1.9.10 (aws-for-fluent-bit 2.x) lacks is a warning.
 */
function checkDatadogOptions(
  taskDefinition: TaskDefinition,
  file: string,
  logOptionNames: readonly string[]
): string[] {
  const fromInput = new Set(logOptionNames.map(n => n.toLowerCase()))
  const containers = taskDefinition.containerDefinitions
  const paths = itemPaths('containerDefinitions', containers)
  const router = containers.find(c => c.firelensConfiguration !== undefined)
  const version = router === undefined ? undefined : routerVersion(router.image ?? '')
  /** Names only a newer Fluent Bit than 1.9.10 has, on a router of unknown version: name → containers. */
  const newer = new Map<string, string[]>()
  /** oauth2.*, active, condition: accepted by the router, and nothing for this output. */
  const inert: string[] = []
  containers.forEach((container, i) => {
    const entries = datadogOptionEntries(container)
    if (entries.length === 0) return
    const path = memberPath(memberPath(paths[i]!, 'logConfiguration'), 'options')
    for (const [key, value] of entries) {
      const nothing = inertOption(key)
      if (nothing) {
        inert.push(`${path} in ${file} ${nothing} Remove it.`)
        continue
      }
      const problem = optionProblem(key, value)
      if (problem)
        throw new UserError(`${path} in ${file} ${problem.message}`, problem.hint, file, {
          path: memberPath(path, key)
        })
      if (router === undefined || version === undefined) continue
      if (version.fluentBit !== undefined) {
        const needs = optionNeeds(key, version.fluentBit)
        if (needs !== undefined) {
          const where = fromInput.has(key.toLowerCase()) ? `Input \`log-options\` (in ${path})` : `${path} in ${file}`
          throw tooOldError(where, file, key, needs, router.name, version)
        }
      } else if (optionNeeds(key, FLUENT_BIT_2X) !== undefined) {
        const known = routerOptionName(key)!
        newer.set(known, [...(newer.get(known) ?? []), container.name])
      }
    }
  })
  if (router === undefined || version === undefined || newer.size === 0) return inert
  return [
    ...inert,
    ...[...newer].map(
      ([name, where]) =>
        `${where.join(', ')}: the datadog output sets ${name}, which Fluent Bit has only from ${optionNeeds(name, FLUENT_BIT_2X)!} on (aws-for-fluent-bit 3.x; not 2.x, whose Fluent Bit 1.9.10 stops on it). The Fluent Bit version of the log router "${router.name}" is unknown (${version.evidence}): if it is older, the router refuses its configuration and the task stops. Pin a router image that shows its version (e.g. \`log-router-image: ${DEFAULT_LOG_ROUTER_IMAGE}\`), or remove ${name} if the router is older.`
    )
  ]
}

/**
 * The values of every datadog output's options (option-values.ts): a value the router refuses is an error with the
 * path of its option, one it misreads a warning; options that must go together are checked as a set. Names the
 * router does not know are checkDatadogOptions'. `log-options` values were judged with their input line.
 */
function checkDatadogValues(
  taskDefinition: TaskDefinition,
  file: string,
  fromInputs: readonly (readonly [string, string])[],
  warnings: string[]
): UserError[] {
  const errors: UserError[] = []
  const containers = taskDefinition.containerDefinitions
  const paths = itemPaths('containerDefinitions', containers)
  const fromInput = (key: string, value: string): boolean =>
    fromInputs.some(([k, v]) => k.toLowerCase() === key.toLowerCase() && v === value)
  containers.forEach((container, i) => {
    const log = container.logConfiguration
    if (log?.logDriver !== 'awsfirelens' || log.options === undefined) return
    const entries = Object.entries(log.options)
    const name = entries.find(([key]) => key.toLowerCase() === 'name')?.[1]
    if (name?.toLowerCase() !== 'datadog') return
    const optionsPath = memberPath(memberPath(paths[i]!, 'logConfiguration'), 'options')
    for (const [key, value] of entries) {
      if (reservedOption(key) !== undefined || typeof value !== 'string' || fromInput(key, value)) continue
      if (routerOptionName(key) === undefined) continue
      const at = { path: memberPath(optionsPath, key) }
      const valueProblem = optionValueProblem(key, value)
      if (valueProblem?.severity === 'error')
        errors.push(new UserError(`${optionsPath} in ${file} ${valueProblem.message}`, valueProblem.hint, file, at))
      else if (valueProblem) warnings.push(`${optionsPath} in ${file} ${valueProblem.message} ${valueProblem.hint}`)
    }
    const options = OptionMap.fromRecord(log.options)
    for (const problem of optionSetProblems(options)) {
      // A pair only log-options wrote was judged there.
      if (fromInput(problem.option, options.get(problem.option) ?? '')) continue
      const at = { path: memberPath(optionsPath, problem.option) }
      if (problem.severity === 'error')
        errors.push(new UserError(`${optionsPath} in ${file} ${problem.message}`, problem.hint, file, at))
      else warnings.push(`${optionsPath} in ${file} ${problem.message} ${problem.hint}`)
    }
  })
  return errors
}

/**
 * The options of a container's datadog output that a check judges: every one but the names the patch sets itself
 * (Name, Host, TLS, apikey …; FireLens's Match is judged). Empty for a container without a datadog output.
 */
export function datadogOptionEntries(container: ContainerDefinition): [string, string][] {
  const log = container.logConfiguration
  if (log?.logDriver !== 'awsfirelens' || log.options === undefined || log.options === null) return []
  const entries = Object.entries(log.options)
  const name = entries.find(([key]) => key.toLowerCase() === 'name')?.[1]
  if (typeof name !== 'string' || name.toLowerCase() !== 'datadog') return []
  return entries
    .filter(([key]) => {
      const reserved = reservedOption(key)
      return reserved === undefined || RESERVED_OPTIONS[reserved]!.owner === 'FireLens'
    })
    .map(([key, value]) => [key, String(value)])
}

/** A name the router's Fluent Bit does not have yet: it would stop at start-up, with the task. */
export function tooOldError(
  where: string,
  file: string,
  name: string,
  needs: string,
  router: string,
  version: RouterVersion
): UserError {
  const known = routerOptionName(name) ?? name
  const running = version.fluentBit === undefined ? '' : formatVersion(version.fluentBit)
  const message = `${where} sets ${known}, which the log router "${router}" does not have: ${version.evidence}, and Fluent Bit accepts ${known} only from ${needs} on. The router would refuse its configuration (unknown configuration property) and stop the task.`
  const hint =
    version.endOfLife !== undefined
      ? `aws-for-fluent-bit 2.x (Fluent Bit ${running}) reached end of life on ${version.endOfLife}: set \`log-router-image\` to ${DEFAULT_LOG_ROUTER_IMAGE} (Fluent Bit 5.0.9), or remove ${known}.`
      : `Use a router image with Fluent Bit ${needs} or later (e.g. set \`log-router-image\` to ${DEFAULT_LOG_ROUTER_IMAGE}, Fluent Bit 5.0.9), or remove ${known}.`
  return new UserError(message, hint, file)
}

/** A task-level memory the containers' reservations must fit in (Fargate always has one; EC2 when it is set). */
function checkFargateMemory(taskDefinition: TaskDefinition, file: string): void {
  const taskMemory = taskMemoryMiB(taskDefinition.memory)
  if (taskMemory === undefined) return
  const fargate = isFargate(taskDefinition)
  const task = fargate ? 'Fargate task' : 'task'
  const parts = memoryParts(taskDefinition.containerDefinitions)
  const total = totalMiB(parts)
  if (total > taskMemory) {
    const size = fargate ? nearestFargateSize(total) : undefined
    const raise = fargate
      ? size
        ? `Raise the task-level "memory" to a Fargate size that holds ${total} MiB (${formatFargateSize(size)})`
        : `Fargate's largest size cannot hold ${total} MiB: move a container to another task definition`
      : `Raise the task-level "memory" to at least ${total} MiB`
    // Name the field each container sets: lowering memoryReservation does nothing for a container that sets memory.
    const lower = [...new Set(parts.map(p => p.field))].map(f => `"${f}"`).join(' or ')
    throw new UserError(
      `The containers of the ${task} in ${file} reserve ${total} MiB (${formatParts(parts)}), more than the task's memory of ${taskMemory} MiB.`,
      `${raise}, or lower the containers' ${lower} (\`log-router-memory\` and \`agent-memory\` for the sidecars this action adds; 0 for none)${taskDefinition.containerDefinitions.some(isConfigContainer) ? `; ${CONFIG_CONTAINER} (${CONFIG_CONTAINER_MEMORY} MiB) writes the router's configuration for \`multiline\`, \`wait-for-router\` or \`log-router-grace\`` : ''}.`,
      file
    )
  }
  const tooBig = taskDefinition.containerDefinitions.find(c => Number(c.memory ?? 0) > taskMemory)
  if (tooBig) {
    throw new UserError(
      `Container "${tooBig.name}" in ${file} has a memory limit ("memory") of ${tooBig.memory} MiB, more than the ${task}'s ${taskMemory} MiB.`,
      'Lower its "memory" or raise the task-level "memory".',
      file
    )
  }
}
