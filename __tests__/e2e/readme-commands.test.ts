// The README's offline command, run as written on a machine with nothing but Node: the promise "no install needed"
// only holds while this passes. And .env.example, which `npm run local-action` reads, declares every input.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, inputEnvName, readActionInputs } from '../../__fixtures__/action-env.mjs'
import { staleBundleReason } from '../../scripts/source-hash.mjs'

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

/** The shell command of the fenced block that follows a README heading. */
function commandAfter(heading: string): string {
  const section = README.slice(README.indexOf(`\n## ${heading}\n`))
  const block = /```sh\n([\s\S]*?)```/.exec(section)
  if (!block) throw new Error(`README.md has no sh block under "## ${heading}"`)
  return block[1]!.trim()
}

describe('README commands', () => {
  it('"Try it offline" runs the dry run as written, with only PATH and HOME set, and calls no AWS API', () => {
    const stale = staleBundleReason()
    if (stale !== undefined) throw new Error(stale)
    const command = commandAfter('Try it offline')
    const result = spawnSync('sh', ['-c', command], {
      cwd: REPO_ROOT,
      // A shell that sets a region must not make it reach AWS: the command itself clears it.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_REGION: 'us-east-1' },
      encoding: 'utf8',
      timeout: 60_000
    })
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' })
    expect(result.stdout).toContain('Site: AP1 → http-intake.logs.ap1.datadoghq.com')
    expect(result.stdout).toContain('"Host": "http-intake.logs.ap1.datadoghq.com"')
    expect(result.stdout).not.toMatch(/^::(error|warning)/m)
  })

  it('"Development" names the test command .ci/run runs', () => {
    expect(commandAfter('Development')).toBe('npm ci && npm test')
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test\b/m)
  })

  it('.env.example (for npm run local-action) sets every input of action.yml and no region', () => {
    const example = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8')
    for (const input of readActionInputs()) expect(example).toMatch(new RegExp(`^${inputEnvName(input.name)}=`, 'm'))
    expect(example).toMatch(/^AWS_REGION=$/m)
    expect(example).not.toMatch(/^AWS_REGION=\S/m)
  })
})
