import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { ROUTER_OPTIONS, optionProblem, routerOptionName } from '../../../src/core/router/option-names.js'
import { optionValueProblem } from '../../../src/core/router/option-values.js'
import { UserError, userErrorsOf } from '../../../src/core/errors.js'

const SAMPLE_VALUES = ['on', '2', 'gzip', '5M', 'info', 'ecs', 'http://proxy:3128', 'X-Team payments', 'x']
import {
  INPUT_DEFAULTS,
  logOptionsSecrets,
  parseLogOptions,
  readConfig,
  readLogOptions,
  secretInputNeedsMask,
  type ActionConfig
} from '../../../src/core/inputs/patch-inputs.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { exampleTaskDefinition } from '../../../__fixtures__/patch-config.js'

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
    expect(c.patch.logRouter).toEqual({ name: 'log-router', memory: 50, memoryExplicit: false })
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

  it('reads a memory as whole MiB, 0 for no reservation, and knows it from the default', () => {
    expect(userErrorText(() => config({ 'log-router-memory': '50MiB' }))).toMatch(
      /log-router-memory.*0 for no reservation/s
    )
    expect(userErrorText(() => config({ 'agent-memory': '-1', agent: 'true' }))).toMatch(/agent-memory/)
    expect(config({ 'log-router-memory': '0' }).patch.logRouter).toMatchObject({ memory: 0, memoryExplicit: true })
    expect(config({ 'log-router-memory': '50' }).patch.logRouter).toMatchObject({ memory: 50, memoryExplicit: true })
    expect(config({ agent: 'true' }).patch.agent).toMatchObject({ memory: 256, memoryExplicit: false })
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

  it('refuses a Datadog application key (40 hex) without repeating it, and it is masked', () => {
    const key = '0123456789abcdef0123456789abcdef01234567'
    const text = userErrorText(() => config({ 'api-key-secret': key }))
    expect(text).toMatch(/looks like a Datadog application key/)
    expect(text).toMatch(/revoke this application key/)
    expect(text).not.toContain(key)
    expect(secretInputNeedsMask(` ${key.toUpperCase()}\n`)).toBe(true)
  })

  it('refuses anything that is not a reference, without repeating it', () => {
    const text = userErrorText(() => config({ 'api-key-secret': 'my secret key' }))
    expect(text).not.toContain('my secret key')
    expect(secretInputNeedsMask('my secret key')).toBe(true)
    expect(secretInputNeedsMask('/prod/DATADOG_API_KEY')).toBe(false)
  })
})

describe('log-options', () => {
  const KEY = 'f00dfeedf00dfeedf00dfeedf00dfeed'
  const APP_KEY = '0123456789abcdef0123456789abcdef01234567'

  it('reads key=value lines, keeping = in values', () => {
    expect(parseLogOptions('Retry_Limit=2\n\n# comment\nheader=X-Tag=a=b\r\n')).toEqual([
      ['Retry_Limit', '2'],
      ['header', 'X-Tag=a=b']
    ])
  })

  it('takes every name the router accepts, in any case', () => {
    const text = ROUTER_OPTIONS.filter(
      n => !/^(name|host|tls|apikey|match|match_regex|dd_service|dd_source|dd_tags)$/i.test(n)
    )
      // A value of each name's type that the router reads (option-values.ts judges values).
      .map(
        (n, i) =>
          `${i % 2 ? n.toUpperCase() : n}=${SAMPLE_VALUES.find(v => optionValueProblem(n, v)?.severity !== 'error' && !optionProblem(n, v))}`
      )
      .join('\n')
    expect(parseLogOptions(text)).toHaveLength(ROUTER_OPTIONS.length - 9)
  })

  it.each([
    ['Host=http-intake.logs.datadoghq.com', 'Host', /set `site` instead/],
    ['tls=off', 'TLS', /always on/],
    ['Name=cloudwatch', 'Name', /always datadog/],
    ['APIKEY=x', 'apikey', /api-key-secret/],
    ['Match=*', 'Match', /Match <container>-firelens\*/],
    ['match_regex=.*', 'Match_Regex', /other containers' logs/],
    ['dd_service=web', 'dd_service', /`service` input/],
    ['DD_SOURCE=python', 'dd_source', /`source` input/],
    ['dd_tags=team:a', 'dd_tags', /`tags` input/]
  ])('refuses %j, which FireLens or the action controls, pointing at what to use', (line, name, hint) => {
    const text = userErrorText(() => parseLogOptions(`Retry_Limit=2\n${line}`))
    expect(text).toMatch(
      new RegExp(`^Input \`log-options\` line 2 sets ${name}, which (this action|FireLens) controls\\.`)
    )
    expect(text).toMatch(hint)
  })

  it.each([
    ['Retry_Limt=2', 'Retry_Limit'],
    ['dd_host=web', 'dd_hostname'],
    ['Compres=gzip', 'compress'],
    ['retry-limit=2', 'Retry_Limit']
  ])('refuses the unknown option in %j, naming the closest valid one', (line, closest) => {
    const text = userErrorText(() => parseLogOptions(line))
    expect(text).toMatch(/line 1 sets ".+", which is not an option of Fluent Bit's datadog output/)
    expect(text).toContain(`Did you mean ${closest}?`)
  })

  it.each(['tls.verify=off', 'TLS.VERIFY=False', 'tls.verify=no', 'tls.verify=0', 'tls.verify_hostname=off'])(
    'refuses %j: the API key would go to whoever intercepts the connection',
    line => {
      expect(userErrorText(() => parseLogOptions(line))).toMatch(/whoever intercepts the connection/)
    }
  )

  it.each([
    ['api_key', `api_key=${KEY}`],
    ['header', `header=DD-API-KEY: ${KEY}`],
    ['an application key', `dd_hostname=${APP_KEY}`],
    ['a malformed line', `apikey: ${KEY}`],
    ['upper case', `Retry_Limit=${KEY.toUpperCase()}`],
    ['a comment', `# apikey=${KEY}`]
  ])('refuses a key-like value (%s) without quoting the line', (_what, line) => {
    const text = userErrorText(() => parseLogOptions(`Retry_Limit=2\n${line}`))
    expect(text).toMatch(/line 2 holds what looks like a Datadog API or application key/)
    expect(text).not.toContain(KEY)
    expect(text).not.toContain(KEY.toUpperCase())
    expect(text).not.toContain(APP_KEY)
    expect(logOptionsSecrets(`Retry_Limit=2\n${line}`)).toEqual([
      expect.stringMatching(/^[0-9a-f]{32}([0-9a-f]{8})?$/i)
    ])
  })

  it('keeps the checks of the form, control characters and empty values', () => {
    expect(userErrorText(() => parseLogOptions('Retry_Limit=2\nnot an option'))).toMatch(/line 2 .*not key=value/)
    expect(userErrorText(() => parseLogOptions('Retry_Limit=a\tb'))).toMatch(/control character \(U\+0009\)/)
    expect(userErrorText(() => parseLogOptions('Retry_Limit='))).toMatch(/empty value/)
    expect(userErrorText(() => parseLogOptions('Retry Limit=2'))).toMatch(/not a Fluent Bit option name/)
  })

  it('masks only key-like runs of exactly 32 or 40 hex characters', () => {
    expect(logOptionsSecrets(`a=${KEY}\nb=${KEY}\nc=${APP_KEY}`)).toEqual([KEY, APP_KEY])
    expect(logOptionsSecrets(`a=${'a'.repeat(64)}\nb=${KEY.slice(1)}\nc=Retry_Limit`)).toEqual([])
  })
})

describe('service, env and version become tag values', () => {
  it.each([
    ['service', 'check out'],
    ['service', 'web,api'],
    ['env', 'pr od'],
    ['version', '1.2,3']
  ])('refuses %s %j, which contains a space or comma', (name, value) => {
    expect(userErrorText(() => config({ [name]: value }))).toMatch(
      new RegExp(`^Input \`${name}\` is ".*", which contains a space or comma\\.`)
    )
  })
})

describe('log-options, property-based', () => {
  // Lines made of what users write: valid names in any case, near misses, reserved names, noise, key-like values.
  const name = fc.oneof(
    fc.constantFrom(...ROUTER_OPTIONS).chain(n => fc.constantFrom(n, n.toUpperCase(), n.toLowerCase())),
    fc.constantFrom(...ROUTER_OPTIONS).map(n => n.slice(0, -1)),
    fc.constantFrom(...ROUTER_OPTIONS).map(n => `${n}x`),
    fc.constantFrom('dd_host', 'Retry_Limt', 'retry-limit', 'Name', 'Match', 'Match_Regex', 'apikey', 'api_key'),
    fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/)
  )
  const value = fc.oneof(
    fc.constantFrom('on', 'off', 'true', 'false', 'no', '0', '2', 'gzip', '', ' ', 'a=b'),
    fc.constantFrom('f00dfeedf00dfeedf00dfeedf00dfeed', '0123456789abcdef0123456789abcdef01234567'),
    fc.string({ maxLength: 12 })
  )
  const line = fc.oneof(
    fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
    fc.tuple(name, value).map(([n, v]) => `${n}: ${v}`),
    fc.constantFrom('', '# comment', '   ')
  )
  const text = fc.array(line, { maxLength: 6 }).map(lines => lines.join('\n'))

  it('any log-options text is refused, or yields only option names the router accepts', () => {
    fc.assert(
      fc.property(text, logOptions => {
        let c: ActionConfig
        try {
          c = config({ 'log-options': logOptions })
        } catch (error) {
          if (!(error instanceof UserError)) throw error
          return
        }
        const options = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), c.patch).taskDefinition
          .containerDefinitions[0]!.logConfiguration!.options!
        for (const [key, v] of Object.entries(options)) {
          expect(routerOptionName(key)).toBeDefined()
          expect(key.toLowerCase()).not.toMatch(/^match(_regex)?$/)
          if (/^tls\.verify/i.test(key)) expect(v).toMatch(/^(on|true)$/i)
          expect(v).not.toMatch(/(?<![0-9a-f])([0-9a-f]{32}|[0-9a-f]{40})(?![0-9a-f])/i)
        }
        expect(options).toMatchObject({ Name: 'datadog', TLS: 'on', Host: 'http-intake.logs.ap1.datadoghq.com' })
      }),
      { numRuns: 500 }
    )
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
          if (!(error instanceof UserError)) throw error
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

describe('every input error at once', () => {
  const errorsOf = (fn: () => unknown): string[] => {
    try {
      fn()
    } catch (error) {
      if (error instanceof UserError) return userErrorsOf(error).map(e => e.message)
      throw error
    }
    return []
  }

  it('reports each bad line of log-options, in order, in one run', () => {
    const messages = errorsOf(() => parseLogOptions('Retry_Limt=2\nLog_Level=verbose\nnot an option\ncompress=gzip'))
    expect(messages).toHaveLength(3)
    expect(messages[0]).toMatch(/^Input `log-options` line 1 sets "Retry_Limt"/)
    expect(messages[1]).toMatch(/^Input `log-options` line 2 sets Log_Level to "verbose"/)
    expect(messages[2]).toMatch(/^Input `log-options` line 3 is "not an option"/)
  })

  it('reports a bad site, a pasted key and a bad option together, without the key', () => {
    const key = 'f00dfeedf00dfeedf00dfeedf00dfeed'
    const messages = errorsOf(() =>
      config({ site: 'eu', 'api-key-secret': key, 'log-options': 'retry_limt=2', 'log-router-memory': 'lots' })
    )
    expect(messages).toHaveLength(4)
    expect(messages.join('\n')).toMatch(/`site` is "eu"/)
    expect(messages.join('\n')).toMatch(/api-key-secret` looks like a Datadog API key/)
    expect(messages.join('\n')).toMatch(/line 1 sets "retry_limt"/)
    expect(messages.join('\n')).toMatch(/log-router-memory/)
    expect(messages.join('\n')).not.toContain(key)
  })

  it('finds as many errors as there are independent bad inputs', () => {
    const bad: Record<string, string> = {
      site: 'nowhere',
      service: 'a b',
      env: 'x,y',
      agent: 'maybe',
      register: 'yes please',
      'log-router-name': 'bad name!',
      'log-router-memory': '-1',
      tags: 'no-colon'
    }
    fc.assert(
      fc.property(fc.subarray(Object.keys(bad), { minLength: 1 }), names => {
        const inputs = Object.fromEntries(names.map(n => [n, bad[n]!]))
        expect(errorsOf(() => config(inputs))).toHaveLength(names.length)
      })
    )
  })

  it('writes a header as the router reads it, with a notice, and warns about a value the router misreads', () => {
    const read = readLogOptions('header=X-Team: payments\nRetry_Limit=true\noauth2.enable=true')
    expect(read.options).toEqual([
      ['header', 'X-Team payments'],
      ['Retry_Limit', 'true'],
      ['oauth2.enable', 'true']
    ])
    expect(read.notices).toEqual([expect.stringMatching(/line 1 sets header as "Name: value".*"X-Team payments"/)])
    expect(read.warnings).toEqual([
      expect.stringMatching(/line 2 sets Retry_Limit to "true", which the log router does not read/),
      expect.stringMatching(/line 3 sets oauth2.enable, which the log router accepts .* does nothing/)
    ])
  })

  it('refuses tls.key_file without tls.crt_file at the line of the key', () => {
    expect(errorsOf(() => parseLogOptions('Retry_Limit=2\ntls.key_file=/certs/k.pem'))).toEqual([
      expect.stringMatching(/^Input `log-options` line 2 sets tls.key_file without tls.crt_file/)
    ])
  })
})

describe('the whole-logs inputs', () => {
  it('are off by default', () => {
    expect(config().patch.wholeLogs).toEqual({ multiline: { containers: [] }, waitForRouter: false, grace: undefined })
  })

  it('read multiline per container, wait-for-router as a boolean, log-router-grace as seconds', () => {
    const whole = config({ multiline: 'partial, web=java', 'wait-for-router': 'true', 'log-router-grace': '60' }).patch
      .wholeLogs
    expect(whole).toEqual({
      multiline: { all: 'partial', containers: [['web', 'java']] },
      waitForRouter: true,
      grace: 60
    })
  })

  it('refuses a grace Fargate could not give the router, and a multiline value that is none', () => {
    for (const grace of ['0', '116', '30s', '-1']) {
      expect(userErrorText(() => config({ 'log-router-grace': grace }))).toMatch(/from 1 to 115/)
    }
    expect(userErrorText(() => config({ multiline: 'on' }))).toMatch(/Input `multiline` is "on"/)
    expect(userErrorText(() => config({ 'wait-for-router': 'yes' }))).toMatch(/not a boolean/)
  })
})
