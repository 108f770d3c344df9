import { UserError } from '../errors.js'
import type { TaskDefinition } from '../definition/task-definition.js'
import { itemPaths, memberPath } from '../definition/json-path.js'
import { requestAsSent } from '../definition/member-types.js'
import { RESERVED_OPTIONS, optionProblem, reservedOption } from '../router/option-names.js'

/** ECS's limit on containers in one task definition. */
const MAX_CONTAINERS = 10

/**
 * ECS's limit on a task definition, in bytes: RegisterTaskDefinition answers "Actual length: '66420'. Max allowed
 * length is '65536' bytes." (awsdocs/amazon-ecs-developer-guide#149).
 */
export const MAX_TASK_DEFINITION_BYTES = 65_536

/**
 * Checks that need no network, on the patched definition: each one catches a mistake that ECS would otherwise only
 * report when a task fails to start. Throws the first UserError.
 */
export function preflight(taskDefinition: TaskDefinition, file: string, original?: TaskDefinition): void {
  if (!taskDefinition.executionRoleArn) {
    throw new UserError(
      `The task definition in ${file} has no executionRoleArn, but the Datadog API key is read from a secret when the task starts.`,
      'Add "executionRoleArn": the task execution role, which needs ssm:GetParameters (SSM) or secretsmanager:GetSecretValue (Secrets Manager), and kms:Decrypt for a customer-managed KMS key.',
      file
    )
  }
  const os = taskDefinition.runtimePlatform?.operatingSystemFamily
  if (typeof os === 'string' && os.toUpperCase().startsWith('WINDOWS')) {
    throw new UserError(
      `The task definition in ${file} runs on ${os}; FireLens runs only on Linux tasks.`,
      'Use this action for Linux task definitions only; Windows tasks can ship logs with awslogs and a Datadog forwarder instead.',
      file
    )
  }
  const count = taskDefinition.containerDefinitions.length
  if (count > MAX_CONTAINERS) {
    throw new UserError(
      `With the log router the task definition in ${file} has ${count} containers; ECS allows ${MAX_CONTAINERS}.`,
      'Move a container to another task definition, or reuse an existing log router (a container with firelensConfiguration).',
      file
    )
  }
  checkFargateMemory(taskDefinition, file)
  checkDatadogOptions(taskDefinition, file)
  checkSize(taskDefinition, file, original)
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
 */
function checkDatadogOptions(taskDefinition: TaskDefinition, file: string): void {
  const containers = taskDefinition.containerDefinitions
  const paths = itemPaths('containerDefinitions', containers)
  containers.forEach((container, i) => {
    const log = container.logConfiguration
    if (log?.logDriver !== 'awsfirelens' || log.options === undefined) return
    const entries = Object.entries(log.options)
    const name = entries.find(([key]) => key.toLowerCase() === 'name')?.[1]
    if (name?.toLowerCase() !== 'datadog') return
    for (const [key, value] of entries) {
      const reserved = reservedOption(key)
      if (reserved !== undefined && RESERVED_OPTIONS[reserved]!.owner !== 'FireLens') continue
      const problem = optionProblem(key, value)
      if (problem) {
        const path = memberPath(memberPath(paths[i]!, 'logConfiguration'), 'options')
        throw new UserError(`${path} in ${file} ${problem.message}`, problem.hint, file)
      }
    }
  })
}

/** Task-level memory in MiB: "1024", "1 GB", "0.5GB". Undefined when absent or unreadable (ECS will judge it). */
export function taskMemoryMiB(memory: unknown): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(
    typeof memory === 'string' || typeof memory === 'number' ? String(memory) : ''
  )
  if (!match) return undefined
  const value = Number(match[1])
  return /^g/i.test(match[2] ?? '') ? value * 1024 : value
}

function checkFargateMemory(taskDefinition: TaskDefinition, file: string): void {
  if (!taskDefinition.requiresCompatibilities?.includes('FARGATE')) return
  const taskMemory = taskMemoryMiB(taskDefinition.memory)
  if (taskMemory === undefined) return
  const parts = taskDefinition.containerDefinitions
    .map(c => ({ name: c.name, mib: Number(c.memoryReservation ?? c.memory ?? 0) }))
    .filter(p => p.mib > 0)
  const total = parts.reduce((sum, p) => sum + p.mib, 0)
  if (total > taskMemory) {
    throw new UserError(
      `The containers of the Fargate task in ${file} reserve ${total} MiB (${parts.map(p => `${p.name} ${p.mib}`).join(', ')}), more than the task's memory of ${taskMemory} MiB.`,
      'Raise the task-level "memory" to a Fargate size that fits (with its matching cpu), or lower the containers\' memoryReservation (`log-router-memory` and `agent-memory` for the sidecars).',
      file
    )
  }
  const tooBig = taskDefinition.containerDefinitions.find(c => Number(c.memory ?? 0) > taskMemory)
  if (tooBig) {
    throw new UserError(
      `Container "${tooBig.name}" in ${file} has a memory limit of ${tooBig.memory} MiB, more than the Fargate task's ${taskMemory} MiB.`,
      'Lower its "memory" or raise the task-level "memory".',
      file
    )
  }
}
