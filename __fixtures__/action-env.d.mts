// Types for action-env.mjs (the runner-like environment shared by __tests__/e2e/run-action.ts and scripts/bench.mjs).

export const REPO_ROOT: string
export const ACTION_YML: string
export const DIST_ENTRY: string
export const VERIFY_ACTION_YML: string
export const VERIFY_DIST_ENTRY: string
export const AUDIT_ACTION_YML: string
export const AUDIT_DIST_ENTRY: string
export const FIXED_SHA: string
export const DEAD_ENDPOINT: string
export const NO_REGION: Readonly<{ AWS_REGION: string; AWS_DEFAULT_REGION: string }>

export interface ActionInput {
  name: string
  required: boolean
  default: string | undefined
}

export function inputEnvName(name: string): string
export function readActionInputs(actionYml?: string): ActionInput[]
export function inputEnv(inputs: Record<string, string>, actionYml?: string): Record<string, string>

export interface PreparedActionEnv {
  env: Record<string, string>
  tempDir: string
  workspace: string
  runnerTemp: string
  outputFile: string
  summaryFile: string
  envFile: string
  pathFile: string
  stateFile: string
  eventFile: string
}

export function prepareActionEnv(opts?: {
  inputs?: Record<string, string>
  /** AWS_ENDPOINT_URL; default DEAD_ENDPOINT. */
  endpointUrl?: string
  /** Applied last: overrides anything above. */
  env?: Record<string, string>
  /** Use this dir instead of a fresh mkdtemp one. */
  tempDir?: string
  /** The action.yml whose inputs (and defaults) become INPUT_*; default the main action's. */
  actionYml?: string
}): PreparedActionEnv

export function parseGithubOutput(text: string): Record<string, string>
