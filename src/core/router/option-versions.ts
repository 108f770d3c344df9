/**
 * Since which Fluent Bit version the datadog output accepts each option name. Fluent Bit checks every name at start-up
 * and stops on one it does not know, so a name newer than the router's Fluent Bit stops the task. Pure.
 *
 * Read from fluent/fluent-bit's source at each release tag (plugins/out_datadog/datadog.c, src/flb_output.c,
 * src/flb_upstream.c, src/tls/): the first tag whose source has the name. Every other name of ROUTER_OPTIONS is
 * there since the datadog output itself (1.3.0).
 */
import {
  DATADOG_OUTPUT_SINCE,
  formatVersion,
  hasVersion,
  parseVersion,
  type FluentBitVersion
} from './router-version.js'
import { routerOptionName } from './option-names.js'

const SINCE: Readonly<Record<string, string>> = {
  compress: '1.4.0',
  proxy: '1.4.0',
  Log_Level: '1.4.0',
  'net.connect_timeout': '1.5.0',
  'net.keepalive': '1.5.0',
  'net.keepalive_idle_timeout': '1.5.0',
  'net.source_address': '1.5.0',
  'storage.total_limit_size': '1.6.0',
  'net.keepalive_max_recycle': '1.6.2',
  Workers: '1.7.0',
  'net.dns.mode': '1.8.5',
  'net.dns.resolver': '1.8.5',
  'net.dns.prefer_ipv4': '1.8.5',
  'net.connect_timeout_log_error': '1.8.12',
  'net.io_timeout': '2.0.0',
  Log_Suppress_Interval: '2.0.9',
  'net.max_worker_connections': '2.1.6',
  'net.dns.prefer_ipv6': '2.2.2',
  dd_hostname: '3.1.0',
  'tls.verify_hostname': '3.1.0',
  header: '3.2.0',
  'net.tcp_keepalive': '3.2.0',
  'net.tcp_keepalive_time': '3.2.0',
  'net.tcp_keepalive_interval': '3.2.0',
  'net.tcp_keepalive_probes': '3.2.0',
  'tls.min_version': '4.0.0',
  'tls.max_version': '4.0.0',
  'tls.ciphers': '4.0.0',
  'net.proxy_env_ignore': '4.0.5'
}

const BY_LOWER = new Map(Object.entries(SINCE).map(([name, since]) => [name.toLowerCase(), parseVersion(since)!]))

/** The Fluent Bit version that first accepts this option name (any case); undefined for a name it never accepts. */
export function optionSince(name: string): FluentBitVersion | undefined {
  const known = routerOptionName(name)
  if (known === undefined) return undefined
  return BY_LOWER.get(known.toLowerCase()) ?? DATADOG_OUTPUT_SINCE
}

/** Fluent Bit 1.9.10, what every aws-for-fluent-bit 2.x from 2.29.0 on bundles: "the 2.x list". */
export const FLUENT_BIT_2X: FluentBitVersion = [1, 9, 10]

/**
 * When a router running `version` would refuse the name: the version it needs, else undefined. A name that no version
 * accepts is optionProblem's to report.
 */
export function optionNeeds(name: string, version: FluentBitVersion): string | undefined {
  const since = optionSince(name)
  if (since === undefined || hasVersion(version, since)) return undefined
  return formatVersion(since)
}
