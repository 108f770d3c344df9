import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { PatchConfig } from '../src/core/patch/config.js'
import { resolveSite } from '../src/core/sites.js'
import { parseTaskDefinition, type TaskDefinition } from '../src/core/definition/task-definition.js'

/** A valid patch config for tests: AP1, an SSM key, defaults as action.yml has them. */
export function patchConfig(overrides: Partial<PatchConfig> = {}): PatchConfig {
  return {
    site: resolveSite('ap1'),
    apiKeySecret: { kind: 'ssm', value: '/prod/DATADOG_API_KEY', name: '/prod/DATADOG_API_KEY' },
    tags: [],
    logOptions: [],
    logRouter: { name: 'log-router', memory: 50 },
    parseJson: false,
    region: 'us-east-1',
    ...overrides
  }
}

/** One of the example task definitions in __fixtures__/task-definitions, as the action loads it. */
export function exampleTaskDefinition(name: string): TaskDefinition {
  const file = fileURLToPath(new URL(`./task-definitions/${name}`, import.meta.url))
  return parseTaskDefinition(readFileSync(file, 'utf8'), file).taskDefinition
}
