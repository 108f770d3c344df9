/**
 * The option names the log router's `datadog` output accepts, as observed with the real router (Fluent Bit 5.1.1,
 * whose datadog plugin is the code of aws-for-fluent-bit 3.x): the router checks every name at start-up and stops on
 * an unknown one (`unknown configuration property 'retry_limt'`), and the router is essential, so the task stops.
 * Names are case-insensitive. Also: which of them FireLens or this action own, and option values that would turn TLS
 * checks off.
 */
import { suggest } from '../checks/suggest.js'

/** The datadog plugin's own options (the list the router prints with its error). */
export const DATADOG_PLUGIN_OPTIONS = [
  'compress',
  'header',
  'apikey',
  'dd_service',
  'dd_source',
  'dd_tags',
  'dd_hostname',
  'proxy',
  'include_tag_key',
  'tag_key',
  'dd_message_key',
  'provider',
  'json_date_key'
] as const

/** Options every Fluent Bit output accepts, TLS and networking aside. */
export const GENERIC_OUTPUT_OPTIONS = [
  'Name',
  'Match',
  'Match_Regex',
  'Alias',
  'Log_Level',
  'Log_Suppress_Interval',
  'Host',
  'Port',
  'IPv6',
  'Retry_Limit',
  'Workers',
  'storage.total_limit_size'
] as const

/** TLS options of every output. */
export const TLS_OPTIONS = [
  'tls',
  'tls.verify',
  'tls.verify_hostname',
  'tls.debug',
  'tls.vhost',
  'tls.ca_path',
  'tls.ca_file',
  'tls.crt_file',
  'tls.key_file',
  'tls.key_passwd',
  'tls.min_version',
  'tls.max_version',
  'tls.ciphers'
] as const

/** Networking options of every output. */
export const NET_OPTIONS = [
  'net.connect_timeout',
  'net.connect_timeout_log_error',
  'net.io_timeout',
  'net.keepalive',
  'net.keepalive_idle_timeout',
  'net.keepalive_max_recycle',
  'net.max_worker_connections',
  'net.source_address',
  'net.dns.mode',
  'net.dns.resolver',
  'net.dns.prefer_ipv4',
  'net.dns.prefer_ipv6',
  'net.tcp_keepalive',
  'net.tcp_keepalive_time',
  'net.tcp_keepalive_interval',
  'net.tcp_keepalive_probes',
  'net.proxy_env_ignore'
] as const

/** Every name the router's datadog output accepts. */
export const ROUTER_OPTIONS: readonly string[] = [
  ...DATADOG_PLUGIN_OPTIONS,
  ...GENERIC_OUTPUT_OPTIONS,
  ...TLS_OPTIONS,
  ...NET_OPTIONS
]

const BY_LOWER = new Map(ROUTER_OPTIONS.map(name => [name.toLowerCase(), name]))

/** The router's spelling of an option name it accepts (any case), else undefined. */
export function routerOptionName(name: string): string | undefined {
  return BY_LOWER.get(name.toLowerCase())
}

/**
 * Options a user may not set through `log-options`, with what to do instead. FireLens writes `Match
 * <container>-firelens*` itself: a user Match would make this output take every container's records.
 */
export const RESERVED_OPTIONS: Readonly<Record<string, { owner: string; hint: string }>> = {
  Name: { owner: 'this action', hint: 'The output is always datadog; remove the line.' },
  Host: {
    owner: 'this action',
    hint: 'Host is derived from `site` so it always matches your Datadog site; set `site` instead.'
  },
  TLS: {
    owner: 'this action',
    hint: 'TLS is always on: without it the API key travels in clear text. Remove the line.'
  },
  apikey: {
    owner: 'this action',
    hint: 'The key comes from `api-key-secret` through secretOptions, never in clear. Remove the line.'
  },
  Match: {
    owner: 'FireLens',
    hint: "FireLens matches each container's own records (Match <container>-firelens*); another Match would send other containers' logs here. Remove the line."
  },
  Match_Regex: {
    owner: 'FireLens',
    hint: "FireLens matches each container's own records (Match <container>-firelens*); a Match_Regex would send other containers' logs here. Remove the line."
  },
  dd_service: { owner: 'this action', hint: 'Set the `service` input instead (default: the task family).' },
  dd_source: { owner: 'this action', hint: 'Set the `source` input instead (e.g. nodejs, python, java).' },
  dd_tags: { owner: 'this action', hint: 'Set the `tags` input instead (key:value pairs, e.g. team:payments).' }
}

/** The reserved option `name` is a spelling of, if any. */
export function reservedOption(name: string): string | undefined {
  return Object.keys(RESERVED_OPTIONS).find(reserved => reserved.toLowerCase() === name.toLowerCase())
}

/** TLS options whose value must keep verification on. */
const VERIFY_OPTIONS = ['tls.verify', 'tls.verify_hostname']
// Fluent Bit 1.9 reads only true/on as on (anything else is off); newer versions add yes and read other text as
// neither. Only the spellings every version reads as on are safe.
const ON = /^(true|on)$/i
// What Fluent Bit's flb_utils_bool reads as false, and the spellings people use for it.
const OFF = /^(false|off|no|0|n|f|disabled?)?$/i

/** A problem with one option the user sets, in words, or undefined when the router accepts it as it is. */
export interface OptionProblem {
  message: string
  hint: string
}

/** Checks one option name and value. `name` is quoted in the message; `value` never is (it may hold a secret). */
export function optionProblem(name: string, value: string): OptionProblem | undefined {
  const reserved = reservedOption(name)
  if (reserved) {
    const { owner, hint } = RESERVED_OPTIONS[reserved]!
    return { message: `sets ${reserved}, which ${owner} controls.`, hint }
  }
  const known = routerOptionName(name)
  if (known === undefined) {
    const closest = suggest(name, ROUTER_OPTIONS) ?? prefixMatch(name)
    const reservedClosest = closest === undefined ? undefined : reservedOption(closest)
    return {
      message: `sets ${JSON.stringify(name)}, which is not an option of Fluent Bit's datadog output: the log router would refuse its configuration and stop the task.`,
      hint:
        (closest === undefined
          ? ''
          : reservedClosest
            ? `Did you mean ${closest}? ${RESERVED_OPTIONS[reservedClosest]!.hint} `
            : `Did you mean ${closest}? `) +
        `Valid names (any case): ${DATADOG_PLUGIN_OPTIONS.filter(n => !reservedOption(n)).join(', ')}, and Fluent Bit's output options (${GENERIC_OUTPUT_OPTIONS.filter(n => !reservedOption(n)).join(', ')}, tls.*, net.*).`
    }
  }
  if (VERIFY_OPTIONS.includes(known) && !ON.test(value.trim())) {
    // A short word is safe to repeat (a key is 32 or 40 characters and refused before this); anything else is not.
    const shown = /^\w{0,10}$/.test(value.trim()) ? JSON.stringify(value.trim()) : 'a value other than on'
    const what = `checking the intake's certificate${known === 'tls.verify' ? '' : ' name'}`
    return {
      message: OFF.test(value.trim())
        ? `sets ${known} to ${shown}, which turns off ${what}: the API key would go to whoever intercepts the connection.`
        : `sets ${known} to ${shown}, which Fluent Bit 1.9 reads as off (only on and true mean on in every version), turning off ${what}: the API key would go to whoever intercepts the connection.`,
      hint:
        known === 'tls.verify'
          ? 'Remove the line: verification is on by default.'
          : `Remove the line, or write ${known}=on.`
    }
  }
  return undefined
}

/** An accepted name that `name` is the start of, or that starts with `name` (dd_host → dd_hostname). */
function prefixMatch(name: string): string | undefined {
  const lower = name.toLowerCase()
  if (lower.length < 4) return undefined
  return ROUTER_OPTIONS.find(option => option.toLowerCase().startsWith(lower))
}
