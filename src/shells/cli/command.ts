import type { FlagSpec, ParsedFlags } from './flags.js'

/** A stream the CLI writes to: process.stdout / process.stderr, or a test's buffer. */
export interface Out {
  write(text: string): unknown
  readonly isTTY?: boolean
  readonly columns?: number
}

/** What a command gets from the process: nothing else is global. */
export interface CliIo {
  env: NodeJS.ProcessEnv
  stdout: Out
  stderr: Out
  cwd(): string
  /** The package's version, for --version and the reports. */
  version: string
}

/**
 * One command of the CLI (`datadog-firelens <name> …`): its flags (an action's inputs plus its own), its --help and
 * its run. A new command is one module exporting one of these, listed in commands.ts.
 */
export interface Command {
  readonly name: string
  /** One line, for the list of commands. */
  readonly summary: string
  /** More lines for its --help, under the usage. */
  readonly about: string
  readonly flags: readonly FlagSpec[]
  /** Copy-paste examples for --help. */
  readonly examples: readonly string[]
  /** The exit code: 0 fine, 1 a finding that fails the run, 2 a usage error. */
  run(flags: ParsedFlags, io: CliIo): Promise<number>
}

/** The program's name, as the package's bin. */
export const PROGRAM = 'datadog-firelens'

/** The flags every command has. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  {
    name: 'json',
    kind: 'switch',
    description:
      'Print a machine-readable report on stdout at the end: the outputs, every finding (level, message, file, line, column) and what the run did (the job summary, as data).'
  },
  { name: 'debug', kind: 'switch', description: 'Also print debug lines (a bug report wants them).' },
  { name: 'help', kind: 'switch', description: 'Show this help.' }
]
