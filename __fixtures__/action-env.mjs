// Builds the environment a GitHub runner gives `node dist/index.js`, shared by the e2e harness and the bench.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const ACTION_YML = join(REPO_ROOT, 'action.yml')
export const DIST_ENTRY = join(REPO_ROOT, 'dist', 'index.js')
/** The second action in the repository (uses: <repo>/verify@v1) and its bundle. */
export const VERIFY_ACTION_YML = join(REPO_ROOT, 'verify', 'action.yml')
export const VERIFY_DIST_ENTRY = join(REPO_ROOT, 'dist', 'verify', 'index.js')
/** The fleet audit (uses: <repo>/audit@v1) and its bundle. */
export const AUDIT_ACTION_YML = join(REPO_ROOT, 'audit', 'action.yml')
export const AUDIT_DIST_ENTRY = join(REPO_ROOT, 'dist', 'audit', 'index.js')
export const FIXED_SHA = '4b1e2c9d0f3a5b7c9e1d2f4a6b8c0e2d4f6a8b0c'
/** Port 9 (discard) on loopback: refused at once, so a run without a fake can never reach AWS. */
export const DEAD_ENDPOINT = 'http://127.0.0.1:9'
/** Environment overrides for a run without an AWS region (the offline demo): no AWS check runs, nothing calls AWS. */
export const NO_REGION = Object.freeze({ AWS_REGION: '', AWS_DEFAULT_REGION: '' })

/** What the runner does to an input name: upper case, spaces to underscores, dashes kept. */
export function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

let cachedInputs
/** The inputs declared in action.yml, with their defaults as strings. */
export function readActionInputs(actionYml = ACTION_YML) {
  if (actionYml === ACTION_YML && cachedInputs) return cachedInputs
  const doc = YAML.parse(readFileSync(actionYml, 'utf8'))
  const inputs = Object.entries(doc.inputs ?? {}).map(([name, spec]) => ({
    name,
    required: spec?.required === true || spec?.required === 'true',
    default: spec?.default === undefined || spec?.default === null ? undefined : String(spec.default)
  }))
  if (actionYml === ACTION_YML) cachedInputs = inputs
  return inputs
}

/**
 * INPUT_* for every input of action.yml: the given value, else the default, else ''. An input the action does
 * not declare throws (the runner would only warn, but in a test it is a typo).
 */
export function inputEnv(inputs, actionYml = ACTION_YML) {
  const declared = readActionInputs(actionYml)
  const known = new Set(declared.map(i => i.name))
  const unknown = Object.keys(inputs).filter(k => !known.has(k))
  if (unknown.length > 0)
    throw new Error(`Unknown action input(s): ${unknown.join(', ')} (declared: ${[...known].join(', ')})`)
  const env = {}
  for (const i of declared) env[inputEnvName(i.name)] = inputs[i.name] ?? i.default ?? ''
  return env
}

/**
 * A fresh temp dir laid out like a runner's, and the full child environment: a minimal base (PATH, HOME), the
 * GitHub variables and files, fake AWS credentials, AWS_ENDPOINT_URL (the fake or a dead port), the inputs, and
 * finally `env` overrides.
 */
export function prepareActionEnv({ inputs = {}, endpointUrl, env = {}, tempDir, actionYml = ACTION_YML } = {}) {
  const root = tempDir ?? mkdtempSync(join(tmpdir(), 'dd-firelens-e2e-'))
  const paths = {
    tempDir: root,
    workspace: join(root, 'workspace'),
    runnerTemp: join(root, 'runner-temp'),
    outputFile: join(root, 'github_output'),
    summaryFile: join(root, 'step_summary'),
    envFile: join(root, 'github_env'),
    pathFile: join(root, 'github_path'),
    stateFile: join(root, 'github_state'),
    eventFile: join(root, 'event.json')
  }
  mkdirSync(paths.workspace, { recursive: true })
  mkdirSync(paths.runnerTemp, { recursive: true })
  for (const f of [paths.outputFile, paths.summaryFile, paths.envFile, paths.pathFile, paths.stateFile])
    writeFileSync(f, '')
  writeFileSync(
    paths.eventFile,
    JSON.stringify({
      ref: 'refs/heads/main',
      after: FIXED_SHA,
      repository: { full_name: 'acme/shop', name: 'shop', owner: { login: 'acme' } }
    })
  )

  const childEnv = {
    // Minimal base: nothing of the developer's AWS_*, NODE_OPTIONS or proxy settings leaks in.
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? root,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: FIXED_SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: paths.eventFile,
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTION: '__acme_datadog-firelens-action',
    GITHUB_WORKSPACE: paths.workspace,
    GITHUB_OUTPUT: paths.outputFile,
    GITHUB_STEP_SUMMARY: paths.summaryFile,
    GITHUB_ENV: paths.envFile,
    GITHUB_PATH: paths.pathFile,
    GITHUB_STATE: paths.stateFile,
    RUNNER_TEMP: paths.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'e2e',
    RUNNER_ENVIRONMENT: 'github-hosted',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL: endpointUrl ?? DEAD_ENDPOINT,
    // No ~/.aws files and no instance metadata lookups: the credentials above are the only ones.
    AWS_CONFIG_FILE: join(root, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...inputEnv(inputs, actionYml),
    ...env
  }
  return { env: childEnv, ...paths }
}

/**
 * Parses a GITHUB_OUTPUT file: `name<<DELIM\nvalue\nDELIM` blocks (what @actions/core writes) and the older
 * `name=value` lines.
 */
export function parseGithubOutput(text) {
  const out = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (!line) continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delim] = heredoc
      const value = []
      i++
      while (i < lines.length && lines[i] !== delim) value.push(lines[i++])
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: unterminated value for ${name} (delimiter ${delim})`)
      out[name] = value.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`)
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}
