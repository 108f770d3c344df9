import { suggest } from '../../core/checks/suggest.js'
import { findDatadogKeys } from '../../core/datadog-key.js'
import { PROGRAM, type CliIo, type Command } from './command.js'
import { COMMANDS } from './commands.js'
import { parseFlags, UsageError } from './flags.js'
import { commandHelp, programHelp } from './help.js'
import { keyRefusal, keysOnTheCommandLine } from './keys.js'
import { terminalReporter, usageError } from './terminal.js'

/** `datadog-firelens <command> [flags]`: the exit code (0 fine, 1 a finding that fails the run, 2 a usage error). */
export async function main(
  args: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS
): Promise<number> {
  const [name, ...rest] = args
  if (name === undefined) {
    io.stderr.write(programHelp(commands))
    return 2
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(programHelp(commands))
    return 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${io.version}\n`)
    return 0
  }
  const command = commands.find(c => c.name === name)
  if (!command) {
    const close = name.startsWith('-')
      ? undefined
      : suggest(
          name,
          commands.map(c => c.name)
        )
    return usageError(
      io,
      `Unknown command ${findDatadogKeys(name).length > 0 ? '(not shown: it looks like a Datadog key)' : name.startsWith('-') ? `flag ${name.split('=')[0]} (flags follow the command)` : `"${name.slice(0, 40)}"`}.${close ? ` Did you mean ${close}?` : ''} Commands: ${commands.map(c => c.name).join(', ')}.`,
      `${PROGRAM} --help`
    )
  }
  let flags
  try {
    flags = parseFlags(rest, command.flags)
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message, `${PROGRAM} ${command.name} --help`)
    throw error
  }
  if (flags.on('help')) {
    io.stdout.write(commandHelp(command, io.stdout.columns))
    return 0
  }
  const keys = keysOnTheCommandLine(flags)
  if (keys.refused) {
    const reporter = terminalReporter({
      stderr: io.stderr,
      env: io.env,
      debug: false,
      flagNames: [],
      masked: keys.secrets,
      onReport: () => undefined
    })
    reporter.error(keyRefusal(keys.refused))
    return 1
  }
  const missing = command.flags.filter(f => f.required && flags.input(f.name) === '').map(f => `--${f.name}`)
  if (missing.length > 0) {
    return usageError(
      io,
      `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required.`,
      `${PROGRAM} ${command.name} --help`
    )
  }
  return command.run(flags, io)
}
