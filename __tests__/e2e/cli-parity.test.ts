// Parity: for every example task definition (__fixtures__/task-definitions and the shared examples beside the
// repository, when there) and a spread of inputs (fast-check), the CLI (dist/cli/index.js) and the action
// (dist/index.js) write the same bytes, or both refuse. Both run as separate processes, in the same environment.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parse } from 'yaml'
import { NO_REGION, REPO_ROOT, prepareActionEnv } from '../../__fixtures__/action-env.mjs'
import { runAction } from './run-action.js'
import { runCli } from './run-cli.js'

const FIXTURES = join(REPO_ROOT, '__fixtures__', 'task-definitions')
const SHARED = join(REPO_ROOT, '..', 'shared', 'examples')
const EXAMPLES = [
  ...readdirSync(FIXTURES).map(name => join(FIXTURES, name)),
  ...(existsSync(SHARED) ? readdirSync(SHARED).map(name => join(SHARED, name)) : [])
].filter(path => /\.(json|ya?ml)$/.test(path))

type Inputs = Record<string, string>

/** The CLI's arguments for the action's inputs: a flag of the same name each, log-options one flag per line. */
function cliArgs(inputs: Inputs, out: string): string[] {
  const args = ['patch', '--out', out]
  for (const [name, value] of Object.entries(inputs)) {
    if (name === 'log-options') for (const line of value.split('\n')) args.push(`--${name}`, line)
    else args.push(`--${name}`, value)
  }
  return args
}

/** Runs both on the same file and inputs; the bytes each wrote (undefined: none), and the exit codes. */
async function both(inputs: Inputs): Promise<{ action?: string; cli?: string; codes: [number | null, number | null] }> {
  const action = await runAction(inputs, { env: NO_REGION })
  const env = prepareActionEnv({ inputs: {}, env: NO_REGION }).env
  const out = join(mkdtempSync(join(tmpdir(), 'dd-firelens-parity-')), 'cli.json')
  const cli = await runCli(cliArgs(inputs, out), { env })
  const written = action.outputs['task-definition']
  return {
    ...(written ? { action: readFileSync(written, 'utf8') } : {}),
    ...(existsSync(out) ? { cli: readFileSync(out, 'utf8') } : {}),
    codes: [action.code, cli.code]
  }
}

const base = (file: string): Inputs => ({
  'task-definition': file,
  site: 'ap1',
  'api-key-secret': '/prod/DATADOG_API_KEY',
  register: 'false'
})

/** The container names of an example (a describe-task-definition output wraps the definition). */
function containerNames(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { taskDefinition?: unknown; containerDefinitions?: unknown }
  const td = (doc.taskDefinition ?? doc) as { containerDefinitions?: { name?: string }[] }
  return (td.containerDefinitions ?? []).flatMap(c => (typeof c.name === 'string' ? [c.name] : []))
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)
/** Valid inputs, as users write them. */
const valid = (file: string) =>
  fc.record({
    site: fc.constantFrom('ap1', 'EU1', 'datadoghq.eu', 'us3', 'https://app.datadoghq.com', 'uk1'),
    'api-key-secret': fc.constantFrom(
      '/prod/DATADOG_API_KEY',
      'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog-api-key-AbCdEf'
    ),
    service: optional(word),
    env: optional(word),
    version: optional(fc.constantFrom('1.4.2', '2026.12.08', 'v7')),
    tags: optional(
      fc.array(fc.tuple(word, word), { minLength: 1, maxLength: 3 }).map(t => t.map(p => p.join(':')).join(','))
    ),
    containers: optional(fc.subarray(containerNames(file), { minLength: 1 }).map(names => names.join(','))),
    'log-options': optional(
      fc
        .subarray(['Retry_Limit=2', 'compress=gzip', 'Workers=2', 'dd_message_key=log'], { minLength: 1 })
        .map(l => l.join('\n'))
    ),
    'log-router-name': optional(fc.constantFrom('log-router', 'firelens', 'router_1')),
    'log-router-memory': optional(fc.constantFrom('50', '64')),
    'parse-json': optional(fc.constantFrom('true', 'false')),
    agent: optional(fc.constantFrom('true', 'false')),
    'git-metadata': optional(fc.constantFrom('true', 'false'))
  })
/** One input both must refuse. */
const invalid = fc.constantFrom<Inputs>(
  { site: 'nowhere' },
  { 'log-router-memory': '0' },
  { version: 'bad version' },
  { containers: 'nonexistent' },
  { 'log-options': 'Host=evil.example.com' },
  { register: 'maybe' }
)
const spread = fc.constantFrom(...EXAMPLES).chain(file =>
  fc.record({
    file: fc.constant(file),
    chosen: valid(file),
    broken: fc.option(invalid, { nil: undefined, freq: 3 })
  })
)

describe('the CLI and the action write the same bytes', () => {
  it.each(EXAMPLES.map(file => [relative(join(REPO_ROOT, '..'), file), file]))(
    'for %s with the required inputs only',
    async (_label, file) => {
      const result = await both(base(file))
      expect(result.codes[1]).toBe(result.codes[0])
      expect(result.cli).toBe(result.action)
    },
    120_000
  )

  it('for a spread of inputs on every example, refusing the same ones', async () => {
    let written = 0
    let refused = 0
    await fc.assert(
      fc.asyncProperty(spread, async ({ file, chosen, broken }) => {
        const inputs = Object.fromEntries(
          Object.entries({ ...base(file), ...chosen, ...broken }).filter(([, v]) => v !== undefined)
        ) as Inputs
        const result = await both(inputs)
        expect(result.codes[1]).toBe(result.codes[0])
        expect(result.cli).toBe(result.action)
        if (result.action !== undefined) written++
        else refused++
      }),
      { numRuns: 40 }
    )
    // The spread exercises both sides of the comparison.
    expect(written).toBeGreaterThan(0)
    expect(refused).toBeGreaterThan(0)
  }, 600_000)
})
