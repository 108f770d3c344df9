import { describe, expect, it } from '@jest/globals'
import { recordingReporter } from '../../../__fixtures__/recording-reporter.js'
import { DeadlineReached } from '../../../src/core/errors.js'
import type { VerifyAws } from '../../../src/core/jobs/aws-ports.js'
import { runVerifyJob, type VerifyJobDeps, type VerifyReport } from '../../../src/core/jobs/verify-job.js'

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''

function deps(aws: Partial<VerifyAws>): VerifyJobDeps {
  const unused = async (): Promise<never> => {
    throw new Error('not called in this test')
  }
  return {
    aws: {
      preload: () => undefined,
      describeService: unused,
      describeTaskDefinition: unused,
      listTaskArns: unused,
      describeTasks: unused,
      readLogEvents: unused,
      readKey: unused,
      ...aws
    },
    searchLogs: unused,
    fetchStatus: unused,
    clock: { now: () => 0, sleep: async () => undefined }
  }
}

const BASE = { cluster: 'prod', service: 'web', site: 'ap1', timeout: '1m', settle: '0s' }

describe('the verify job', () => {
  it('refuses a service scaled to zero before watching anything', async () => {
    const reporter = recordingReporter<VerifyReport>()
    const code = await runVerifyJob(
      { input: inputs(BASE), env: { AWS_REGION: 'us-east-1' } },
      deps({
        describeService: async () => ({ name: 'web', status: 'ACTIVE', desiredCount: 0, deployments: [], events: [] })
      }),
      reporter
    )
    expect(code).toBe(1)
    expect(reporter.at('error')).toEqual([
      'The ECS service web in prod has a desired count of 0, so no task will run to verify.\nScale the service up (desired count ≥ 1) before verifying.'
    ])
    expect(reporter.reports).toEqual([])
  })

  it('says a call cut short by its own deadline as a timeout, not as an AWS failure', async () => {
    const reporter = recordingReporter<VerifyReport>()
    const code = await runVerifyJob(
      { input: inputs(BASE), env: { AWS_REGION: 'us-east-1' } },
      deps({
        describeService: async () => {
          throw new DeadlineReached("stopped waiting for ecs:DescribeServices: the step's timeout was reached")
        }
      }),
      reporter
    )
    expect(code).toBe(1)
    expect(reporter.at('error')).toEqual([
      "stopped waiting for ecs:DescribeServices: the step's timeout was reached.\nRaise `timeout`, or check that AWS answers from this runner."
    ])
  })

  it('masks a key read for the search, in both its forms, before using it', async () => {
    const reporter = recordingReporter<VerifyReport>()
    await runVerifyJob(
      {
        input: inputs({
          ...BASE,
          'api-key-secret': '/prod/DD_API_KEY',
          'application-key-secret': '/prod/DD_APP_KEY'
        }),
        env: { AWS_REGION: 'us-east-1' }
      },
      deps({
        describeService: async () => ({ name: 'web', status: 'ACTIVE', desiredCount: 0, deployments: [], events: [] }),
        readKey: async (_ref, _region, input) => (input === 'api-key-secret' ? ' api-key\n' : 'app-key')
      }),
      reporter
    )
    expect(reporter.at('mask').sort()).toEqual([' api-key\n', 'api-key', 'app-key'])
  })
})
