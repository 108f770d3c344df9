import { readFile } from 'node:fs/promises'
import { lazyAws } from '../../adapters/aws/facade.js'
import { defaultRegion } from '../../adapters/aws/region.js'
import { fetchStatus } from '../../adapters/http/proxy.js'
import { PATCH_INPUTS } from '../../core/inputs/action-inputs.generated.js'
import { runPatchJob, type PatchReport } from '../../core/jobs/patch-job.js'
import { renderLog } from '../../core/report/patch-summary.js'
import { COMMON_FLAGS, PROGRAM, type CliIo, type Command } from './command.js'
import { besideInput, readIfThere, writeWhole } from './files.js'
import { inputFlags, type ParsedFlags } from './flags.js'
import { patchJson, printJson } from './json.js'
import { keysOnTheCommandLine } from './keys.js'
import { terminalReporter, usageError } from './terminal.js'

const FLAGS = [
  ...inputFlags(PATCH_INPUTS, ['tags', 'containers', 'log-options']),
  {
    name: 'out',
    kind: 'value',
    placeholder: 'FILE',
    description:
      'Where to write the patched task definition (JSON); - for standard output. Default: standard output when it is not a terminal (and without --json), else <name>.patched.json beside the input. It may be the input itself.'
  },
  {
    name: 'check',
    kind: 'switch',
    description:
      'Write nothing and register nothing: exit 1 when the file (--out, else the task definition itself) is not what patch would write. A drift check for task definitions kept in git.'
  },
  ...COMMON_FLAGS
] as const satisfies Command['flags']

/** `patch`: what the main action does, with its inputs as flags. */
export const patchCommand: Command = {
  name: 'patch',
  summary: 'Patch a task definition for FireLens → Datadog (and register it), as the main action does.',
  about:
    'Adds or reuses the log router, routes the containers to the Datadog site, checks what ECS and the router would refuse, runs the AWS checks when a region is set (AWS_REGION, AWS_DEFAULT_REGION or the profile’s, with the credentials of the usual AWS environment and profiles), and registers the result unless --register false. Without a region nothing calls AWS.',
  flags: FLAGS,
  examples: [
    `${PROGRAM} patch --task-definition task-definition.json --site eu1 --api-key-secret /prod/DATADOG_API_KEY --register false > patched.json`,
    `${PROGRAM} patch --task-definition td.json --site ap1 --api-key-secret /prod/DATADOG_API_KEY --out td.json --register false`,
    `${PROGRAM} patch --task-definition td.json --site ap1 --api-key-secret /prod/DATADOG_API_KEY --check`,
    `AWS_PROFILE=prod ${PROGRAM} patch --task-definition td.json --site us1 --api-key-secret /prod/DATADOG_API_KEY --tags team:web --log-options Retry_Limit=2`
  ],
  run: runPatch
}

type Destination = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'check'; path: string }

async function runPatch(flags: ParsedFlags, io: CliIo): Promise<number> {
  const json = flags.on('json')
  const check = flags.on('check')
  const out = flags.has('out') ? flags.input('out') : undefined
  const input = flags.input('task-definition')
  if (out === '') return usage(io, '--out needs a file name, or - for standard output.')
  if (check && out === '-')
    return usage(io, '--check compares with a file: give --out FILE, or leave it out to compare with the input.')
  if (json && out === '-')
    return usage(io, '--json prints the report on standard output: give --out FILE for the definition.')
  if (check && flags.has('register') && !['false', 'False', 'FALSE'].includes(flags.input('register')))
    return usage(io, '--check registers nothing: leave out --register.')
  const destination: Destination = check
    ? { kind: 'check', path: out ?? input }
    : out === '-' || (out === undefined && !io.stdout.isTTY && !json)
      ? { kind: 'stdout' }
      : { kind: 'file', path: out ?? besideInput(input) }

  let changed: boolean | undefined
  let report: PatchReport | undefined
  const reporter = terminalReporter<PatchReport>({
    stderr: io.stderr,
    env: io.env,
    debug: flags.on('debug'),
    flagNames: FLAGS.map(f => f.name),
    masked: keysOnTheCommandLine(flags).secrets,
    onReport: r => {
      report = r
      // A failed run's errors were printed as they were found.
      if (json || r.run === undefined) return
      for (const line of renderLog(r.run)) reporter.print(line.replace('(see annotations)', '(above)'))
    }
  })

  const region = await defaultRegion(io.env)
  const code = await runPatchJob(
    {
      input: name => (name === 'register' && check ? 'false' : flags.input(name)),
      env: { ...io.env, AWS_REGION: region, AWS_DEFAULT_REGION: undefined }
    },
    {
      readFile: path => readFile(path, 'utf8'),
      workingDirectory: () => io.cwd(),
      writeOutput: async (_taskDefinition, text) => {
        if (destination.kind === 'stdout') {
          io.stdout.write(text)
          return '-'
        }
        if (destination.kind === 'check') {
          changed = (await readIfThere(destination.path)) !== text
          return destination.path
        }
        await writeWhole(destination.path, text)
        reporter.info(`Wrote the patched task definition to ${destination.path}.`)
        return destination.path
      },
      aws: r => lazyAws(r),
      fetchStatus
    },
    reporter
  )
  let exit = code
  if (code === 0 && destination.kind === 'check') {
    if (changed) {
      reporter.error(
        `not what patch writes for these flags: run the same command without --check${out === undefined ? ` and with --out ${destination.path}` : ''} to update it.`,
        { file: destination.path }
      )
      exit = 1
    } else {
      reporter.info(`${destination.path} is up to date.`)
    }
  }
  if (json) printJson(io.stdout, reporter, patchJson(exit, reporter, report, changed))
  return exit
}

const usage = (io: CliIo, message: string): number => usageError(io, message, `${PROGRAM} patch --help`)
