import type { Reporter } from '../../core/jobs/reporter.js'
import type { AnnotationProps } from '../../core/logger.js'
import type { Out } from './command.js'
import { cliWording } from './wording.js'

/** A finding as the CLI keeps it for --json. */
export interface CliFinding {
  level: 'error' | 'warning' | 'notice'
  message: string
  title?: string
  file?: string
  line?: number
  col?: number
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org) or a dumb terminal. */
export function useColor(stream: Out, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

const COLORS = { error: '1;31', warning: '1;33', notice: '1;36', debug: '2' } as const

/**
 * A Reporter for a terminal or a CI log: progress and info as plain lines on stderr, findings as `error: …`,
 * `warning: …`, `notice: …` lines (`file:line:col: ` first where known, further lines indented), everything masked
 * before it is written. It keeps the findings and outputs for --json; `onReport` is the command's own.
 */
export function terminalReporter<R>(options: {
  stderr: Out
  env: NodeJS.ProcessEnv
  debug: boolean
  /** The command's flag names: the core's "Input `x`" reads `--x` here. */
  flagNames: readonly string[]
  /** Masked from the start: every key-like value on the command line. */
  masked?: readonly string[]
  onReport: (report: R) => Promise<void> | void
}): Reporter<R> & {
  findings: CliFinding[]
  outputs: Record<string, string>
  /** Writes a line to stderr, masked. */
  print(line: string): void
  /** `text` with every masked value replaced by ***. */
  redact(text: string): string
} {
  const secrets = new Set<string>()
  const findings: CliFinding[] = []
  const outputs: Record<string, string> = {}
  const color = useColor(options.stderr, options.env)
  const paint = (level: keyof typeof COLORS, text: string): string =>
    color ? `\u001b[${COLORS[level]}m${text}\u001b[0m` : text
  const flags = new Set(options.flagNames)
  const asFlags = (text: string): string =>
    cliWording(text).replace(/Input `([a-z-]+)`/g, (whole, name: string) => (flags.has(name) ? `\`--${name}\`` : whole))
  const redact = (text: string): string => {
    let out = text
    for (const secret of secrets) out = out.split(secret).join('***')
    return out
  }
  const print = (line: string): void => {
    options.stderr.write(`${redact(line)}\n`)
  }
  const finding = (level: CliFinding['level'], message: string, props?: AnnotationProps): void => {
    const text = asFlags(message)
    findings.push({ level, message: redact(text), ...withoutUndefined(props) })
    const where = props?.file
      ? `${props.file}${props.line !== undefined ? `:${props.line}${props.col !== undefined ? `:${props.col}` : ''}` : ''}: `
      : ''
    const [first = '', ...rest] = text.split('\n')
    print([`${paint(level, `${level}:`)} ${where}${first}`, ...rest.map(line => `  ${line}`)].join('\n'))
  }
  const reporter: ReturnType<typeof terminalReporter<R>> = {
    findings,
    outputs,
    print,
    redact,
    info: message => print(asFlags(message)),
    debug: message => {
      if (options.debug) print(paint('debug', `debug: ${message}`))
    },
    notice: (message, props) => finding('notice', message, props),
    warning: (message, props) => finding('warning', message, props),
    error: (message, props) => finding('error', message, props),
    bug: message => finding('error', message),
    mask: secret => {
      if (!secret) return
      secrets.add(secret)
      // As JSON would escape it, in a printed definition or the report.
      secrets.add(JSON.stringify(secret).slice(1, -1))
    },
    output: (name, value) => {
      outputs[name] = value
    },
    report: async report => {
      await options.onReport(report)
    }
  }
  for (const secret of options.masked ?? []) reporter.mask(secret)
  return reporter
}

function withoutUndefined(props: AnnotationProps | undefined): Partial<CliFinding> {
  return Object.fromEntries(Object.entries(props ?? {}).filter(([, value]) => value !== undefined))
}

/** A usage error, said on stderr with the help to read; exit code 2. */
export function usageError(io: { stderr: Out; env: NodeJS.ProcessEnv }, message: string, help: string): number {
  const label = useColor(io.stderr, io.env) ? `\u001b[${COLORS.error}merror:\u001b[0m` : 'error:'
  io.stderr.write(`${label} ${message}\nRun \`${help}\` for the flags.\n`)
  return 2
}
