// `npm run local-action` as CONTRIBUTING and README write it: the TypeScript sources through @github/local-action,
// inputs from an env file whose RUNNER_TEMP folder does not exist yet (the script makes it, as a runner would).
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')

describe('npm run local-action', () => {
  it('runs .env.example as written, creating the RUNNER_TEMP folder it names', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'local-action-'))
    try {
      const runnerTemp = path.join(scratch, 'not-yet', 'runner-temp')
      const envFile = path.join(scratch, 'test.env')
      const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8')
      writeFileSync(envFile, example.split('/tmp/datadog-firelens-action').join(runnerTemp))
      expect(existsSync(runnerTemp)).toBe(false)
      const result = spawnSync('npm', ['run', '--silent', 'local-action', '--', envFile], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 170_000,
        env: { ...process.env, AWS_REGION: '', AWS_DEFAULT_REGION: '', NODE_OPTIONS: '' }
      })
      const out = `${result.stdout}\n${result.stderr}`
      expect({ status: result.status, out: result.status === 0 ? '' : out }).toEqual({ status: 0, out: '' })
      // The patched definition was written under the folder the script made.
      expect(readdirSync(runnerTemp, { recursive: true }).some(f => String(f).endsWith('.json'))).toBe(true)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 180_000)
})
