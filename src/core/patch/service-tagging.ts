import type { Tag } from '../tags.js'
import type { ContainerDefinition } from '../definition/task-definition.js'
import type { PatchConfig } from './config.js'
import { setDockerLabel, setEnvironment } from './container-settings.js'

/**
 * The tags every routed container gets: the `tags` input (a key may repeat), then env/version and the git metadata.
 * Those have one value each, so they replace any value the `tags` input gave the same key.
 */
export function tagsFromConfig(config: PatchConfig): Tag[] {
  const single: Tag[] = []
  if (config.env !== undefined) single.push({ key: 'env', value: config.env })
  if (config.version !== undefined) single.push({ key: 'version', value: config.version })
  if (config.git) {
    single.push({ key: 'git.commit.sha', value: config.git.commitSha })
    single.push({ key: 'git.repository_url', value: config.git.repositoryUrl })
  }
  const singleKeys = new Set(single.map(t => t.key))
  return [...config.tags.filter(t => !singleKeys.has(t.key.toLowerCase())), ...single]
}

/**
 * Unified service tagging: DD_SERVICE/DD_ENV/DD_VERSION and the matching docker labels, plus the git metadata, so
 * traces, metrics and logs of the container carry the same service as its dd_service.
 */
export function applyServiceTagging(container: ContainerDefinition, config: PatchConfig, service: string): void {
  const values: [string, string | undefined][] = [
    ['service', service],
    ['env', config.env],
    ['version', config.version]
  ]
  for (const [name, value] of values) {
    if (value === undefined) continue
    setEnvironment(container, `DD_${name.toUpperCase()}`, value)
    setDockerLabel(container, `com.datadoghq.tags.${name}`, value)
  }
  if (config.git) {
    setEnvironment(container, 'DD_GIT_REPOSITORY_URL', config.git.repositoryUrl)
    setEnvironment(container, 'DD_GIT_COMMIT_SHA', config.git.commitSha)
  }
}
