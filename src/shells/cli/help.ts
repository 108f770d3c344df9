import { PROGRAM, type Command } from './command.js'
import type { FlagSpec } from './flags.js'

/** `text` in lines of at most `width` characters, each starting with `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(indent + line)
  return lines
}

function flagLine(flag: FlagSpec): string {
  const value =
    flag.kind === 'switch' ? '' : flag.kind === 'boolean' ? '[=true|false]' : ` <${flag.placeholder ?? 'value'}>`
  const notes = [
    ...(flag.required ? ['required'] : []),
    ...(flag.default !== undefined ? [`default: ${flag.default}`] : []),
    ...(flag.repeatable ? ['repeatable'] : [])
  ]
  return `  --${flag.name}${value}${notes.length > 0 ? `  (${notes.join(', ')})` : ''}`
}

/** A command's --help: usage, what it does, its flags (the action's inputs, then its own), examples. */
export function commandHelp(command: Command, columns = 80): string {
  const width = Math.max(60, Math.min(columns, 100))
  const inputs = command.flags.filter(f => f.input)
  const own = command.flags.filter(f => !f.input)
  const section = (title: string, flags: readonly FlagSpec[]): string[] =>
    flags.length === 0
      ? []
      : [
          '',
          title,
          ...flags.flatMap(flag => [flagLine(flag), ...wrap(flag.description, width, '      ')]),
          ...(title.startsWith('Inputs')
            ? ['', '  A boolean input is also --name alone (true) or --no-name (false).']
            : [])
        ]
  return [
    `Usage: ${PROGRAM} ${command.name} [flags]`,
    '',
    ...wrap(command.about, width, ''),
    ...section('Inputs (the action\u2019s, same names, defaults and checks):', inputs),
    ...section('Flags:', own),
    ...(command.examples.length > 0 ? ['', 'Examples:', ...command.examples.map(e => `  ${e}`)] : []),
    ''
  ].join('\n')
}

/** The program's --help: the commands. */
export function programHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map(c => c.name.length))
  return [
    `Usage: ${PROGRAM} <command> [flags]`,
    '',
    'Route Amazon ECS container logs to the right Datadog site through FireLens, from any CI or a laptop.',
    '',
    'Commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for its flags. \`${PROGRAM} --version\` prints the version.`,
    'Exit codes: 0 fine, 1 a finding that fails the run, 2 a usage error.',
    ''
  ].join('\n')
}
