import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PATCH_INPUTS, VERIFY_INPUTS } from '../../../src/core/inputs/action-inputs.generated.js'
import type { CliIo } from '../../../src/shells/cli/command.js'
import { COMMANDS } from '../../../src/shells/cli/commands.js'
import { main } from '../../../src/shells/cli/main.js'

const FIXTURE = fileURLToPath(new URL('../../../__fixtures__/task-definitions/fargate-web.json', import.meta.url))

/** The process as the CLI sees it: buffers for stdout and stderr, an environment without any AWS region. */
function io(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const out: string[] = []
  const err: string[] = []
  const dir = mkdtempSync(join(tmpdir(), 'cli-main-'))
  const value: CliIo = {
    env: {
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...options.env
    },
    stdout: { write: (t: string) => out.push(t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => err.push(t), isTTY: options.tty ?? false },
    cwd: () => dir,
    version: '9.9.9'
  }
  return { io: value, dir, stdout: () => out.join(''), stderr: () => err.join('') }
}

const PATCH = ['patch', '--task-definition', FIXTURE, '--site', 'eu1', '--api-key-secret', '/prod/DD_API_KEY']

describe('the command line', () => {
  it('lists its commands and exits 2 without one; 0 with --help; --version prints the version', async () => {
    const none = io()
    expect(await main([], none.io)).toBe(2)
    expect(none.stderr()).toContain('patch ')
    const help = io()
    expect(await main(['--help'], help.io)).toBe(0)
    expect(help.stdout()).toMatch(/Commands:\n {2}patch {3}.*\n {2}verify {2}/)
    const version = io()
    expect(await main(['--version'], version.io)).toBe(0)
    expect(version.stdout()).toBe('9.9.9\n')
  })

  it('has one --help per command, listing every input of its action.yml as a flag with its default', async () => {
    for (const [name, inputs] of [
      ['patch', PATCH_INPUTS],
      ['verify', VERIFY_INPUTS]
    ] as const) {
      const run = io()
      expect(await main([name, '--help'], run.io)).toBe(0)
      for (const input of inputs) {
        const line = run
          .stdout()
          .split('\n')
          .find(l => l.startsWith(`  --${input.name}`))
        expect(line).toBeDefined()
        if (input.default !== undefined) expect(line).toContain(`default: ${input.default}`)
        if (input.required) expect(line).toContain('required')
      }
    }
  })

  it('says a usage error with exit code 2: unknown command, unknown flag, a required flag missing', async () => {
    const unknown = io()
    expect(await main(['pach'], unknown.io)).toBe(2)
    expect(unknown.stderr()).toMatch(/^error: Unknown command "pach". Did you mean patch\?/)
    const missing = io()
    expect(await main(['patch', '--site', 'eu1'], missing.io)).toBe(2)
    expect(missing.stderr()).toMatch(/^error: --task-definition, --api-key-secret are required\./)
  })

  it('patches to stdout when it is not a terminal, byte for byte what it writes to --out', async () => {
    const piped = io()
    expect(await main([...PATCH, '--register', 'false'], piped.io)).toBe(0)
    const file = io()
    const out = join(file.dir, 'patched.json')
    expect(await main([...PATCH, '--register', 'false', '--out', out], file.io)).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout())
    expect(file.stdout()).toBe('')
    expect(file.stderr()).toContain(`Wrote the patched task definition to ${out}.`)
  })

  it('on a terminal writes <name>.patched.json beside the input, and says so', async () => {
    const run = io({ tty: true, env: { NO_COLOR: '1' } })
    const input = join(run.dir, 'td.json')
    writeFileSync(input, readFileSync(FIXTURE))
    expect(
      await main(
        ['patch', '--task-definition', input, '--site', 'eu1', '--api-key-secret', '/p', '--no-register'],
        run.io
      )
    ).toBe(0)
    expect(readFileSync(join(run.dir, 'td.patched.json'), 'utf8')).toMatch(/"log-router"/)
    expect(run.stderr()).toContain(`Wrote the patched task definition to ${join(run.dir, 'td.patched.json')}.`)
  })

  it('--check writes nothing and exits 1 when the file would change, 0 when it is what patch writes', async () => {
    const run = io()
    const input = join(run.dir, 'td.json')
    const original = readFileSync(FIXTURE, 'utf8')
    writeFileSync(input, original)
    const args = ['patch', '--task-definition', input, '--site', 'eu1', '--api-key-secret', '/p']
    expect(await main([...args, '--check'], run.io)).toBe(1)
    expect(readFileSync(input, 'utf8')).toBe(original)
    expect(run.stderr()).toMatch(/^error: .*td\.json: not what patch writes/m)
    expect(await main([...args, '--no-register', '--out', input], io().io)).toBe(0)
    const again = io()
    expect(await main([...args, '--check'], again.io)).toBe(0)
    expect(again.stderr()).toContain(`${input} is up to date.`)
    expect(await main([...args, '--check', '--register'], io().io)).toBe(2)
  })

  it('--json prints the outputs, findings and changes on stdout', async () => {
    const run = io()
    const out = join(run.dir, 'p.json')
    expect(await main([...PATCH, '--no-register', '--out', out, '--json'], run.io)).toBe(0)
    const report = JSON.parse(run.stdout())
    expect(report).toMatchObject({
      command: 'patch',
      exitCode: 0,
      outputs: { 'task-definition': out, 'task-definition-arn': '' },
      report: { family: 'web', site: 'EU1', registered: null, awsChecks: 'skipped: no AWS region' }
    })
    expect(report.report.changes.map((c: { container: string }) => c.container)).toEqual(['web', 'log-router'])
    expect(report.findings).toContainEqual(expect.objectContaining({ level: 'notice', file: FIXTURE }))
  })

  it('words the jobs’ workflow hints for a command line', async () => {
    const dry = io()
    expect(await main([...PATCH, '--register', 'false', '--out', join(dry.dir, 'p.json')], dry.io)).toBe(0)
    expect(dry.stderr()).toContain(
      'so verify-secret and verify-roles did not run and no AWS API was called. Set AWS_REGION (or AWS_PROFILE, a profile with a region) to run them.'
    )
    const registering = io()
    expect(await main(PATCH, registering.io)).toBe(1)
    expect(registering.stderr()).toContain('or pass --register false to only write the patched file.')
    expect(dry.stderr() + registering.stderr()).not.toMatch(/configure-aws-credentials|this step/)
  })

  it('colours its labels only on a terminal and never with NO_COLOR', async () => {
    const tty = io({ tty: true })
    await main(
      ['patch', '--site', 'eu1', '--task-definition', 'x.json', '--api-key-secret', '/p', '--out', '-'],
      tty.io
    )
    expect(tty.stderr()).toContain('\u001b[1;31merror:\u001b[0m')
    for (const run of [io({ tty: true, env: { NO_COLOR: '1' } }), io()]) {
      await main(
        ['patch', '--site', 'eu1', '--task-definition', 'x.json', '--api-key-secret', '/p', '--out', '-'],
        run.io
      )
      expect(run.stderr()).toMatch(/^error: The task definition file x\.json does not exist/m)
      expect(run.stderr()).not.toContain('\u001b[')
    }
  })

  it('refuses a key in any flag without ever printing it (exit 1)', async () => {
    const flags = COMMANDS.flatMap(c => c.flags.filter(f => f.kind !== 'switch').map(f => [c.name, f.name] as const))
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...flags),
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.constantFrom('%s', 'team:%s', '%s\nmore'),
        async ([command, flag], key, shape) => {
          const run = io()
          const required: Record<string, string> =
            command === 'patch'
              ? { 'task-definition': FIXTURE, site: 'eu1', 'api-key-secret': '/p' }
              : { cluster: 'c', service: 's', site: 'eu1' }
          const args = Object.entries({ ...required, [flag]: shape.replace('%s', key) }).flatMap(([n, v]) => [
            `--${n}`,
            v
          ])
          const code = await main([command, ...args], run.io)
          expect(code).toBe(1)
          expect(run.stderr() + run.stdout()).not.toContain(key)
          expect(run.stderr()).toMatch(/^error: /)
        }
      ),
      { numRuns: 40 }
    )
  })
})

describe("README's Command line section", () => {
  it('names every flag of every command that is not an action input', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('\n## Command line\n'), readme.indexOf('\n## Examples\n'))
    for (const command of COMMANDS) {
      expect(section).toContain(`\`${command.name}\``)
      for (const flag of command.flags.filter(f => !f.input)) {
        const row = section.split('\n').find(line => line.startsWith(`| \`--${flag.name}`))
        expect({ flag: flag.name, row }).toEqual({ flag: flag.name, row: expect.stringContaining(command.name) })
      }
    }
  })
})
