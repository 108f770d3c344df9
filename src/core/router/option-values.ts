/**
 * Option VALUES of the router's datadog output, checked by their type, as observed with the real router (Fluent Bit
 * 5.0.9, the one aws-for-fluent-bit 3.4.17 bundles; every rule below was run against it). Two kinds of outcome:
 * - the router refuses the value at start-up and exits (255, "output initialization failed", or 1, "configuration
 *   file contains errors"), so the task stops: an error;
 * - the router starts but does not read the value as written (a default instead, a 0, a feature off): a warning.
 * Names are for option-names.ts; this file only judges values of names the router accepts.
 */
import { findDatadogKeys } from '../datadog-key.js'
import { type OptionMap } from '../patch/options.js'

export type ValueSeverity = 'error' | 'warning'

/** One problem with a value, or with options that must go together. `message` follows "<where> ". */
export interface ValueProblem {
  severity: ValueSeverity
  message: string
  hint: string
  /** The option the problem is about (for the line of `log-options` it is on). */
  option: string
}

/** The router's words for a refused value: what a user finds in the router's log. */
const EXITS = 'the log router would refuse it at start-up and stop the task'

// Fluent Bit's flb_utils_bool: these (any case) and nothing else.
const BOOLEAN = /^(true|false|on|off|yes|no)$/i
/** Booleans of the plugin and of net.*: an unreadable value is "invalid value for boolean property", exit 255. */
const STRICT_BOOLEANS = [
  'include_tag_key',
  'net.keepalive',
  'net.dns.prefer_ipv4',
  'net.dns.prefer_ipv6',
  'net.tcp_keepalive',
  'net.connect_timeout_log_error',
  'net.proxy_env_ignore'
]
/** Generic output booleans: an unreadable value is read as off, without a word (observed: `IPv6 maybe` starts). */
const LENIENT_BOOLEANS = ['ipv6']

/** Whole numbers the router reads with atoi: `abc` or `10s` start, read as 0 or 10. */
const INTEGERS: Record<string, { min: number; max?: number; unit?: string }> = {
  port: { min: 1, max: 65_535 },
  workers: { min: 1 },
  'net.connect_timeout': { min: 1, unit: 'seconds' },
  'net.io_timeout': { min: 0, unit: 'seconds' },
  'net.keepalive_idle_timeout': { min: 1, unit: 'seconds' },
  'net.keepalive_max_recycle': { min: 0 },
  'net.max_worker_connections': { min: 0 },
  'net.tcp_keepalive_time': { min: 1, unit: 'seconds' },
  'net.tcp_keepalive_interval': { min: 1, unit: 'seconds' },
  'net.tcp_keepalive_probes': { min: 1 },
  'tls.debug': { min: 0, max: 4 }
}

/** Enumerations the router starts with whatever they say, but only these values mean something. */
const LENIENT_ENUMS: Record<string, { values: string[]; otherwise: string }> = {
  compress: { values: ['gzip'], otherwise: 'the logs are sent uncompressed (only gzip is recognised)' },
  provider: { values: ['ecs'], otherwise: 'no ECS metadata is remapped into tags (only ecs is recognised)' },
  'net.dns.mode': { values: ['UDP', 'TCP'], otherwise: 'the router falls back to its default DNS mode' },
  'net.dns.resolver': { values: ['LEGACY', 'ASYNC'], otherwise: 'the router falls back to its default resolver' },
  'tls.min_version': {
    values: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    otherwise: 'the router ignores it and keeps its default minimum'
  },
  'tls.max_version': {
    values: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    otherwise: 'the router ignores it and keeps its default maximum'
  }
}

const LOG_LEVELS = ['off', 'error', 'warn', 'warning', 'info', 'debug', 'trace']
/** Fluent Bit's sizes: a number (decimals allowed) with K, M or G, optionally followed by B; or off. */
const SIZE = /^(\d+(\.\d+)?([kmg]b?)?|off)$/i
const RETRY_KEYWORDS = ['no_limits', 'false', 'off', 'no_retries']
/** Log_Suppress_Interval: seconds, or a time with its unit. */
const DURATION = /^\d+(\.\d+)?[smhd]?$/i
const TLS_FILES = ['tls.ca_file', 'tls.crt_file', 'tls.key_file', 'tls.ca_path']

/**
 * Names the router accepts on every output that do nothing for this one: `oauth2.*` (the datadog output sends the
 * key as DD-API-KEY, never an OAuth token), `active` and `condition` (observed: `active false` still delivers).
 */
export function inertOption(name: string): string | undefined {
  const lower = name.toLowerCase()
  if (!/^oauth2\.[a-z0-9_]+$/.test(lower) && lower !== 'active' && lower !== 'condition') return undefined
  return `sets ${name}, which the log router accepts on every output but which does nothing for the datadog output${lower === 'active' ? ' (active false still delivers every log)' : lower.startsWith('oauth2.') ? ' (it authenticates with the API key, never OAuth)' : ''}.`
}

/** The value as a message may show it: a short plain word, never anything that could be a secret. */
export function shownValue(value: string): string {
  const trimmed = value.trim()
  return /^[\w.:/@+ -]{0,40}$/.test(trimmed) && findDatadogKeys(trimmed).length === 0
    ? JSON.stringify(trimmed)
    : 'a value'
}

/**
 * `header X-Team: payments` sends `: payments`: the router splits the header at the first space. The value as the
 * router reads it (`X-Team payments`) for the `Name: value` form, else undefined (already right, or not a header).
 */
export function routerHeader(value: string): string | undefined {
  // The colon right after the name, as HTTP writes it: `Name value` (the router's form) never matches, so a second
  // run leaves the rewritten header alone.
  const match = /^([!#$%&'*+.^`|~\w-]+):\s*(.*)$/.exec(value.trim())
  if (!match || match[2] === '') return undefined
  return `${match[1]} ${match[2]}`
}

/** Checks the value of one option the router accepts (`name` any case). Passwords are never shown. */
export function optionValueProblem(name: string, value: string): ValueProblem | undefined {
  const lower = name.toLowerCase()
  const v = value.trim()
  const shown = lower === 'tls.key_passwd' || lower === 'proxy' ? 'a value' : shownValue(v)
  const error = (message: string, hint: string): ValueProblem => ({ severity: 'error', message, hint, option: name })
  const warning = (message: string, hint: string): ValueProblem => ({
    severity: 'warning',
    message,
    hint,
    option: name
  })

  if (lower === 'log_level' && !LOG_LEVELS.includes(v.toLowerCase())) {
    return error(
      `sets ${name} to ${shown}, which is not a log level: ${EXITS} ("could not configure property 'log_level'").`,
      `Use one of ${LOG_LEVELS.join(', ')}.`
    )
  }
  if (lower === 'storage.total_limit_size' && !SIZE.test(v)) {
    return error(
      `sets ${name} to ${shown}, which is not a size: ${EXITS} ("could not configure property 'storage.total_limit_size'").`,
      'Write a number with K, M or G (e.g. 5M or 1G; KiB, T and negative numbers are refused).'
    )
  }
  if (STRICT_BOOLEANS.includes(lower) && !BOOLEAN.test(v)) {
    return error(
      `sets ${name} to ${shown}, which is not a boolean: ${EXITS} ("invalid value for boolean property").`,
      'Write on or off (true/false and yes/no work too).'
    )
  }
  if (LENIENT_BOOLEANS.includes(lower) && !BOOLEAN.test(v)) {
    return warning(
      `sets ${name} to ${shown}, which is not a boolean: the log router reads it as off.`,
      'Write on or off (true/false and yes/no work too).'
    )
  }
  if (lower === 'retry_limit') {
    const keyword = RETRY_KEYWORDS.includes(v.toLowerCase())
    if (/^\d+\.\d+$/.test(v) && Number.parseInt(v, 10) >= 1) {
      return warning(
        `sets ${name} to ${shown}, which is not a whole number: the log router reads it as ${Number.parseInt(v, 10)}.`,
        `Write a whole number of retries, e.g. ${Number.parseInt(v, 10)}.`
      )
    }
    if (!keyword && !(/^\d+$/.test(v) && Number(v) >= 1)) {
      return warning(
        `sets ${name} to ${shown}, which the log router does not read ("invalid retry_limit. set default."): it retries once and then drops the chunk.`,
        'Write a whole number of retries (1 or more, e.g. 2), or no_limits to retry forever, or no_retries (false, off) to never retry.'
      )
    }
  }
  const integer = INTEGERS[lower]
  if (integer) {
    const n = /^\d+$/.test(v) ? Number(v) : undefined
    const range =
      integer.max === undefined
        ? `${integer.min} or more`
        : `from ${integer.min} to ${integer.max.toLocaleString('en-US')}`
    if (n === undefined || n < integer.min || (integer.max !== undefined && n > integer.max)) {
      return warning(
        `sets ${name} to ${shown}, which is not a whole number ${range}${integer.unit ? ` (${integer.unit})` : ''}: the log router starts but does not read it as written (text is read as 0, and a unit after the number is ignored).`,
        `Write a whole number ${range}${integer.unit ? ` of ${integer.unit}` : ''}.`
      )
    }
  }
  const enumeration = LENIENT_ENUMS[lower]
  if (enumeration && !enumeration.values.some(e => e.toLowerCase() === v.toLowerCase())) {
    return warning(
      `sets ${name} to ${shown}: ${enumeration.otherwise}.`,
      `Use ${enumeration.values.join(' or ')}, or remove the line.`
    )
  }
  if (lower === 'log_suppress_interval' && !DURATION.test(v)) {
    return warning(
      `sets ${name} to ${shown}, which is not a time: the log router does not read it as written.`,
      'Write seconds (e.g. 10) or a time with its unit (10s, 1m, 1h).'
    )
  }
  if (lower === 'proxy') {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+/i.test(v)) {
      return error(
        `sets ${name} to a value that is not a URL: ${EXITS} ("could not parse proxy parameter").`,
        'Write the proxy as http://host:port.'
      )
    }
    if (!/^http:\/\//i.test(v)) {
      return warning(
        `sets ${name} to a URL that is not http://: the datadog output only speaks to an HTTP proxy.`,
        'Write the proxy as http://host:port.'
      )
    }
  }
  if (lower === 'header') {
    if (routerHeader(v) === undefined && !/^\S+\s+\S/.test(v)) {
      return warning(
        `sets ${name} to ${shown}, which is not "<Name> <value>": the log router sends no usable header.`,
        'Write the header name, a space and its value, e.g. header=X-Team payments.'
      )
    }
  }
  if (lower === 'net.source_address' && !/^[0-9a-f.:[\]]+$/i.test(v)) {
    return warning(
      `sets ${name} to ${shown}, which is not an IP address: the log router cannot bind it and crashes on its first connection.`,
      "Write an IP address of the task's network interface, or remove the line."
    )
  }
  if (lower === 'tls.ciphers') {
    return warning(
      `sets ${name}: it must be an OpenSSL cipher list the router's OpenSSL knows; an unknown one makes the router refuse to start ("error setting up TLS ciphers") and stops the task.`,
      'Check the list with `openssl ciphers -v <list>` against the router image, or remove the line to keep the defaults.'
    )
  }
  if (TLS_FILES.includes(lower)) {
    return warning(
      `sets ${name} to ${shown}: that path must exist inside the log router's container (the router image, a volume or a config it fetches)${lower === 'tls.ca_path' ? '' : '; if it does not, the router refuses to start ("No such file or directory") and stops the task'}.`,
      lower === 'tls.key_file'
        ? 'Build the file into your router image or mount it with a volume; an encrypted key also needs tls.key_passwd.'
        : 'Build the file into your router image or mount it with a volume.'
    )
  }
  return undefined
}

/**
 * Options that must go together, in one output's option set: tls.key_file needs tls.crt_file (observed: the router
 * exits with "private_key … and password don't match"); a tls.crt_file or tls.key_passwd without tls.key_file is
 * ignored.
 */
export function optionSetProblems(options: OptionMap): ValueProblem[] {
  const problems: ValueProblem[] = []
  const spelled = (name: string): string => options.keyOf(name) ?? name
  if (options.has('tls.key_file') && !options.has('tls.crt_file')) {
    problems.push({
      severity: 'error',
      option: spelled('tls.key_file'),
      message: `sets ${spelled('tls.key_file')} without tls.crt_file: ${EXITS} ("private_key … and password don't match").`,
      hint: 'A client key needs its certificate: set tls.crt_file too (and tls.key_passwd for an encrypted key), or remove tls.key_file.'
    })
  }
  if (options.has('tls.crt_file') && !options.has('tls.key_file')) {
    problems.push({
      severity: 'warning',
      option: spelled('tls.crt_file'),
      message: `sets ${spelled('tls.crt_file')} without tls.key_file: the log router presents no client certificate without its key.`,
      hint: 'Set tls.key_file to the certificate’s private key, or remove tls.crt_file.'
    })
  }
  if (options.has('tls.key_passwd') && !options.has('tls.key_file')) {
    problems.push({
      severity: 'warning',
      option: spelled('tls.key_passwd'),
      message: `sets ${spelled('tls.key_passwd')} without tls.key_file: there is no key for it to decrypt, so it does nothing.`,
      hint: 'Set tls.key_file (and tls.crt_file), or remove tls.key_passwd.'
    })
  }
  return problems
}
