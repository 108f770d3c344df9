/**
 * A task's memory: the task-level value, what its containers reserve, and Fargate's sizes. Pure.
 */
import type { ContainerDefinition, TaskDefinition } from './definition/task-definition.js'

/** Task-level memory in MiB: "1024", "1 GB", "0.5GB". Undefined when absent or unreadable (ECS will judge it). */
export function taskMemoryMiB(memory: unknown): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb|mib|gib)?\s*$/i.exec(
    typeof memory === 'string' || typeof memory === 'number' ? String(memory) : ''
  )
  if (!match) return undefined
  const value = Number(match[1])
  return /^g/i.test(match[2] ?? '') ? value * 1024 : value
}

export function isFargate(taskDefinition: TaskDefinition): boolean {
  return taskDefinition.requiresCompatibilities?.includes('FARGATE') ?? false
}

/** What one container takes from the task's memory, and the field it comes from (ECS counts the reservation first). */
export interface MemoryPart {
  container: string
  field: 'memoryReservation' | 'memory'
  mib: number
}

export function memoryPart(container: ContainerDefinition): MemoryPart | undefined {
  const reservation = Number(container.memoryReservation ?? 0)
  if (reservation > 0) return { container: container.name, field: 'memoryReservation', mib: reservation }
  const memory = Number(container.memory ?? 0)
  if (memory > 0) return { container: container.name, field: 'memory', mib: memory }
  return undefined
}

export function memoryParts(containers: readonly ContainerDefinition[]): MemoryPart[] {
  return containers.map(memoryPart).filter((p): p is MemoryPart => p !== undefined)
}

export const totalMiB = (parts: readonly MemoryPart[]): number => parts.reduce((sum, p) => sum + p.mib, 0)

/** "web memory 512, log-router memoryReservation 50". */
export function formatParts(parts: readonly MemoryPart[]): string {
  return parts.length === 0 ? 'none' : parts.map(p => `${p.container} ${p.field} ${p.mib}`).join(', ')
}

/**
 * Fargate's task sizes (the ECS developer guide, "Task CPU and memory"): each cpu value with the task memory values
 * valid for it, in MiB. Linux tasks; Windows runs no FireLens.
 */
const range = (from: number, to: number, step: number): number[] =>
  Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step)

export const FARGATE_SIZES: readonly { cpu: number; memory: readonly number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) }
]

export interface FargateSize {
  memory: number
  /** Every cpu value Fargate accepts with this memory. */
  cpu: number[]
}

/** The smallest Fargate task memory of at least `mib`, with its valid cpu values; undefined above the largest. */
export function nearestFargateSize(mib: number): FargateSize | undefined {
  const memories = [...new Set(FARGATE_SIZES.flatMap(s => s.memory))].sort((a, b) => a - b)
  const memory = memories.find(m => m >= mib)
  if (memory === undefined) return undefined
  return { memory, cpu: FARGATE_SIZES.filter(s => s.memory.includes(memory)).map(s => s.cpu) }
}

/** "memory 2048 with cpu 512 or 1024": how a message names a size. */
export function formatFargateSize(size: FargateSize): string {
  return `"memory": "${size.memory}" with "cpu": ${size.cpu.map(c => `"${c}"`).join(' or ')}`
}
