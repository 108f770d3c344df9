import { describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { recordingReporter } from '../../../__fixtures__/recording-reporter.js'
import { UserError } from '../../../src/core/errors.js'
import type { PatchAws } from '../../../src/core/jobs/aws-ports.js'
import {
  runPatchJob,
  type PatchDone,
  type PatchFailed,
  type PatchJobDeps,
  type PatchReport
} from '../../../src/core/jobs/patch-job.js'

const FIXTURE = fileURLToPath(new URL('../../../__fixtures__/task-definitions/fargate-web.json', import.meta.url))
const ARN = 'arn:aws:ecs:us-east-1:111122223333:task-definition/web:7'

/** Inputs as a runner passes them: only what is set, the rest ''. */
const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

/** A facade whose every look-up finds what it needs, and that registers revision 7. */
function fakeAws(events: string[]): PatchAws {
  return {
    preloadRegistration: () => undefined,
    registerTaskDefinition: jest.fn(async () => {
      events.push('register')
      return ARN
    }),
    describeParameter: async (name, region) => ({
      type: 'SecureString',
      arn: `arn:aws:ssm:${region}:111122223333:parameter${name}`
    }),
    describeSharedParameter: async () => undefined,
    parameterAccount: async () => '111122223333',
    describeSecret: async () => undefined,
    readApiKey: async () => 'never read here',
    getRole: async () => undefined,
    callerAccount: async () => '111122223333',
    logGroupExists: async () => true,
    simulatePrincipalPolicy: async () => undefined
  }
}

function deps(events: string[], overrides: Partial<PatchJobDeps> = {}): PatchJobDeps {
  return {
    readFile: path => readFile(path, 'utf8'),
    workingDirectory: () => '/work',
    writeOutput: async (td, text) => {
      events.push(`write ${text.length > 0 ? 'text' : 'nothing'}`)
      return `/tmp/out/${td.family}.json`
    },
    aws: () => fakeAws(events),
    fetchStatus: async () => ({ status: 200 }),
    ...overrides
  }
}

const BASE = { 'task-definition': FIXTURE, site: 'ap1', 'api-key-secret': '/prod/DATADOG_API_KEY' }

describe('the patch job', () => {
  it('without a region patches, keeps the result, reports it and calls no AWS API', async () => {
    const events: string[] = []
    const aws = jest.fn(() => fakeAws(events))
    const reporter = recordingReporter<PatchReport>()
    const code = await runPatchJob(
      { input: inputs({ ...BASE, register: 'false' }), env: {} },
      deps(events, { aws }),
      reporter
    )
    expect(code).toBe(0)
    expect(aws).not.toHaveBeenCalled()
    expect(reporter.outputs).toEqual({ 'task-definition': '/tmp/out/web.json', 'task-definition-arn': '' })
    const report = reporter.reports[0] as PatchDone | undefined
    expect(report?.run.arn).toBeUndefined()
    expect(report?.run.changes.map(c => c.container)).toContain('web')
    expect(report?.printable).toContain('"name": "log-router"')
    expect(reporter.at('error')).toEqual([])
  })

  it('keeps the patched file before registering, and sets the ARN after', async () => {
    const events: string[] = []
    const reporter = recordingReporter<PatchReport>()
    const code = await runPatchJob(
      { input: inputs({ ...BASE, 'verify-roles': 'false' }), env: { AWS_REGION: 'us-east-1' } },
      deps(events),
      reporter
    )
    expect(code).toBe(0)
    expect(events).toEqual(['write text', 'register'])
    expect(reporter.outputs['task-definition-arn']).toBe(ARN)
    expect(reporter.at('info')).toContain(`Registered ${ARN}`)
    expect(reporter.reports[0]?.run?.awsChecks).toBe('verify-secret: passed')
  })

  it('masks a key pasted into api-key-secret before anything else, and never repeats it', async () => {
    const key = 'a'.repeat(32)
    const reporter = recordingReporter<PatchReport>()
    const code = await runPatchJob({ input: inputs({ ...BASE, 'api-key-secret': key }), env: {} }, deps([]), reporter)
    expect(code).toBe(1)
    expect(reporter.entries[0]).toEqual({ kind: 'mask', message: key })
    expect(reporter.at('error').join('\n')).toMatch(/looks like a Datadog API key/)
    expect(JSON.stringify(reporter.entries.slice(1))).not.toContain(key)
  })

  it('names the ARN when a result cannot be kept after registering', async () => {
    const reporter = recordingReporter<PatchReport>()
    const output = reporter.output
    reporter.output = (name, value) => {
      if (name === 'task-definition-arn') throw new UserError('Could not keep it: EROFS.', 'Fix the disk.')
      output(name, value)
    }
    const code = await runPatchJob(
      { input: inputs({ ...BASE, 'verify-roles': 'false' }), env: { AWS_REGION: 'us-east-1' } },
      deps([]),
      reporter
    )
    expect(code).toBe(1)
    expect(reporter.at('error')).toEqual([
      `Could not keep it: EROFS. The task definition was registered: ${ARN}.\nFix the disk.`
    ])
  })

  it('says where it looked for a missing file', async () => {
    const reporter = recordingReporter<PatchReport>()
    await runPatchJob({ input: inputs({ ...BASE, 'task-definition': 'nope.json' }), env: {} }, deps([]), reporter)
    expect(reporter.at('error')[0]).toMatch(
      /^The task definition file nope\.json does not exist \(working directory \/work\)\./
    )
  })

  it('reports a bug as one, with its stack in debug first', async () => {
    const reporter = recordingReporter<PatchReport>()
    const code = await runPatchJob(
      { input: inputs({ ...BASE, register: 'false' }), env: {} },
      deps([], {
        writeOutput: () => {
          throw new TypeError('boom')
        }
      }),
      reporter
    )
    expect(code).toBe(1)
    const kinds = reporter.entries.map(e => e.kind)
    // The failure's report (the job summary) comes last, and says the bug too.
    expect(kinds.slice(-3)).toEqual(['debug', 'bug', 'report'])
    expect((reporter.reports.at(-1) as PatchFailed).failed.errors).toEqual([
      { message: 'Unexpected error (a bug in datadog-firelens-action, please report it): boom' }
    ])
    expect(reporter.at('bug')).toEqual(['Unexpected error (a bug in datadog-firelens-action, please report it): boom'])
  })

  it('reports every input and file error in one run, each on its line, and the failure for the summary', async () => {
    const dir = await import('node:fs/promises').then(fs => fs.mkdtemp('/tmp/dd-firelens-job-'))
    const path = `${dir}/td.json`
    await import('node:fs/promises').then(fs =>
      fs.writeFile(
        path,
        '{\n  "family": "web",\n  "cpu": [256],\n  "containerDefinitions": [\n    { "name": "web", "essential": 1 }\n  ]\n}\n'
      )
    )
    const reporter = recordingReporter<PatchReport>()
    const code = await runPatchJob(
      { input: inputs({ ...BASE, 'task-definition': path, site: 'eu', 'log-options': 'Log_Level=verbose' }), env: {} },
      deps([]),
      reporter
    )
    expect(code).toBe(1)
    const errors = reporter.entries.filter(e => e.kind === 'error')
    expect(errors.map(e => [e.message.split('\n')[0], e.props?.line, e.props?.col])).toEqual([
      [expect.stringMatching(/`site` is "eu"/), undefined, undefined],
      [expect.stringMatching(/line 1 sets Log_Level to "verbose"/), undefined, undefined],
      [expect.stringMatching(/cpu is a list/), 3, 3],
      [expect.stringMatching(/containerDefinitions\[web\]\.essential is 1/), 5, 22]
    ])
    expect(errors[0]!.message).toMatch(/Did you mean EU1/)
    const failed = (reporter.reports.at(-1) as PatchFailed).failed
    expect(failed.family).toBeUndefined()
    expect(failed.errors).toHaveLength(4)
    expect(failed.errors[3]).toMatchObject({
      file: path,
      line: 5,
      col: 22,
      hint: expect.stringMatching(/true or false/)
    })
  })
})
