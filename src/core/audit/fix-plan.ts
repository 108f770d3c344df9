import { UserError } from '../errors.js'
import { parseTaskDefinition, type ContainerDefinition, type TaskDefinition } from '../definition/task-definition.js'
import { readConfig } from '../inputs/patch-inputs.js'
import type { Change } from '../patch/change.js'
import { patchTaskDefinition } from '../patch/patch-task-definition.js'
import { parseSecretRef } from '../secret-ref.js'
import type { Site } from '../sites.js'
import { revisionOf } from './definition-findings.js'

/** Shown in the plan when the definition names no secret for the key: the run needs `api-key-secret` then. */
export const SECRET_PLACEHOLDER = '/set-me/DATADOG_API_KEY'

/** What `patch` would change in one revision with the action's defaults and `site`. */
export type FixPlan =
  | {
      kind: 'plan'
      /** The `api-key-secret` the plan uses: the one the definition already reads, or the placeholder. */
      apiKeySecret: string
      /** Rows that change something, in container order. */
      changes: Change[]
      warnings: string[]
    }
  /** The main action would refuse this definition, with its message. */
  | { kind: 'refused'; message: string }

/**
 * Runs the real patch on a registered definition (read-only keys stripped as the action strips them) with the
 * action's defaults, and keeps what it would change. Pure; the definition is not modified.
 */
export function fixPlan(described: TaskDefinition, site: Site, region: string): FixPlan {
  const apiKeySecret = apiKeyReference(described) ?? SECRET_PLACEHOLDER
  const label = revisionOf(described)
  try {
    const { taskDefinition } = parseTaskDefinition(JSON.stringify(described), label)
    const inputs: Record<string, string> = {
      'task-definition': label,
      site: site.domain,
      'api-key-secret': apiKeySecret,
      'git-metadata': 'false'
    }
    const config = readConfig(name => inputs[name] ?? '', { AWS_REGION: region })
    const result = patchTaskDefinition(taskDefinition, config.patch)
    const before = new Map(taskDefinition.containerDefinitions.map(c => [c.name, c]))
    const changes = result.changes
      .filter(c => c.action !== 'unchanged' && !/nothing to change$/.test(c.detail))
      // By name only (the patch's old → new edits hold values, and a value may be a key): drop them.
      .map(({ edits: _edits, ...c }) => {
        const was = before.get(c.container)
        const now = result.taskDefinition.containerDefinitions.find(n => n.name === c.container)
        const what = c.action === 'updated' && was && now ? whatChanged(was, now) : ''
        return what ? { ...c, detail: `${c.detail}: ${what}` } : c
      })
    return { kind: 'plan', apiKeySecret, changes, warnings: [...config.warnings, ...result.warnings] }
  } catch (error) {
    if (error instanceof UserError) return { kind: 'refused', message: error.text }
    throw error
  }
}

/** The reference the datadog outputs already read the key from, when it is one the action takes. */
export function apiKeyReference(taskDefinition: TaskDefinition): string | undefined {
  const containers = Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  for (const container of containers) {
    for (const secret of container?.logConfiguration?.secretOptions ?? []) {
      if (typeof secret?.name !== 'string' || secret.name.toLowerCase() !== 'apikey') continue
      if (typeof secret.valueFrom === 'string' && 'kind' in parseSecretRef(secret.valueFrom)) return secret.valueFrom
    }
  }
  return undefined
}

/**
 * Which settings of a routed container the patch changes, by name only: values may hold a clear-text key, and the
 * names are what a reviewer looks for (Host, TLS, apikey moved to secretOptions …).
 */
function whatChanged(before: ContainerDefinition, after: ContainerDefinition): string {
  const parts: string[] = []
  const was = before.logConfiguration?.options ?? {}
  const now = after.logConfiguration?.options ?? {}
  const lower = (record: Record<string, unknown>): Map<string, unknown> =>
    new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]))
  const wasLower = lower(was)
  const nowLower = lower(now)
  const added = Object.keys(now).filter(k => !wasLower.has(k.toLowerCase()))
  const changed = Object.keys(now).filter(
    k => wasLower.has(k.toLowerCase()) && wasLower.get(k.toLowerCase()) !== now[k]
  )
  const removed = Object.keys(was).filter(k => !nowLower.has(k.toLowerCase()))
  if (changed.length > 0) parts.push(`${changed.join(', ')} changed`)
  if (added.length > 0) parts.push(`${added.join(', ')} added`)
  if (removed.length > 0) parts.push(`${removed.join(', ')} removed`)
  const secrets = (c: ContainerDefinition): string =>
    JSON.stringify((c.logConfiguration?.secretOptions ?? []).map(s => [s.name, s.valueFrom]))
  if (secrets(before) !== secrets(after)) parts.push('secretOptions apikey set')
  const tagging = (c: ContainerDefinition): string => JSON.stringify([c.environment ?? [], c.dockerLabels ?? {}])
  if (tagging(before) !== tagging(after)) parts.push('DD_* environment and labels set')
  return parts.join('; ')
}
