import { defaultRegion } from '../../adapters/aws/region.js'
import { lazyVerifyAws } from '../../adapters/aws/verify-facade.js'
import { searchLogs } from '../../adapters/datadog/logs-search.js'
import { fetchStatus, fetchText } from '../../adapters/http/proxy.js'
import { VERIFY_INPUTS } from '../../core/inputs/action-inputs.generated.js'
import { runVerifyJob, type VerifyReport } from '../../core/jobs/verify-job.js'
import { COMMON_FLAGS, PROGRAM, type CliIo, type Command } from './command.js'
import type { ParsedFlags } from './flags.js'
import { inputFlags } from './flags.js'
import { printJson, verifyJson } from './json.js'
import { keysOnTheCommandLine } from './keys.js'
import { terminalReporter } from './terminal.js'

const FLAGS = [...inputFlags(VERIFY_INPUTS), ...COMMON_FLAGS]

/** `verify`: what the verify action does, with its inputs as flags and its progress on stderr. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'After a deploy, prove the logs reach Datadog, or fail saying why, as the verify action does.',
  about:
    'Watches the tasks of the revision (ECS), the log router’s own log (CloudWatch Logs) and, with --application-key-secret, searches Datadog for the revision’s logs, for up to --timeout. Progress goes to stderr. Region and credentials come from the usual AWS environment and profiles.',
  flags: FLAGS,
  examples: [
    `${PROGRAM} verify --cluster prod --service web --site eu1`,
    `${PROGRAM} verify --cluster prod --service web --site ap1 --api-key-secret /prod/DATADOG_API_KEY --application-key-secret /prod/DATADOG_APP_KEY --timeout 10m --json`
  ],
  run: runVerify
}

async function runVerify(flags: ParsedFlags, io: CliIo): Promise<number> {
  const json = flags.on('json')
  let report: VerifyReport | undefined
  const reporter = terminalReporter<VerifyReport>({
    stderr: io.stderr,
    env: io.env,
    debug: flags.on('debug'),
    flagNames: FLAGS.map(f => f.name),
    masked: keysOnTheCommandLine(flags).secrets,
    onReport: r => {
      report = r
    }
  })
  const region = await defaultRegion(io.env)
  const code = await runVerifyJob(
    {
      input: name => flags.input(name),
      env: { ...io.env, AWS_REGION: region, AWS_DEFAULT_REGION: undefined }
    },
    {
      aws: lazyVerifyAws(),
      searchLogs: request => searchLogs(request, fetchText),
      fetchStatus,
      clock: { now: Date.now, sleep: ms => new Promise(resolve => setTimeout(resolve, ms)) }
    },
    reporter
  )
  if (json) printJson(io.stdout, reporter, verifyJson(code, reporter, report))
  return code
}
