// Runs the bundle (dist/index.js) the way a GitHub runner does: a fresh process, INPUT_* for every input of
// action.yml, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, and AWS pointed at a fake (or at a dead port).
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIST_ENTRY, REPO_ROOT, parseGithubOutput, prepareActionEnv } from '../../__fixtures__/action-env.mjs'
import type { FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { staleBundleReason } from '../../scripts/source-hash.mjs'

export interface RunActionOptions {
  /** Extra environment, applied last (e.g. DATADOG_API_URL_TEMPLATE, AWS_REGION). */
  env?: Record<string, string>
  /** AWS_ENDPOINT_URL = fake.url; without it the endpoint is a dead loopback port. */
  fake?: FakeAws
  /** Kill the child (SIGKILL) after this long. Default 60 000. */
  timeoutMs?: number
  /** The bundle to run; default dist/index.js. */
  entry?: string
  /** The action.yml whose inputs and defaults are passed; default the main action's. */
  actionYml?: string
}

export interface RunActionResult {
  code: number | null
  /** Set when the child was killed (e.g. 'SIGKILL' on timeout). */
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  elapsedMs: number
  tempDir: string
  /** Each stdout line with the time it arrived (ms after the start), to check how often progress is printed. */
  lineTimes: { ms: number; line: string }[]
}

/** Checked once per test file: null when dist/ matches the sources. */
let stale: string | null | undefined

export const FIXTURES_DIR = join(REPO_ROOT, '__fixtures__', 'task-definitions')

export async function runAction(inputs: Record<string, string>, opts: RunActionOptions = {}): Promise<RunActionResult> {
  const entry = opts.entry ?? DIST_ENTRY
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run npm run build first`)
  // Testing an old bundle would pass or fail for the wrong reasons: fail fast instead.
  stale ??= staleBundleReason() ?? null
  if (stale !== null && opts.entry === undefined) throw new Error(stale)
  const prepared = prepareActionEnv({
    inputs,
    endpointUrl: opts.fake?.url,
    env: opts.env,
    ...(opts.actionYml ? { actionYml: opts.actionYml } : {})
  })
  const node = process.env.E2E_NODE ?? process.execPath
  const timeoutMs = opts.timeoutMs ?? 60_000

  const start = process.hrtime.bigint()
  const child = spawn(node, [entry], {
    cwd: prepared.workspace,
    env: prepared.env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  const lineTimes: { ms: number; line: string }[] = []
  let partial = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    const parts = (partial + d).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) lineTimes.push({ ms, line })
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject)
      // 'close' (not 'exit') so stdout/stderr are complete.
      child.once('close', (c, s) => resolve({ code: c, signal: s }))
    }
  ).finally(() => clearTimeout(timer))
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6

  return {
    code,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs: parseGithubOutput(readFileSync(prepared.outputFile, 'utf8')),
    summary: readFileSync(prepared.summaryFile, 'utf8'),
    elapsedMs,
    tempDir: prepared.tempDir,
    lineTimes
  }
}

/** Copies __fixtures__/task-definitions/<name> into a fresh temp dir (or `dir`) and returns its absolute path. */
export function exampleTaskDefinition(name: string, dir?: string): string {
  const target = join(dir ?? mkdtempSync(join(tmpdir(), 'dd-firelens-td-')), name)
  copyFileSync(join(FIXTURES_DIR, name), target)
  return target
}
