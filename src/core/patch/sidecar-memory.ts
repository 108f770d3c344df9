import { UserError } from '../errors.js'
import type { TaskDefinition } from '../definition/task-definition.js'
import {
  formatFargateSize,
  formatParts,
  isFargate,
  memoryParts,
  nearestFargateSize,
  taskMemoryMiB,
  totalMiB
} from '../task-memory.js'

/** The memory reservation asked for a sidecar the action adds (the log router, the Agent). */
export interface SidecarReservation {
  container: string
  input: 'log-router-memory' | 'agent-memory'
  /** MiB; 0 means no reservation. */
  mib: number
  /** Whether the input set it; the default gives way when it does not fit. */
  explicit: boolean
}

export interface SidecarMemory {
  /** The memoryReservation to set, if any. */
  memoryReservation?: number
  warning?: string
}

/**
 * The reservation an added sidecar gets. ECS needs none when the task has a task-level memory (always on Fargate;
 * on EC2 when it is set): the containers then share it. So the default reservation is dropped, with a warning, when it
 * does not fit next to what the containers already reserve; one the user set is refused instead; and 0 means none,
 * which EC2 without a task-level memory cannot take (every container needs memory or memoryReservation there).
 */
export function sidecarMemory(taskDefinition: TaskDefinition, sidecar: SidecarReservation): SidecarMemory {
  const taskMemory = taskMemoryMiB(taskDefinition.memory)
  const fargate = isFargate(taskDefinition)
  const { container, input, mib } = sidecar
  if (mib === 0) {
    if (taskMemory === undefined && !fargate) {
      throw new UserError(
        `Input \`${input}\` is 0 (no memory reservation), but the task has no task-level "memory": on EC2 ECS then needs "memory" or "memoryReservation" on every container, and ${container} would have neither.`,
        `Set \`${input}\` to a number of MiB (the default is ${input === 'log-router-memory' ? 50 : 256}), or give the task a task-level "memory".`
      )
    }
    return {}
  }
  if (taskMemory === undefined) return { memoryReservation: mib }
  const parts = memoryParts(taskDefinition.containerDefinitions)
  const reserved = totalMiB(parts)
  if (reserved + mib <= taskMemory) return { memoryReservation: mib }

  const need = reserved + mib
  const size = fargate ? nearestFargateSize(need) : undefined
  const numbers = `the task's memory is ${taskMemory} MiB and its containers already reserve ${reserved} MiB (${formatParts(parts)})`
  const bigger = fargate
    ? size
      ? `a Fargate size of at least ${need} MiB (${formatFargateSize(size)})`
      : `more memory than Fargate's largest size (${need} MiB needed)`
    : `a task-level "memory" of at least ${need} MiB`
  if (sidecar.explicit) {
    throw new UserError(
      `Input \`${input}\` reserves ${mib} MiB for ${container}, which does not fit: ${numbers}, so ${need} MiB would be needed.`,
      `Give the task ${bigger}, lower \`${input}\`, or set it to 0 so ${container} shares the task's memory without a reservation.`
    )
  }
  return {
    warning: `${container}: added without a memoryReservation, sharing the task's memory: ${numbers}, so the default reservation of ${mib} MiB does not fit. To reserve it, give the task ${bigger} and set \`${input}: ${mib}\`.`
  }
}

/** How a change row says the memory of a sidecar the action added. */
export function reservationDetail(mib: number | undefined): string {
  return mib === undefined ? "no memoryReservation (shares the task's memory)" : `memoryReservation ${mib} MiB`
}
