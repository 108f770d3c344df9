// Runs the command line as a user does: the bundle (dist/cli/index.js), or the bin of the package `npm pack` makes,
// installed with `npm install --offline` into an empty folder outside the repository, as a separate process against
// the loopback fakes. Refuses a stale bundle.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { DEAD_ENDPOINT, REPO_ROOT } from '../../__fixtures__/action-env.mjs'
import type { FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { staleBundleReason } from '../../scripts/source-hash.mjs'

export const CLI_ENTRY = join(REPO_ROOT, 'dist', 'cli', 'index.js')

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * The environment of a CI job that is not GitHub's (no GITHUB_*, no RUNNER_TEMP): PATH, a fresh HOME, fake AWS
 * credentials, AWS at the fake (or a dead port), no AWS config files and no instance metadata; `env` applies last.
 */
export function cliEnv(opts: { fake?: FakeAws; env?: Record<string, string> } = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'dd-firelens-cli-home-'))
  const node = process.env.E2E_NODE
  return {
    // E2E_NODE (e.g. Node 24) first on PATH, so the bin's `#!/usr/bin/env node` runs on it.
    PATH: [...(node ? [dirname(node)] : []), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL: opts.fake?.url ?? DEAD_ENDPOINT,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...opts.env
  }
}

/** Runs `bin` (an executable with a shebang) or the bundle with node; `env` is the whole environment. */
export async function runCli(
  args: readonly string[],
  opts: { bin?: string; env: Record<string, string>; cwd?: string; timeoutMs?: number }
): Promise<CliResult> {
  if (!opts.bin) {
    const stale = staleBundleReason()
    if (stale !== undefined) throw new Error(stale)
  }
  const [command, argv] = opts.bin
    ? [opts.bin, [...args]]
    : [process.env.E2E_NODE ?? process.execPath, [CLI_ENTRY, ...args]]
  const child = spawn(command, argv, {
    cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'dd-firelens-cli-cwd-')),
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', c => resolve(c))
  }).finally(() => clearTimeout(timer))
  return { code, stdout, stderr }
}

/**
 * `npm pack` of the repository, installed into an empty folder with `npm install --offline` and an empty npm cache:
 * any dependency outside the bundle would need the registry, and fail. Returns the installed bin.
 */
export function packAndInstall(): { bin: string; tarball: string; folder: string } {
  const stale = staleBundleReason()
  if (stale !== undefined) throw new Error(stale)
  const work = mkdtempSync(join(tmpdir(), 'dd-firelens-pack-'))
  const packs = join(work, 'packs')
  mkdirSync(packs)
  const npmEnv = {
    ...process.env,
    npm_config_cache: join(work, 'empty-npm-cache'),
    npm_config_update_notifier: 'false'
  }
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: REPO_ROOT, env: npmEnv, stdio: 'pipe' })
  const [name] = readdirSync(packs).filter(f => f.endsWith('.tgz'))
  if (!name) throw new Error('npm pack wrote no tarball')
  const tarball = join(packs, name)
  const folder = join(work, 'consumer')
  mkdirSync(folder)
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true })}\n`)
  execFileSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball],
    { cwd: folder, env: npmEnv, stdio: 'pipe' }
  )
  return { bin: join(folder, 'node_modules', '.bin', 'datadog-firelens'), tarball, folder }
}
