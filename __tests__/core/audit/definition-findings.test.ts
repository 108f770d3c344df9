import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { seededRevisions, healthyDefinition } from '../../../__fixtures__/audit-fleet.mjs'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import { definitionFindings } from '../../../src/core/audit/definition-findings.js'
import type { TaskDefinition } from '../../../src/core/definition/task-definition.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { SITES, resolveSite } from '../../../src/core/sites.js'

const AP1 = resolveSite('ap1')
const kinds = (td: unknown, site = AP1): string[] => definitionFindings(td as TaskDefinition, site).map(f => f.kind)

describe('definitionFindings: what a registered revision gets wrong', () => {
  it.each(Object.entries(seededRevisions()))(
    '%s: reports exactly its kinds of finding',
    (_name, { td, kinds: expected }) => {
      expect(new Set(kinds(td))).toEqual(new Set(expected))
    }
  )

  it('a healthy revision has nothing to find; the same revision audited for another site is the wrong intake', () => {
    const td = healthyDefinition('web', 7)
    expect(kinds(td)).toEqual([])
    const eu = definitionFindings(td as TaskDefinition, resolveSite('eu1'))
    expect(eu).toEqual([expect.objectContaining({ severity: 'error', kind: 'wrong-intake', container: 'app' })])
    expect(eu[0]!.message).toContain("AP1's intake (http-intake.logs.ap1.datadoghq.com), but `site` is EU1")
  })

  it('every spelling of an option name counts: host/tls/RETRY_LIMIT in lower or upper case', () => {
    const td = healthyDefinition('web', 7)
    td.containerDefinitions[0].logConfiguration.options = {
      name: 'datadog',
      host: 'http-intake.logs.ap1.datadoghq.com',
      tls: 'On',
      RETRY_LIMIT: '3'
    }
    expect(kinds(td)).toEqual([])
  })

  it('finds a clear-text DD_API_KEY in any container and never quotes the key', () => {
    const td = healthyDefinition('web', 7)
    const key = 'f00dfeedf00dfeedf00dfeedf00dfeed'
    td.containerDefinitions[1]!.environment = [{ name: 'dd_api_key', value: key }]
    const findings = definitionFindings(td as TaskDefinition, AP1)
    expect(findings).toEqual([expect.objectContaining({ kind: 'clear-text-key', container: 'log-router' })])
    expect(JSON.stringify(findings)).not.toContain(key)
  })

  it("a name the router's own Fluent Bit lacks (2.x: 1.9.10) is refused as the main action refuses it", () => {
    const td = healthyDefinition('web', 7, {
      options: { dd_hostname: 'web' },
      routerOverrides: { image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.0' }
    })
    const findings = definitionFindings(td, AP1)
    expect(findings.map(f => f.kind)).toEqual(expect.arrayContaining(['option-too-new', 'router-image-eol']))
    expect(findings.find(f => f.kind === 'option-too-new')!.message).toContain('dd_hostname')
  })

  it('a datadog output without any apikey is an error', () => {
    const td = healthyDefinition('web', 7)
    delete td.containerDefinitions[0].logConfiguration.secretOptions
    expect(kinds(td)).toEqual(['no-api-key'])
  })

  it('every container of a task without router and without Datadog output: one no-router error naming them', () => {
    const findings = definitionFindings(seededRevisions().plain!.td as TaskDefinition, AP1)
    expect(findings).toHaveLength(1)
    expect(findings[0]!.message).toContain('None of its containers (app) sends logs to Datadog.')
  })

  it('property: whatever the site, a definition the main action patched for it has no error', () => {
    const examples = ['fargate-web.json', 'already-routed.json', 'describe-output.json', 'large-10-containers.json']
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.constantFrom(...examples), (site, example) => {
        let patched: TaskDefinition
        try {
          patched = patchTaskDefinition(exampleTaskDefinition(example), patchConfig({ site })).taskDefinition
        } catch {
          return true // the action refuses it (e.g. 11 containers): nothing to audit
        }
        const errors = definitionFindings(patched, site).filter(f => f.severity === 'error')
        expect(errors.filter(f => f.kind !== 'clear-text-key')).toEqual([])
        return true
      }),
      { numRuns: 60 }
    )
  })

  it('property: a datadog output pointed at another site is always the wrong intake, never for its own site', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SITES), fc.constantFrom(...SITES), (sentTo, site) => {
        const td = healthyDefinition('web', 7, { options: { Host: `http-intake.logs.${sentTo.domain}` } })
        expect(kinds(td, site).includes('wrong-intake')).toBe(sentTo !== site)
      })
    )
  })
})
