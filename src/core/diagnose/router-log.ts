import { SITES, intakeHost, type Site } from '../sites.js'
import { quoteOf, type Finding } from '../checks/finding.js'
import { FORBIDDEN_FIX, FORBIDDEN_MEANING, routerSendsToOtherSite } from '../checks/site-mismatch.js'

/**
 * What one line of the log router's own log (Fluent Bit, default log level) says about delivery. The formats are the
 * ones the real router prints (see the project's facts notes); nothing is printed when delivery works.
 */
export type RouterLine =
  | { kind: 'http-status'; status: number; scheme?: string; host: string; port: number }
  | { kind: 'tls'; detail: string }
  | { kind: 'dropped' }
  | { kind: 'retrying' }
  | { kind: 'unknown-property'; plugin: string; property: string }
  | { kind: 'init-failed' }
  | { kind: 'network' }
  | { kind: 'time-format' }

// `[error] [output:datadog:datadog.0] https://http-intake.logs.datadoghq.com:443 HTTP status=403`; Fluent Bit 1.x
// printed `[out_datadog] http://host:80 HTTP status=403`. The scheme is there only when the plugin prints it.
const HTTP_STATUS = /(?:(https?):\/\/)?\[?([A-Za-z0-9_.:-]+?)\]?:(\d+),? HTTP status=(\d+)/i
const TLS = /\[\s*(?:error|warn)\s*\]\s*\[tls\]\s*(.*)$/i
const DROPPED = /cannot be retried/i
const RETRYING = /failed to flush chunk/i
const UNKNOWN_PROPERTY = /\[config\]\s*([\w.-]+):\s*unknown configuration property '([^']*)'/i
const INIT_FAILED = /output initialization failed/i
const NETWORK = /\[\s*(?:error|warn)\s*\]\s*\[(?:net|upstream|http_client)\]/i
const TIME_FORMAT = /\[parser\][^\n]*cannot parse|invalid time format/i

export function classifyRouterLine(line: string): RouterLine | undefined {
  const status = HTTP_STATUS.exec(line)
  if (status) {
    return {
      kind: 'http-status',
      ...(status[1] ? { scheme: status[1].toLowerCase() } : {}),
      host: status[2]!.toLowerCase(),
      port: Number(status[3]),
      status: Number(status[4])
    }
  }
  const property = UNKNOWN_PROPERTY.exec(line)
  if (property) return { kind: 'unknown-property', plugin: property[1]!, property: property[2]! }
  const tls = TLS.exec(line)
  if (tls) return { kind: 'tls', detail: tls[1]!.trim() }
  if (DROPPED.test(line)) return { kind: 'dropped' }
  if (RETRYING.test(line)) return { kind: 'retrying' }
  if (INIT_FAILED.test(line)) return { kind: 'init-failed' }
  if (NETWORK.test(line)) return { kind: 'network' }
  if (TIME_FORMAT.test(line)) return { kind: 'time-format' }
  return undefined
}

/** The site whose log intake host this is, if any. */
export function siteOfIntakeHost(host: string): Site | undefined {
  const normalized = host.toLowerCase().replace(/\.$/, '')
  return SITES.find(s => intakeHost(s) === normalized)
}

interface Seen {
  first: string
  count: number
}

/**
 * Turns the router's lines into findings, one per kind of problem (the first line quoted, the rest counted), errors
 * first. `site` is the site the user expects the logs on: a 403 from another site's intake says the Host is wrong.
 */
export function routerLogFindings(lines: readonly string[], site: Site): Finding[] {
  const seen = new Map<string, Seen>()
  const statusLines = new Map<number, { line: RouterLine & { kind: 'http-status' }; seen: Seen }>()
  const note = (key: string, line: string): Seen => {
    const entry = seen.get(key) ?? { first: line, count: 0 }
    entry.count++
    seen.set(key, entry)
    return entry
  }
  let property: (RouterLine & { kind: 'unknown-property' }) | undefined
  let tlsDetail = ''
  for (const line of lines) {
    const parsed = classifyRouterLine(line)
    if (!parsed) continue
    if (parsed.kind === 'http-status') {
      const entry = note(`http-${parsed.status}`, line)
      if (!statusLines.has(parsed.status)) statusLines.set(parsed.status, { line: parsed, seen: entry })
      continue
    }
    if (parsed.kind === 'unknown-property') property ??= parsed
    if (parsed.kind === 'tls' && !tlsDetail) tlsDetail = parsed.detail
    note(parsed.kind, line)
  }

  const findings: Finding[] = []
  const add = (finding: Omit<Finding, 'quote' | 'count'>, entry: Seen): void => {
    findings.push({ ...finding, quote: quoteOf(entry.first), ...(entry.count > 1 ? { count: entry.count } : {}) })
  }

  for (const [status, { line, seen: entry }] of statusLines) {
    const where = `${line.scheme ? `${line.scheme}://` : ''}${line.host}:${line.port}`
    if (status === 403 || status === 401) {
      const sentTo = siteOfIntakeHost(line.host)
      if (sentTo && sentTo !== site) {
        const text = routerSendsToOtherSite(sentTo, site)
        add({ severity: 'error', kind: 'wrong-intake', message: text.message, fix: text.hint }, entry)
      } else {
        add(
          {
            severity: 'error',
            kind: 'http-403',
            message: `Datadog's intake (${where}) answered the log router with HTTP ${status}: ${FORBIDDEN_MEANING}. The router retries, then drops the logs.`,
            fix: FORBIDDEN_FIX
          },
          entry
        )
      }
      if (line.scheme === 'http' || line.port === 80) {
        findings.push({
          severity: 'warning',
          kind: 'tls-off',
          message: `The log router sends to ${where} without TLS: the API key travels in clear.`,
          fix: 'Turn TLS on in the datadog output (the main action sets `TLS on` and the site\u2019s intake host).'
        })
      }
    } else if (status === 408 || status === 429 || status >= 500) {
      add(
        {
          severity: 'warning',
          kind: `http-${status}`,
          message: `Datadog's intake (${where}) answered the log router with HTTP ${status}; the router retries.`,
          fix: 'Usually brief. If it lasts, check https://status.datadoghq.com; logs are lost once a chunk "cannot be retried".'
        },
        entry
      )
    } else {
      add(
        {
          severity: 'error',
          kind: `http-${status}`,
          message: `Datadog's intake (${where}) refused the log router's records with HTTP ${status}.`,
          fix:
            status === 413
              ? 'The records are too large for the intake (a log line over 1 MB?): split or trim them.'
              : 'Check the datadog output options in log-options (e.g. compress must be gzip, dd_tags key:value pairs); Host must be the intake host of your site.'
        },
        entry
      )
    }
  }

  const tlsSeen = seen.get('tls')
  if (tlsSeen) {
    add(
      {
        severity: 'error',
        kind: 'tls',
        message: `The log router could not set up TLS with Datadog's intake${tlsDetail ? ` (${tlsDetail})` : ''}, so nothing is delivered.`,
        fix: `Let the main action set Host (${intakeHost(site)} for ${site.code}) and TLS on; remove tls.verify or tls.ca_* overrides, or, behind a TLS-inspecting proxy or firewall, give the router its CA with tls.ca_file. A wrong Host also fails certificate verification.`
      },
      tlsSeen
    )
  }

  const propertySeen = seen.get('unknown-property')
  if (property && propertySeen) {
    add(
      {
        severity: 'error',
        kind: 'unknown-property',
        message: `The log router could not start: its ${property.plugin} output has an unknown option \`${property.property}\`, so every task of this revision stops.`,
        fix: `Fix or remove \`${property.property}\` in \`log-options\` (or in the task definition's logConfiguration options); the line lists the names the router accepts. Names are case-insensitive; typos are not.`
      },
      propertySeen
    )
  }
  const initSeen = seen.get('init-failed')
  if (initSeen && !propertySeen) {
    add(
      {
        severity: 'error',
        kind: 'init-failed',
        message: "The log router's output could not start (output initialization failed), so the router exits.",
        fix: "The router lines just before it say why; fix that option in the task definition's logConfiguration."
      },
      initSeen
    )
  }

  const droppedSeen = seen.get('dropped')
  const explained = findings.some(f => f.severity === 'error')
  const networkSeen = seen.get('network')
  if (droppedSeen) {
    add(
      {
        severity: 'error',
        kind: 'dropped',
        message: explained
          ? 'The log router gave up on chunks of logs ("cannot be retried"): those logs are lost, because of the error above.'
          : `The log router gave up on chunks of logs ("cannot be retried"): those logs are lost. With no HTTP status or TLS error before it, Datadog's intake was not reachable from the task.`,
        fix: explained
          ? 'Fix the error above; logs are dropped until then.'
          : `Let the task reach ${intakeHost(site)} on port 443: a NAT gateway or a public IP for its subnets, the security group's outbound rules, DNS; or a PrivateLink endpoint for the intake.`
      },
      droppedSeen
    )
  }
  if (networkSeen) {
    add(
      {
        severity: 'warning',
        kind: 'network',
        message: "The log router reported network errors talking to Datadog's intake; it retries.",
        fix: `If logs are dropped, let the task reach ${intakeHost(site)} on port 443 (NAT gateway or public IP, security group egress, DNS).`
      },
      networkSeen
    )
  }
  const retryingSeen = seen.get('retrying')
  if (retryingSeen && !droppedSeen && !explained) {
    add(
      {
        severity: 'warning',
        kind: 'retrying',
        message: 'The log router failed to flush chunks and will retry them.',
        fix: 'Nothing is lost yet; if a "cannot be retried" line follows, those logs are dropped.'
      },
      retryingSeen
    )
  }
  const timeSeen = seen.get('time-format')
  if (timeSeen) {
    add(
      {
        severity: 'warning',
        kind: 'time-format',
        message:
          "The router's JSON parser could not read a record's `time` (parse-json expects e.g. 25/Nov/2026:10:00:00 +0000); the records are still delivered.",
        fix: 'Log the time in that format, or under another key than `time`, to keep the original timestamps.'
      },
      timeSeen
    )
  }
  return [...findings.filter(f => f.severity === 'error'), ...findings.filter(f => f.severity === 'warning')]
}
