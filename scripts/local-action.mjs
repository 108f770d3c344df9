#!/usr/bin/env node
// npm run local-action: runs the main action's run() from its TypeScript sources with @github/local-action, the
// inputs and runner variables taken from .env (or from .env.example when there is no .env yet, saying so). The
// folders the runner would have made (RUNNER_TEMP, and those of GITHUB_OUTPUT and GITHUB_STEP_SUMMARY) are created
// first: local-action does not, and the action refuses a RUNNER_TEMP that does not exist.
//
// Usage: npm run local-action [-- <env file>]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = 'src/shells/action/main.ts'

const asked = process.argv[2]
const envFile = asked ?? (existsSync(join(ROOT, '.env')) ? '.env' : '.env.example')
if (!existsSync(resolve(ROOT, envFile))) {
  console.error(`local-action: ${envFile} does not exist. Copy .env.example to .env and edit it.`)
  process.exit(1)
}
if (!asked && envFile === '.env.example') {
  console.log('local-action: no .env, so the inputs come from .env.example (cp .env.example .env to change them).')
}

// KEY=value lines, as in .env.example (local-action itself reads the file with dotenv).
const vars = Object.fromEntries(
  readFileSync(resolve(ROOT, envFile), 'utf8')
    .split(/\r?\n/)
    .filter(line => /^\s*[A-Za-z_][\w-]*\s*=/.test(line))
    .map(line => {
      const at = line.indexOf('=')
      return [
        line.slice(0, at).trim(),
        line
          .slice(at + 1)
          .trim()
          .replace(/^(["'])(.*)\1$/, '$2')
      ]
    })
)
for (const [name, isFile] of [
  ['RUNNER_TEMP', false],
  ['GITHUB_OUTPUT', true],
  ['GITHUB_STEP_SUMMARY', true]
]) {
  const value = vars[name]?.trim()
  if (value) mkdirSync(resolve(ROOT, isFile ? dirname(value) : value), { recursive: true })
}

const bin = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'local-action.cmd' : 'local-action')
const result = spawnSync(bin, ['.', ENTRY, envFile], { cwd: ROOT, stdio: 'inherit' })
if (result.error) {
  console.error(`local-action: could not start ${bin}: ${result.error.message} (run npm ci first)`)
  process.exit(1)
}
process.exit(result.status ?? 1)
