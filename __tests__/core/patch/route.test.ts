import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { exampleTaskDefinition, patchConfig } from '../../../__fixtures__/patch-config.js'
import type { PatchConfig } from '../../../src/core/patch/config.js'
import { OptionMap } from '../../../src/core/patch/options.js'
import { patchTaskDefinition } from '../../../src/core/patch/patch-task-definition.js'
import { resolveSite } from '../../../src/core/sites.js'
import { tagCountWarning } from '../../../src/core/patch/route.js'
import {
  serializeTaskDefinition,
  type ContainerDefinition,
  type TaskDefinition
} from '../../../src/core/definition/task-definition.js'

const routed = (options: Record<string, string>): TaskDefinition => {
  const td = exampleTaskDefinition('already-routed.json')
  td.containerDefinitions[0]!.logConfiguration!.options = { Name: 'datadog', ...options }
  return td
}
const apiOptions = (td: TaskDefinition): Record<string, string> =>
  td.containerDefinitions[0]!.logConfiguration!.options!
const namesOf = (options: Record<string, string>, name: string): string[] =>
  Object.keys(options).filter(k => k.toLowerCase() === name.toLowerCase())
const twice = (td: TaskDefinition, config: PatchConfig): [string, string] => {
  const once = serializeTaskDefinition(patchTaskDefinition(td, config).taskDefinition)
  const again = serializeTaskDefinition(patchTaskDefinition(JSON.parse(once) as TaskDefinition, config).taskDefinition)
  return [once, again]
}

describe('option names are case-insensitive', () => {
  it('leaves exactly one Host and one TLS, with the action values, whatever spellings were there', () => {
    const { taskDefinition } = patchTaskDefinition(
      routed({ host: 'http-intake.logs.datadoghq.com', HOST: 'x', tls: 'off', TLS: 'on', Tls: 'off' }),
      patchConfig()
    )
    const options = apiOptions(taskDefinition)
    expect(namesOf(options, 'host')).toEqual(['Host'])
    expect(namesOf(options, 'tls')).toEqual(['TLS'])
    expect(options.Host).toBe('http-intake.logs.ap1.datadoghq.com')
    expect(options.TLS).toBe('on')
  })

  it("keeps the user's spelling and value of an option the action only defaults", () => {
    const options = apiOptions(
      patchTaskDefinition(routed({ Compress: 'none', DD_MESSAGE_KEY: 'msg', Provider: 'ecs' }), patchConfig())
        .taskDefinition
    )
    expect(options).toMatchObject({ Compress: 'none', DD_MESSAGE_KEY: 'msg', Provider: 'ecs' })
    for (const name of ['compress', 'dd_message_key', 'provider']) expect(namesOf(options, name)).toHaveLength(1)
  })

  it('warns when two spellings of one option disagree, without printing the values', () => {
    const { warnings } = patchTaskDefinition(
      routed({ proxy: 'http://a:secret@p1', Proxy: 'http://b:secret@p2' }),
      patchConfig()
    )
    expect(warnings).toContainEqual(
      expect.stringMatching(/^api: logConfiguration\.options wrote proxy 2 ways.*\(proxy, Proxy\)/)
    )
    expect(warnings.join()).not.toContain('secret')
  })

  it('is byte-identical on a second run with DD_SOURCE=java and Retry_Limit=2 in log-options', () => {
    const config = patchConfig({
      tags: [{ key: 'env', value: 'prod' }],
      logOptions: [
        ['DD_SOURCE', 'java'],
        ['Retry_Limit', '2']
      ]
    })
    for (const td of [exampleTaskDefinition('fargate-web.json'), exampleTaskDefinition('already-routed.json')]) {
      const [once, again] = twice(td, config)
      expect(again).toBe(once)
      const options = (JSON.parse(once) as TaskDefinition).containerDefinitions[0]!.logConfiguration!.options!
      expect(namesOf(options, 'dd_source')).toEqual(['DD_SOURCE'])
      expect(namesOf(options, 'retry_limit')).toEqual(['Retry_Limit'])
    }
  })
})

describe('retry_limit', () => {
  it('is 2 on every routed container by default, as Datadog sets it', () => {
    const options = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), patchConfig()).taskDefinition
      .containerDefinitions[0]!.logConfiguration!.options!
    expect(options.retry_limit).toBe('2')
  })

  it.each([['Retry_Limit'], ['RETRY_LIMIT'], ['retry_limit']])('keeps a container that sets %s already', key => {
    const options = apiOptions(patchTaskDefinition(routed({ [key]: 'no_limits' }), patchConfig()).taskDefinition)
    expect(namesOf(options, 'retry_limit')).toEqual([key])
    expect(options[key]).toBe('no_limits')
  })

  it('is overridden by log-options', () => {
    const options = apiOptions(
      patchTaskDefinition(routed({ Retry_Limit: '5' }), patchConfig({ logOptions: [['retry_limit', '8']] }))
        .taskDefinition
    )
    expect(namesOf(options, 'retry_limit')).toEqual(['retry_limit'])
    expect(options.retry_limit).toBe('8')
  })
})

describe('containers left out by `containers` that already send to Datadog', () => {
  const withLeftOut = (options: Record<string, string>): TaskDefinition => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions.push({
      name: 'legacy',
      image: 'legacy:1',
      logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'datadog', ...options } }
    })
    return td
  }
  const warningsFor = (options: Record<string, string>, site = 'ap1'): string[] =>
    patchTaskDefinition(
      withLeftOut(options),
      patchConfig({ containers: ['web'], site: resolveSite(site) })
    ).warnings.filter(w => w.startsWith('legacy:'))

  it('are left as they were', () => {
    const td = withLeftOut({ Host: 'http-intake.logs.datadoghq.com', TLS: 'off' })
    const { taskDefinition } = patchTaskDefinition(td, patchConfig({ containers: ['web'] }))
    expect(taskDefinition.containerDefinitions[1]).toEqual(td.containerDefinitions[1])
  })

  it("get a warning naming the container and the fix when they send to another site's host", () => {
    expect(warningsFor({ host: 'http-intake.logs.datadoghq.eu', TLS: 'on' })).toEqual([
      expect.stringMatching(
        /^legacy: not routed by this run \(left out by `containers`\).*at http-intake\.logs\.datadoghq\.eu, not at http-intake\.logs\.ap1\.datadoghq\.com \(AP1\).*Add it to `containers`, or fix .*Host http-intake\.logs\.ap1\.datadoghq\.com/
      )
    ])
    expect(warningsFor({ TLS: 'on' }).join()).toMatch(/no Host set: the US1 default/)
    expect(warningsFor({ TLS: 'on' }, 'us1')).toEqual([])
    expect(warningsFor({ HOST: 'HTTP-INTAKE.LOGS.AP1.DATADOGHQ.COM', tls: 'On' })).toEqual([])
  })

  it.each([[{}], [{ TLS: 'off' }], [{ tls: 'false' }]])('get a warning when TLS is off: %j', options => {
    expect(warningsFor({ Host: 'http-intake.logs.ap1.datadoghq.com', ...options })).toEqual([
      expect.stringMatching(/^legacy: .* with TLS (unset|").*unencrypted.*TLS on\.$/)
    ])
  })

  it('get a warning when an option is written twice', () => {
    expect(warningsFor({ Host: 'http-intake.logs.ap1.datadoghq.com', TLS: 'on', tls: 'off' }).join()).toMatch(
      /written 2 ways \(TLS, tls\)/
    )
  })

  it('that do not send to Datadog get none', () => {
    const td = exampleTaskDefinition('fargate-web.json')
    td.containerDefinitions.push({
      name: 'legacy',
      image: 'l',
      logConfiguration: { logDriver: 'awslogs', options: {} }
    })
    expect(patchTaskDefinition(td, patchConfig({ containers: ['web'] })).warnings).toEqual([])
  })
})

// Properties over options written with arbitrary key case.
const KNOWN = [
  'Name',
  'Host',
  'TLS',
  'apikey',
  'compress',
  'provider',
  'dd_message_key',
  'dd_service',
  'dd_source',
  'dd_tags',
  'retry_limit'
]
const randomCase = (name: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map(flags => [...name].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''))
const optionName = fc.oneof(
  fc.constantFrom(...KNOWN, 'Match', 'json_date_key', 'proxy').chain(randomCase),
  fc.stringMatching(/^[a-z][a-z_]{0,6}$/)
)
const value = fc.stringMatching(/^[a-z0-9:.]{1,10}$/)
const existingOptions = fc.array(fc.tuple(optionName, value), { maxLength: 8 }).map(entries => {
  const options: Record<string, string> = {}
  for (const [key, v] of entries) options[key] = v
  return options
})
const logOptions = fc
  .uniqueArray(fc.tuple(optionName, value), { selector: ([k]) => k.toLowerCase(), maxLength: 4 })
  .map(list => list.filter(([k]) => !['name', 'host', 'tls', 'apikey'].includes(k.toLowerCase())))
const containerArb = fc.record({
  driver: fc.constantFrom('awsfirelens', 'awslogs'),
  outputName: fc.constantFrom('datadog', 'DataDog', 'cloudwatch').chain(randomCase),
  nameKey: randomCase('Name'),
  options: existingOptions
})
const taskArb = fc.array(containerArb, { minLength: 1, maxLength: 3 }).map((list): TaskDefinition => ({
  family: 'shop',
  executionRoleArn: 'arn:aws:iam::1:role/x',
  networkMode: 'awsvpc',
  containerDefinitions: list.map((c, i): ContainerDefinition => ({
    name: `app${i}`,
    image: 'app:1',
    logConfiguration: { logDriver: c.driver, options: { ...c.options, [c.nameKey]: c.outputName } }
  }))
}))
const configArb = fc
  .record({
    logOptions,
    service: fc.option(fc.constantFrom('checkout', 'web'), { nil: undefined }),
    source: fc.option(fc.constantFrom('java', 'python'), { nil: undefined }),
    tags: fc.array(fc.record({ key: fc.constantFrom('env', 'team', 'Team'), value }), { maxLength: 3 })
  })
  .map(c => patchConfig(c))

describe('properties, for any existing options in any key case', () => {
  it('a routed container has exactly one key per option name and no clear-text key', () => {
    fc.assert(
      fc.property(taskArb, configArb, (td, config) => {
        const { taskDefinition } = patchTaskDefinition(td, config)
        for (const c of taskDefinition.containerDefinitions.filter(x => !x.firelensConfiguration)) {
          const keys = Object.keys(c.logConfiguration!.options!).map(k => k.toLowerCase())
          expect(new Set(keys).size).toBe(keys.length)
          expect(keys).not.toContain('apikey')
          expect(OptionMap.fromRecord(c.logConfiguration!.options).get('host')).toBe(
            'http-intake.logs.ap1.datadoghq.com'
          )
          expect(c.logConfiguration!.options!.TLS).toBe('on')
        }
      })
    )
  })

  it('log-options win, under their own spelling, over any existing spelling', () => {
    fc.assert(
      fc.property(taskArb, configArb, (td, config) => {
        const { taskDefinition } = patchTaskDefinition(td, config)
        for (const c of taskDefinition.containerDefinitions.filter(x => !x.firelensConfiguration)) {
          for (const [key, v] of config.logOptions) {
            expect(namesOf(c.logConfiguration!.options!, key)).toEqual([key])
            expect(c.logConfiguration!.options![key]).toBe(v)
          }
        }
      })
    )
  })

  it('a second run is byte-identical', () => {
    fc.assert(
      fc.property(taskArb, configArb, (td, config) => {
        const [once, again] = twice(td, config)
        expect(again).toBe(once)
      }),
      { numRuns: 300 }
    )
  })

  it('a second run is byte-identical with dd_source and retry_limit in log-options, in any case', () => {
    fc.assert(
      fc.property(taskArb, randomCase('dd_source'), randomCase('retry_limit'), value, (td, source, retry, v) => {
        const config = patchConfig({
          tags: [{ key: 'env', value: 'prod' }],
          logOptions: [
            [source, v],
            [retry, '2']
          ]
        })
        const [once, again] = twice(td, config)
        expect(again).toBe(once)
      })
    )
  })
})

describe('more tags than Datadog keeps on a log', () => {
  it('warns past 100, counting the 8 the router adds with provider ecs', () => {
    expect(tagCountWarning('web', 92, true)).toBeUndefined()
    expect(tagCountWarning('web', 93, true)).toMatch(/^web: its logs would carry 101 tags \(93 in dd_tags and about 8/)
    expect(tagCountWarning('web', 100, false)).toBeUndefined()
    expect(tagCountWarning('web', 101, false)).toMatch(/101 tags \(101 in dd_tags\)/)
  })

  it('says so when a run routes a container with 150 tags', () => {
    const tags = Array.from({ length: 150 }, (_, i) => ({ key: `k${i}`, value: 'v' }))
    const { warnings } = patchTaskDefinition(exampleTaskDefinition('fargate-web.json'), patchConfig({ tags }))
    expect(warnings).toContainEqual(expect.stringMatching(/158 tags \(150 in dd_tags and about 8 the router adds/))
  })
})
