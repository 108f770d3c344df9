// What each kind of run loads and calls, through the bundle: the AWS SDK chunks are imported only when a call is about
// to be made, and each scenario makes the calls README.md's Performance section states. Which chunk holds which
// package comes from dist/licenses.txt ("Bundled into"). No timing here: the bench (npm run bench) measures time.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPO_ROOT } from '../../__fixtures__/action-env.mjs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { ROLES_OK } from '../../__fixtures__/roles.mjs'
import { exampleTaskDefinition, runAction } from './run-action.js'

const KEY_PARAMETER = '/prod/DATADOG_API_KEY'
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog-api-key-AbCdEf'

/** dist/ files (relative to dist/) that carry AWS SDK code (@aws-sdk/*, @smithy/*), from dist/licenses.txt. */
function sdkFiles(): Set<string> {
  const files = new Set<string>()
  for (const block of readFileSync(join(REPO_ROOT, 'dist', 'licenses.txt'), 'utf8').split(/^-{100}$/m)) {
    if (!/^Package: @(aws-sdk|smithy)\//m.test(block)) continue
    for (const file of /^Bundled into: (.+)$/m.exec(block)![1]!.split(', ')) files.add(file)
  }
  return files
}

// A module hook, preloaded through NODE_OPTIONS, that appends the URL of every file the process loads to TRACE_FILE.
const TRACE_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    `import { register } from 'node:module';register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
      "import{appendFileSync}from'node:fs';export async function load(url,context,next){if(url.startsWith('file:'))appendFileSync(process.env.TRACE_FILE,url+'\\n');return next(url,context)}"
    )}))`
  )

/** Runs the action with the trace hook; returns its result and the dist/ files it loaded. */
async function traced(inputs: Record<string, string>, opts: { fake?: FakeAws; env?: Record<string, string> } = {}) {
  const trace = join(mkdtempSync(join(tmpdir(), 'dd-firelens-trace-')), 'trace.txt')
  const result = await runAction(inputs, {
    ...opts,
    env: { ...opts.env, NODE_OPTIONS: `--import=${TRACE_HOOK}`, TRACE_FILE: trace }
  })
  const distDir = join(REPO_ROOT, 'dist')
  const loaded = readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .map(url => fileURLToPath(url))
    .filter(path => path.startsWith(`${distDir}/`))
    .map(path => path.slice(distDir.length + 1))
  return { result, loaded: [...new Set(loaded)] }
}

let fake: FakeAws
beforeEach(async () => {
  fake = await startFakeAws({
    parameters: { [KEY_PARAMETER]: '0123456789abcdef0123456789abcdef' },
    secrets: { [SECRET_ARN]: '0123456789abcdef0123456789abcdef' },
    roles: ROLES_OK,
    // The 10-container example's router logs to this group (verify-log-groups looks it up).
    logGroups: { '/ecs/large/firelens': {} }
  })
})
afterEach(async () => {
  await fake.close()
})

const inputs = (extra: Record<string, string> = {}) => ({
  'task-definition': exampleTaskDefinition('fargate-web.json'),
  site: 'ap1',
  'api-key-secret': KEY_PARAMETER,
  ...extra
})

describe('what a run loads', () => {
  it('a dry run of a JSON file without any AWS region or credentials loads dist/index.js alone and calls nothing', async () => {
    const { result, loaded } = await traced(inputs({ register: 'false' }), {
      fake,
      env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }
    })
    expect(result.code).toBe(0)
    expect(loaded).toEqual(['index.js'])
    expect(fake.calls).toEqual([])
  })

  it('registering loads AWS SDK chunks, which the trace sees (so the dry run above would show them too)', async () => {
    const { result, loaded } = await traced(inputs(), { fake })
    expect(result.code).toBe(0)
    const sdk = sdkFiles()
    expect(sdk.size).toBeGreaterThan(0)
    expect(loaded.filter(file => sdk.has(file)).length).toBeGreaterThan(0)
    expect(loaded.every(file => file === 'index.js' || /^\d+\.index\.js$/.test(basename(file)))).toBe(true)
  })
})

describe('AWS calls per scenario (as README.md states them)', () => {
  const targets = (f: FakeAws = fake) => f.calls.map(c => c.target)
  /** The checks run concurrently, so their calls come in any order; the registration always comes last. */
  const checksThenRegister = (f: FakeAws = fake) => {
    const all = targets(f)
    expect(all.at(-1)).toBe('ECS.RegisterTaskDefinition')
    return all.slice(0, -1).sort()
  }

  it('register with the default checks: the metadata look-up, the two roles, one simulation, then one registration', async () => {
    expect((await runAction(inputs(), { fake })).code).toBe(0)
    expect(checksThenRegister()).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'SSM.DescribeParameters'
    ])
  })

  it('register with a Secrets Manager key: DescribeSecret instead of DescribeParameters', async () => {
    expect((await runAction(inputs({ 'api-key-secret': SECRET_ARN }), { fake })).code).toBe(0)
    expect(checksThenRegister()).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'SecretsManager.DescribeSecret'
    ])
  })

  it('register with verify-roles: false: the secret check, then one registration', async () => {
    expect((await runAction(inputs({ 'verify-roles': 'false' }), { fake })).code).toBe(0)
    expect(targets()).toEqual(['SSM.DescribeParameters', 'ECS.RegisterTaskDefinition'])
  })

  it('register with verify-secret and verify-roles false: one registration', async () => {
    const result = await runAction(inputs({ 'verify-secret': 'false', 'verify-roles': 'false' }), { fake })
    expect(result.code).toBe(0)
    expect(targets()).toEqual(['ECS.RegisterTaskDefinition'])
  })

  it('register with validate-api-key: the secret check, the key, Datadog, then one registration', async () => {
    const key = '0123456789abcdef0123456789abcdef'
    const datadog = await startFakeAws({
      parameters: { [KEY_PARAMETER]: key },
      validKeysByDomain: { 'ap1.datadoghq.com': [key] }
    })
    try {
      const result = await runAction(inputs({ 'validate-api-key': 'true', 'verify-roles': 'false' }), {
        fake: datadog,
        env: { DATADOG_FIRELENS_API_URL_TEMPLATE: `${datadog.url}/{domain}` }
      })
      expect(result.code).toBe(0)
      expect(targets(datadog)).toEqual([
        'SSM.DescribeParameters',
        'SSM.GetParameter',
        'Datadog.validate',
        'ECS.RegisterTaskDefinition'
      ])
    } finally {
      await datadog.close()
    }
  })

  it("the 10-container definition: the same calls as the 2-container one, plus its router's log group", async () => {
    const file = exampleTaskDefinition('large-10-containers.json')
    expect((await runAction(inputs({ 'task-definition': file }), { fake })).code).toBe(0)
    expect(checksThenRegister()).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'Logs.DescribeLogGroups',
      'SSM.DescribeParameters'
    ])
  })

  it('a dry run with a region runs the checks but does not register', async () => {
    expect((await runAction(inputs({ register: 'false' }), { fake })).code).toBe(0)
    expect(targets().sort()).toEqual([
      'IAM.GetRole',
      'IAM.GetRole',
      'IAM.SimulatePrincipalPolicy',
      'SSM.DescribeParameters'
    ])
  })
})
