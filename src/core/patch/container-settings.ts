import type { ContainerDefinition } from '../definition/task-definition.js'

/**
 * Sets an environment variable, updating an existing entry of that name (and dropping duplicates of it) rather than
 * adding a second one.
 */
export function setEnvironment(container: ContainerDefinition, name: string, value: string): void {
  const list = (container.environment ??= [])
  const first = list.findIndex(e => e.name === name)
  if (first < 0) {
    list.push({ name, value })
    return
  }
  list[first] = { ...list[first], name, value }
  for (let i = list.length - 1; i > first; i--) if (list[i]?.name === name) list.splice(i, 1)
}

/** Sets a secret (`secrets` entry), updating one of the same name instead of adding a second one. */
export function setSecret(container: ContainerDefinition, name: string, valueFrom: string): void {
  const list = (container.secrets ??= [])
  const first = list.findIndex(e => e.name === name)
  if (first < 0) list.push({ name, valueFrom })
  else list[first] = { ...list[first], name, valueFrom }
}

export function setDockerLabel(container: ContainerDefinition, name: string, value: string): void {
  container.dockerLabels = { ...container.dockerLabels, [name]: value }
}

/** An environment variable's value: the last entry of that name when it is written twice. */
export function environmentValue(container: ContainerDefinition, name: string): string | undefined {
  const list = Array.isArray(container.environment) ? container.environment : []
  return list.filter(e => e?.name === name).at(-1)?.value
}

/** A docker label's value, when it is a string. */
export function dockerLabel(container: ContainerDefinition, name: string): string | undefined {
  const value = container.dockerLabels?.[name]
  return typeof value === 'string' ? value : undefined
}
