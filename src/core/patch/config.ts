import type { SecretRef } from '../secret-ref.js'
import type { Site } from '../sites.js'
import type { Tag } from '../tags.js'
import type { WholeLogsConfig } from './router-config-container.js'

/** The contract of the patch: plain data, built from the inputs by inputs.ts and by hand in tests. */

export interface LogRouterConfig {
  /** Only set when the user gave one: an existing router keeps its image otherwise. */
  image?: string
  name: string
  /** memoryReservation in MiB for a router the action adds; 0: none. */
  memory: number
  /** Whether `log-router-memory` set it: the default gives way (no reservation) when it does not fit the task. */
  memoryExplicit?: boolean
  logGroup?: string
}

export interface AgentConfig {
  /** Only set when the user gave one: an existing agent keeps its image otherwise. */
  image?: string
  /** memoryReservation in MiB for an Agent the action adds; 0: none. */
  memory: number
  /** Whether `agent-memory` set it: the default gives way (no reservation) when it does not fit the task. */
  memoryExplicit?: boolean
}

export interface GitMetadata {
  repositoryUrl: string
  commitSha: string
}

/** Everything the patch needs, validated. */
export interface PatchConfig {
  site: Site
  apiKeySecret: SecretRef
  /** Only when given: the default (the family) is applied by the patch, which knows the family. */
  service?: string
  source?: string
  tags: Tag[]
  env?: string
  version?: string
  git?: GitMetadata
  /** Undefined: every container but the log router. */
  containers?: string[]
  /** Ordered Fluent Bit options that override the defaults. */
  logOptions: [string, string][]
  logRouter: LogRouterConfig
  parseJson: boolean
  /** `multiline`, `wait-for-router`, `log-router-grace`: the router's generated configuration. Undefined: all off. */
  wholeLogs?: WholeLogsConfig
  agent?: AgentConfig
  /** Needed for awslogs options (router log group, nothing else in the patch). */
  region?: string
}
