import { datadogOptionEntries, tooOldError } from '../checks/preflight.js'
import { routerSendsToOtherSite } from '../checks/site-mismatch.js'
import type { ContainerDefinition, TaskDefinition } from '../definition/task-definition.js'
import { siteOfIntakeHost } from '../diagnose/router-log.js'
import { clearTextKeyFix, findClearTextKeys } from '../patch/clear-text-keys.js'
import { findAgents } from '../patch/agent.js'
import { routerImageProblem } from '../patch/log-router.js'
import { OptionMap } from '../patch/options.js'
import { DEFAULT_HOST, RETRY_LIMIT, routesToDatadog, tlsOff, writtenManyWays } from '../patch/route.js'
import { optionProblem, reservedOption, routerOptionName } from '../router/option-names.js'
import { optionNeeds } from '../router/option-versions.js'
import { routerVersion } from '../router/router-version.js'
import type { Site } from '../sites.js'
import { noLogRouter, revisionFacts, routerLogUnreadable } from '../verify/revision-facts.js'
import { bySeverity, type AuditFinding } from './audit-finding.js'

/** The one-line cure, for findings the main action fixes by itself. */
export const RUN_THE_ACTION = 'Run the main action (datadog-firelens-action) on this task definition'

/** `web:7` for a described revision (its ARN or family when the answer lacks the number). */
export function revisionOf(taskDefinition: TaskDefinition): string {
  const { family, revision, taskDefinitionArn } = taskDefinition
  if (family && typeof revision === 'number') return `${family}:${revision}`
  return typeof taskDefinitionArn === 'string' ? taskDefinitionArn : family || 'the task definition'
}

/**
 * What is wrong with a registered task definition for sending its logs to Datadog on `site`: the checks the main
 * action and verify make, in their words, without a task or a router log. Pure; errors first.
 */
export function definitionFindings(taskDefinition: TaskDefinition, site: Site): AuditFinding[] {
  const containers = Array.isArray(taskDefinition.containerDefinitions) ? taskDefinition.containerDefinitions : []
  const label = revisionOf(taskDefinition)
  const findings: AuditFinding[] = []
  const routers = containers.filter(c => c?.firelensConfiguration)
  const router = routers[0]
  if (!router) {
    const text = noLogRouter(label)
    findings.push({ severity: 'error', kind: 'no-router', message: text.message, fix: text.hint })
  } else {
    const image = routerImageProblem(String(router.image ?? ''))
    if (image) {
      findings.push({
        severity: 'warning',
        kind: image.kind,
        container: router.name,
        message: `${router.name}: ${image.message}.`,
        fix: `${RUN_THE_ACTION} and ${image.fix}.`
      })
    }
    const facts = revisionFacts(taskDefinition, '')
    if (facts.router.log.kind !== 'cloudwatch') {
      const text = routerLogUnreadable(facts)
      findings.push({
        severity: 'warning',
        kind: 'no-router-log',
        container: router.name,
        message: text.message,
        fix: `${text.hint}.`
      })
    }
  }

  const routed = containers.filter(c => c && c !== router && routesToDatadog(c.logConfiguration))
  const agents = new Set(findAgents(containers, router))
  for (const container of containers) {
    if (!container || container === router) continue
    if (!routesToDatadog(container.logConfiguration)) {
      if (router || routed.length > 0) findings.push(notRouted(container, routed.length === 0, agents.has(container)))
      continue
    }
    findings.push(...outputFindings(container, site, router, label))
  }
  if (!router && routed.length === 0) {
    // Said once for the whole task: no router, nothing routed.
    findings[0]!.message += ` None of its containers (${containers.map(c => c?.name).join(', ')}) sends logs to Datadog.`
  }

  for (const key of findClearTextKeys(taskDefinition)) {
    findings.push({
      severity: 'error',
      kind: 'clear-text-key',
      container: key.container,
      message: `${key.container}: a Datadog API key is written in clear text at ${key.path}: anyone who can read the task definition can read it.`,
      fix: clearTextKeyFix(key)
    })
  }
  return bySeverity(findings)
}

function notRouted(container: ContainerDefinition, nothingRouted: boolean, agent: boolean): AuditFinding {
  const driver = container.logConfiguration?.logDriver
  const output =
    driver === 'awsfirelens'
      ? ` (output ${OptionMap.fromRecord(container.logConfiguration?.options).get('Name') ?? 'unset'})`
      : ''
  return {
    severity: nothingRouted ? 'error' : 'warning',
    kind: 'not-routed',
    container: container.name,
    message: `${container.name}: its logs go ${driver ? `to ${driver}${output}` : 'nowhere (no log configuration)'}, not to Datadog${agent ? ' (the Datadog Agent’s own logs)' : ''}.`,
    fix: `${RUN_THE_ACTION}: it routes every container but the log router (\`containers\` chooses them).`
  }
}

/** The problems of one container's datadog output. */
function outputFindings(
  container: ContainerDefinition,
  site: Site,
  router: ContainerDefinition | undefined,
  label: string
): AuditFinding[] {
  const findings: AuditFinding[] = []
  const name = container.name
  const where = `containerDefinitions[${name}].logConfiguration`
  const options = OptionMap.fromRecord(container.logConfiguration?.options)

  const host = (options.get('Host')?.trim() || DEFAULT_HOST).toLowerCase()
  const sentTo = siteOfIntakeHost(host)
  if (sentTo && sentTo !== site) {
    const text = routerSendsToOtherSite(sentTo, site)
    findings.push({
      severity: 'error',
      kind: 'wrong-intake',
      container: name,
      message: `${name}: ${options.has('Host') ? '' : 'no Host set (the US1 default): '}${text.message}`,
      fix: text.hint
    })
  }
  const tls = tlsOff(options)
  if (tls) {
    findings.push({
      severity: 'error',
      kind: 'tls-off',
      container: name,
      message: `${name}: its datadog output has ${tls}.`,
      fix: `${RUN_THE_ACTION} (it sets TLS on), or set TLS on in ${where}.options.`
    })
  }
  for (const spellings of OptionMap.duplicateSpellings(container.logConfiguration?.options)) {
    findings.push({
      severity: 'warning',
      kind: 'duplicate-option',
      container: name,
      message: `${name}: its datadog output has ${writtenManyWays(spellings)}.`,
      fix: `Keep one in ${where}.options.`
    })
  }
  const version = router ? routerVersion(String(router.image ?? '')) : undefined
  for (const [key, value] of datadogOptionEntries(container)) {
    const problem = optionProblem(key, value)
    if (problem) {
      findings.push({
        severity: 'error',
        kind: reservedOption(key) ? 'reserved-option' : routerOptionName(key) ? 'option-value' : 'unknown-option',
        container: name,
        message: `${where}.options ${problem.message}`,
        fix: problem.hint
      })
      continue
    }
    // A name the router's own Fluent Bit (from its image tag) does not have yet stops it the same way.
    const needs = router && version?.fluentBit ? optionNeeds(key, version.fluentBit) : undefined
    if (router && version && needs !== undefined) {
      const refusal = tooOldError(`${where}.options of ${label}`, label, key, needs, router.name, version)
      findings.push({
        severity: 'error',
        kind: 'option-too-new',
        container: name,
        message: refusal.message,
        fix: refusal.hint ?? ''
      })
    }
  }
  const keyFromSecret = (container.logConfiguration?.secretOptions ?? []).some(
    s => typeof s?.name === 'string' && s.name.toLowerCase() === 'apikey'
  )
  if (!keyFromSecret && !options.has('apikey')) {
    findings.push({
      severity: 'error',
      kind: 'no-api-key',
      container: name,
      message: `${name}: its datadog output has no apikey (neither in ${where}.secretOptions nor in its options), so Datadog refuses every record (HTTP 403).`,
      fix: `${RUN_THE_ACTION} with \`api-key-secret\`: it adds secretOptions [{"name": "apikey", "valueFrom": …}].`
    })
  }
  if (!options.has(RETRY_LIMIT[0])) {
    findings.push({
      severity: 'warning',
      kind: 'no-retry-limit',
      container: name,
      message: `${name}: its datadog output sets no ${RETRY_LIMIT[0]}, so Fluent Bit retries a failed chunk once and then drops those logs.`,
      fix: `${RUN_THE_ACTION} (it sets ${RETRY_LIMIT[0]} ${RETRY_LIMIT[1]}, as Datadog's own injectors do), or set it in ${where}.options.`
    })
  }
  return findings
}
