import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { userErrorText } from '../__fixtures__/user-error.js'
import { INPUT_DEFAULTS, parseLogOptions, readConfig, secretInputNeedsMask, type ActionConfig } from '../src/inputs.js'
import { patchTaskDefinition } from '../src/patch/patch-task-definition.js'
import { exampleTaskDefinition } from '../__fixtures__/patch-config.js'

const REQUIRED = { 'task-definition': 'td.json', site: 'ap1', 'api-key-secret': '/prod/DATADOG_API_KEY' }
const config = (
  inputs: Record<string, string> = {},
  env: Record<string, string> = { AWS_REGION: 'us-east-1' }
): ActionConfig => readConfig(name => (({ ...REQUIRED, ...inputs }) as Record<string, string>)[name] ?? '', env)

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string }>
}

describe('reading the inputs', () => {
  it('applies the same defaults as action.yml when an input is empty', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml
    const withDefaults = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, i]) => i.default !== undefined)
        .map(([n, i]) => [n, String(i.default)])
    )
    expect(INPUT_DEFAULTS).toEqual(withDefaults)
  })

  it('needs task-definition, site and api-key-secret', () => {
    for (const name of Object.keys(REQUIRED)) {
      expect(userErrorText(() => config({ [name]: '' }))).toContain(`Input \`${name}\` is required`)
    }
  })

  it('builds the patch config from the inputs', () => {
    const c = config({
      service: 'checkout',
      source: 'nodejs',
      tags: 'env:prod,team:payments',
      containers: 'web,\nworker,web',
      register: 'false'
    })
    expect(c.register).toBe(false)
    expect(c.patch.site.code).toBe('AP1')
    expect(c.patch.service).toBe('checkout')
    expect(c.patch.containers).toEqual(['web', 'worker'])
    expect(c.patch.tags).toEqual([
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'payments' }
    ])
    expect(c.patch.logRouter).toEqual({ name: 'log-router', memory: 50 })
    expect(c.patch.region).toBe('us-east-1')
  })

  it('reads booleans as @actions/core does and names the input otherwise', () => {
    expect(config({ register: 'False' }).register).toBe(false)
    expect(userErrorText(() => config({ register: 'no' }))).toMatch(/`register`.*true or false/s)
  })

  it('runs verify-roles by default; verify-roles: false turns it off; the region rule reads AWS_DEFAULT_REGION too', () => {
    expect(config({}).verifyRoles).toBe(true)
    expect(config({ 'verify-roles': 'false' }).verifyRoles).toBe(false)
    expect(userErrorText(() => config({ 'verify-roles': 'off' }))).toMatch(/`verify-roles`.*true or false/s)
    expect(config({}, { AWS_DEFAULT_REGION: 'eu-west-3' }).patch.region).toBe('eu-west-3')
    expect(config({}, { AWS_REGION: ' ', AWS_DEFAULT_REGION: '' }).patch.region).toBeUndefined()
  })

  it('refuses a memory that is not a positive whole number', () => {
    expect(userErrorText(() => config({ 'log-router-memory': '50MiB' }))).toMatch(/log-router-memory/)
    expect(userErrorText(() => config({ 'log-router-memory': '0' }))).toMatch(/log-router-memory/)
  })

  it('needs a region for the router log group', () => {
    expect(userErrorText(() => config({ 'log-router-log-group': '/ecs/fl' }, {}))).toMatch(/AWS_REGION/)
  })

  it('warns about moving image tags', () => {
    expect(config({ 'log-router-image': 'amazon/aws-for-fluent-bit:stable' }).warnings.join()).toMatch(/moving tag/)
    expect(config({ 'log-router-image': 'amazon/aws-for-fluent-bit:3.4.8' }).warnings).toEqual([])
  })

  it('takes git metadata from the workflow context, without credentials in the URL', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://user:token@ghe.example.com/',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'f'.repeat(40)
    }
    expect(config({}, env).patch.git).toEqual({
      repositoryUrl: 'https://ghe.example.com/acme/shop',
      commitSha: 'f'.repeat(40)
    })
    expect(config({ 'git-metadata': 'false' }, env).patch.git).toBeUndefined()
  })
})

describe('the api-key-secret input', () => {
  it('refuses a raw API key without repeating it', () => {
    const key = '0123456789abcdef0123456789abcdef'
    const text = userErrorText(() => config({ 'api-key-secret': key }))
    expect(text).toMatch(/looks like a Datadog API key/)
    expect(text).not.toContain(key)
    expect(secretInputNeedsMask(key)).toBe(true)
  })

  it('refuses anything that is not a reference, without repeating it', () => {
    const text = userErrorText(() => config({ 'api-key-secret': 'my secret key' }))
    expect(text).not.toContain('my secret key')
    expect(secretInputNeedsMask('my secret key')).toBe(true)
    expect(secretInputNeedsMask('/prod/DATADOG_API_KEY')).toBe(false)
  })
})

describe('log-options', () => {
  it('reads key=value lines, keeping = in values', () => {
    expect(parseLogOptions('Retry_Limit=2\n\n# comment\nheader=X-Tag=a=b\r\n')).toEqual([
      ['Retry_Limit', '2'],
      ['header', 'X-Tag=a=b']
    ])
  })

  it.each(['Host=http-intake.logs.datadoghq.com', 'tls=off', 'Name=cloudwatch', 'APIKEY=x'])(
    'refuses %j, which the action controls',
    line => {
      expect(userErrorText(() => parseLogOptions(line))).toMatch(/controls/)
    }
  )

  it('names the line of a malformed option', () => {
    expect(userErrorText(() => parseLogOptions('Retry_Limit=2\nnot an option'))).toMatch(/line 2/)
  })
})

describe('control characters never reach the Fluent Bit options', () => {
  it('any service, source, tags or log-options value is refused or yields options without control characters', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', ':', ',', '=', ' ', '\n', '\r', '\t', '\u0000', '\u001b', '\u007f', 'é')
    })
    fc.assert(
      fc.property(text, text, text, text, (service, source, tags, logOptions) => {
        let options: Record<string, string> | undefined
        try {
          const c = config({ service, source, tags, 'log-options': `Retry_Limit=${logOptions}` })
          options = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), c.patch).taskDefinition
            .containerDefinitions[0]!.logConfiguration!.options
        } catch (error) {
          if ((error as Error).name !== 'UserError') throw error
          return
        }
        for (const [key, value] of Object.entries(options!)) {
          // eslint-disable-next-line no-control-regex -- the property is about control characters
          expect(`${key}=${value}`).not.toMatch(/[\u0000-\u001f\u007f]/)
        }
      })
    )
  })
})
