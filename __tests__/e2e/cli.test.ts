// The command line end to end through the package users install: `npm pack`, `npm install --offline` of the tarball
// into an empty folder outside the repository (an empty npm cache: nothing outside the bundle can come from the
// registry), then its bin against the loopback fakes: --help, --version, patch (byte-equal to the action's output),
// --check, register, verify. Run on Node 24 with E2E_NODE="$(bash scripts/node24.sh)".
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NO_REGION } from '../../__fixtures__/action-env.mjs'
import { startFakeAws, type FakeAws } from '../../__fixtures__/fake-aws.mjs'
import { ROLES_OK } from '../../__fixtures__/roles.mjs'
import {
  API_KEY_PARAMETER,
  APP_KEY_PARAMETER,
  AP1,
  CLUSTER,
  SERVICE,
  record,
  scenario
} from '../../__fixtures__/verify-scenario.mjs'
import { PATCH_INPUTS } from '../../src/core/inputs/action-inputs.generated.js'
import { exampleTaskDefinition, runAction } from './run-action.js'
import { cliEnv, packAndInstall, runCli } from './run-cli.js'

const KEY_PARAMETER = '/prod/DATADOG_API_KEY'
const API_KEY = '0123456789abcdef0123456789abcdef'

let bin: string
let folder: string
beforeAll(() => {
  ;({ bin, folder } = packAndInstall())
}, 180_000)

let fake: FakeAws | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

const patchArgs = (file: string, ...extra: string[]): string[] => [
  'patch',
  '--task-definition',
  file,
  '--site',
  'ap1',
  '--api-key-secret',
  KEY_PARAMETER,
  ...extra
]

describe('the packed package', () => {
  it('installs offline with nothing but itself, and its bin runs from outside the repository', () => {
    const manifest = JSON.parse(
      readFileSync(join(folder, 'node_modules', 'datadog-firelens-action', 'package.json'), 'utf8')
    )
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(statSync(bin).mode & 0o111).not.toBe(0)
  })

  it('prints --help with every input of action.yml as a flag, and --version', async () => {
    const help = await runCli(['patch', '--help'], { bin, env: cliEnv() })
    expect(help.code).toBe(0)
    for (const input of PATCH_INPUTS) expect(help.stdout).toContain(`  --${input.name}`)
    const version = await runCli(['--version'], { bin, env: cliEnv() })
    expect(version).toMatchObject({ code: 0, stdout: `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n` })
  })

  it('patches an example definition offline into exactly the bytes the action writes', async () => {
    const file = exampleTaskDefinition('fargate-web.json')
    const cli = await runCli(patchArgs(file, '--register', 'false'), { bin, env: cliEnv({ env: NO_REGION }) })
    expect(cli.stderr).not.toMatch(/^error:/m)
    expect(cli.code).toBe(0)
    const action = await runAction(
      {
        'task-definition': file,
        site: 'ap1',
        'api-key-secret': KEY_PARAMETER,
        register: 'false',
        'git-metadata': 'false'
      },
      { env: NO_REGION }
    )
    expect(action.code).toBe(0)
    expect(cli.stdout).toBe(readFileSync(action.outputs['task-definition']!, 'utf8'))
  })

  it('--check exits 1 on a definition that patch would change and 0 on its own output, writing nothing', async () => {
    const file = exampleTaskDefinition('fargate-web.json')
    const before = readFileSync(file, 'utf8')
    const drift = await runCli(patchArgs(file, '--check'), { bin, env: cliEnv({ env: NO_REGION }) })
    expect(drift.code).toBe(1)
    expect(drift.stdout).toBe('')
    expect(drift.stderr).toMatch(/^error: .*fargate-web\.json: not what patch writes/m)
    expect(readFileSync(file, 'utf8')).toBe(before)
    const write = await runCli(patchArgs(file, '--no-register', '--out', file), {
      bin,
      env: cliEnv({ env: NO_REGION })
    })
    expect(write.code).toBe(0)
    const clean = await runCli(patchArgs(file, '--check'), { bin, env: cliEnv({ env: NO_REGION }) })
    expect(clean.code).toBe(0)
    expect(clean.stderr).toContain('is up to date.')
  })

  it('registers through the AWS environment (region, credentials, endpoint) after the default checks', async () => {
    fake = await startFakeAws({ parameters: { [KEY_PARAMETER]: API_KEY }, roles: ROLES_OK })
    const file = exampleTaskDefinition('fargate-web.json')
    const out = join(folder, 'registered.json')
    const result = await runCli(patchArgs(file, '--out', out, '--json'), {
      bin,
      env: cliEnv({ fake, env: { AWS_REGION: 'us-east-1' } })
    })
    expect(result.stderr).not.toMatch(/^error:/m)
    expect(result.code).toBe(0)
    expect(fake.registered).toHaveLength(1)
    const report = JSON.parse(result.stdout)
    expect(report.outputs['task-definition-arn']).toMatch(
      /^arn:aws:ecs:us-east-1:111122223333:task-definition\/web:\d+$/
    )
    expect(report.report.awsChecks).toBe('verify-secret, verify-roles: passed')
    expect(JSON.parse(readFileSync(out, 'utf8')).family).toBe('web')
    expect(result.stdout + result.stderr).not.toContain(API_KEY)
  })

  it('takes the region from the profile in the AWS config file, as the AWS CLI does', async () => {
    fake = await startFakeAws({ parameters: { [KEY_PARAMETER]: API_KEY }, roles: ROLES_OK })
    const env = cliEnv({ fake, env: { AWS_PROFILE: 'deploy' } })
    // With AWS_PROFILE the SDK, like the AWS CLI, takes that profile's credentials instead of the variables.
    writeFileSync(env.AWS_CONFIG_FILE!, '[profile deploy]\nregion = eu-west-1\n')
    writeFileSync(
      env.AWS_SHARED_CREDENTIALS_FILE!,
      '[deploy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = profile-secret\n'
    )
    delete env.AWS_ACCESS_KEY_ID
    delete env.AWS_SECRET_ACCESS_KEY
    const file = exampleTaskDefinition('fargate-web.json')
    const result = await runCli(patchArgs(file, '--out', join(folder, 'profile.json'), '--verify-roles', 'false'), {
      bin,
      env
    })
    expect(result.stderr).not.toMatch(/^error:/m)
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/Registered arn:aws:ecs:eu-west-1:/)
  })

  it('verify proves delivery with progress on stderr and the result in --json', async () => {
    fake = await startFakeAws(scenario())
    const now = Date.now()
    fake.addDatadogLogs(AP1, [record('0a1b2c3d4e5f', now - 60_000)])
    const result = await runCli(
      [
        'verify',
        '--cluster',
        CLUSTER,
        '--service',
        SERVICE,
        '--site',
        'ap1',
        '--api-key-secret',
        API_KEY_PARAMETER,
        '--application-key-secret',
        APP_KEY_PARAMETER,
        '--timeout',
        '20s',
        '--json'
      ],
      {
        bin,
        env: cliEnv({
          fake,
          env: { AWS_REGION: 'us-east-1', DATADOG_FIRELENS_API_URL_TEMPLATE: `${fake.url}/{domain}` }
        })
      }
    )
    expect(result.stderr).not.toMatch(/^error:/m)
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/^Verifying /m)
    expect(result.stderr).toMatch(/^Delivered: /m)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ command: 'verify', exitCode: 0, outputs: { result: 'delivered' } })
    expect(report.report.result).toBe('delivered')
  })

  it('refuses a key in a flag with exit code 1 and never prints it', async () => {
    const file = exampleTaskDefinition('fargate-web.json')
    const result = await runCli(patchArgs(file, '--service', API_KEY), { bin, env: cliEnv({ env: NO_REGION }) })
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).not.toContain(API_KEY)
  })

  it('says a usage error with exit code 2', async () => {
    const result = await runCli(['patch', '--site'], { bin, env: cliEnv() })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: --site needs a value\.\nRun `datadog-firelens patch --help`/)
  })
})
