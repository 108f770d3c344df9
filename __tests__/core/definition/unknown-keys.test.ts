import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { ECS_ROOT_SHAPE, ECS_SHAPES } from '../../../src/core/definition/ecs-shape.generated.js'
import { findUnknownKeys, formatUnknownKey } from '../../../src/core/definition/unknown-keys.js'
import { READ_ONLY_KEYS, parseTaskDefinition } from '../../../src/core/definition/task-definition.js'
import { parseDocument } from 'yaml'

const FIXTURES = new URL('../../../__fixtures__/task-definitions/', import.meta.url)
/** A fixture as the action registers it: describe output unwrapped, read-only keys removed, tags kept. */
function request(file: string): Record<string, unknown> {
  return parseTaskDefinition(readFileSync(new URL(file, FIXTURES), 'utf8'), file, parseDocument).taskDefinition
}

// The tests poke typos into parsed JSON at any depth: a typed view would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const web = (): Record<string, any> => request('fargate-web.json')

describe('findUnknownKeys', () => {
  const files = readdirSync(FIXTURES).filter(file => file.endsWith('.json'))

  it.each(files)('finds nothing in the valid fixture %s', file => {
    expect(findUnknownKeys(request(file))).toEqual([])
  })

  it('finds the read-only keys of a describe output left in', () => {
    const json = JSON.parse(readFileSync(new URL('describe-output.json', FIXTURES), 'utf8'))
    expect(findUnknownKeys(json.taskDefinition).map(u => u.key)).toEqual(
      READ_ONLY_KEYS.filter(key => key in json.taskDefinition)
    )
  })

  it.each([
    ['Secrets', 'containerDefinitions[web].Secrets', 'secrets'],
    ['logconfiguration', 'containerDefinitions[web].logconfiguration', 'logConfiguration'],
    ['memoryReservaton', 'containerDefinitions[web].memoryReservaton', 'memoryReservation'],
    ['log_configuration', 'containerDefinitions[web].log_configuration', 'logConfiguration'],
    ['esential', 'containerDefinitions[web].esential', 'essential'],
    ['helthCehck', 'containerDefinitions[web].helthCehck', 'healthCheck']
  ])('finds %s in a container, by its name, and suggests the member', (key, path, suggestion) => {
    const td = web()
    td.containerDefinitions[0][key] = 1
    expect(findUnknownKeys(td)).toEqual([{ path, key, suggestion }])
  })

  it('finds a key nested in logConfiguration', () => {
    const td = web()
    td.containerDefinitions[0].logConfiguration.secretoptions = [{ name: 'apikey', valueFrom: 'x' }]
    expect(findUnknownKeys(td)).toEqual([
      {
        path: 'containerDefinitions[web].logConfiguration.secretoptions',
        key: 'secretoptions',
        suggestion: 'secretOptions'
      }
    ])
  })

  it('finds a key in a list item without a name by its index', () => {
    const td = web()
    td.containerDefinitions[0].portMappings = [{ containerPort: 80 }, { containerport: 8000 }]
    expect(findUnknownKeys(td)).toEqual([
      {
        path: 'containerDefinitions[web].portMappings[1].containerport',
        key: 'containerport',
        suggestion: 'containerPort'
      }
    ])
  })

  it('finds a key inside a secret, by the secret name', () => {
    const td = web()
    td.containerDefinitions[0].secrets = [{ name: 'DD_API_KEY', valuefrom: 'arn:aws:ssm:us-east-1:1:parameter/k' }]
    expect(findUnknownKeys(td)).toEqual([
      { path: 'containerDefinitions[web].secrets[DD_API_KEY].valuefrom', key: 'valuefrom', suggestion: 'valueFrom' }
    ])
  })

  it('finds top-level keys and keys in runtimePlatform', () => {
    const td = web()
    const { family, ...rest } = td
    const typo = { Family: family, ...rest, runtimePlatform: { operatingsystemFamily: 'LINUX' } }
    expect(findUnknownKeys(typo)).toEqual([
      { path: 'Family', key: 'Family', suggestion: 'family' },
      {
        path: 'runtimePlatform.operatingsystemFamily',
        key: 'operatingsystemFamily',
        suggestion: 'operatingSystemFamily'
      }
    ])
  })

  it('uses the index when a container name is missing, repeated or looks like an index', () => {
    const td = web()
    const container = td.containerDefinitions[0]
    td.containerDefinitions = [
      { ...container, name: 'a', Image: 'x' },
      { ...container, name: 'a', Image: 'x' },
      { ...container, name: '7', Image: 'x' },
      { ...container, name: undefined, Image: 'x' },
      { ...container, name: 'log_router-2', Image: 'x' }
    ]
    expect(findUnknownKeys(td).map(u => u.path)).toEqual([
      'containerDefinitions[0].Image',
      'containerDefinitions[1].Image',
      'containerDefinitions[2].Image',
      'containerDefinitions[3].Image',
      'containerDefinitions[log_router-2].Image'
    ])
  })

  it('quotes keys that are not identifiers', () => {
    expect(findUnknownKeys({ 'log configuration': {}, runtimePlatform: { '': 1 } }).map(u => u.path)).toEqual([
      '["log configuration"]',
      'runtimePlatform[""]'
    ])
  })

  it('suggests nothing when no member is close', () => {
    expect(findUnknownKeys({ somethingElse: 1, xy: 2 })).toEqual([
      { path: 'somethingElse', key: 'somethingElse' },
      { path: 'xy', key: 'xy' }
    ])
  })

  it('never reports keys inside maps', () => {
    const td = web()
    const container = td.containerDefinitions[0]
    container.logConfiguration.options = { Name: 'datadog', dd_tags: 'a:b', logConfiguration: 'x' }
    container.dockerLabels = { 'com.example.Secrets': 'x', family: 'y' }
    container.firelensConfiguration = { type: 'fluentbit', options: { 'enable-ecs-log-metadata': 'true' } }
    td.volumes = [{ name: 'v', dockerVolumeConfiguration: { driverOpts: { Foo: '1' }, labels: { Bar: '2' } } }]
    expect(findUnknownKeys(td)).toEqual([])
  })

  it('leaves values of the wrong type to ECS', () => {
    expect(findUnknownKeys({ containerDefinitions: { name: 'x' }, runtimePlatform: 'LINUX', tags: [1, null] })).toEqual(
      []
    )
    expect(findUnknownKeys(null)).toEqual([])
    expect(findUnknownKeys([{ Family: 'x' }])).toEqual([])
  })

  it('reports an own __proto__ key from JSON.parse', () => {
    expect(findUnknownKeys(JSON.parse('{"family":"x","__proto__":{"a":1}}'))).toEqual([
      { path: '__proto__', key: '__proto__' }
    ])
  })
})

describe('formatUnknownKey', () => {
  it('says where, why, and what was probably meant', () => {
    expect(
      formatUnknownKey({
        path: 'containerDefinitions[web].logconfiguration',
        key: 'logconfiguration',
        suggestion: 'logConfiguration'
      })
    ).toBe(
      'containerDefinitions[web].logconfiguration is not a field ECS knows and would be silently dropped; ' +
        'did you mean "logConfiguration"?'
    )
    expect(formatUnknownKey({ path: 'foo', key: 'foo' })).toBe(
      'foo is not a field ECS knows and would be silently dropped'
    )
  })
})

describe('findUnknownKeys, property-based', () => {
  const scalars: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string(),
    number: fc.integer(),
    boolean: fc.boolean(),
    timestamp: fc.integer({ min: 0 })
  }

  /** Arbitrary valid values of a member kind, from the generated table itself. */
  const cache = new Map<string, fc.Arbitrary<unknown>>()
  function valueOf(kind: string): fc.Arbitrary<unknown> {
    if (Object.hasOwn(scalars, kind)) return scalars[kind]!
    const map = /^map<(.+)>$/.exec(kind)
    if (map) return fc.dictionary(fc.string(), valueOf(map[1]!), { maxKeys: 4 })
    if (kind.endsWith('[]')) return fc.array(valueOf(kind.slice(0, -2)), { maxLength: 3 })
    let arb = cache.get(kind)
    if (arb === undefined) {
      const members = Object.entries(ECS_SHAPES[kind]!)
      arb = fc.record(Object.fromEntries(members.map(([name, k]) => [name, valueOf(k)])), { requiredKeys: [] })
      cache.set(kind, arb)
    }
    return arb
  }
  const validRequest = valueOf(ECS_ROOT_SHAPE)

  /** Every structure in a valid value, with its shape, so a test can add a key to any of them. */
  function structures(value: unknown, kind: string, out: [Record<string, unknown>, string][] = []) {
    if (Object.hasOwn(scalars, kind) || kind.startsWith('map<')) return out
    if (kind.endsWith('[]')) {
      for (const item of value as unknown[]) structures(item, kind.slice(0, -2), out)
      return out
    }
    const object = value as Record<string, unknown>
    out.push([object, kind])
    for (const [key, k] of Object.entries(ECS_SHAPES[kind]!)) if (key in object) structures(object[key], k, out)
    return out
  }

  it('reports nothing in a request built from the shape', () => {
    fc.assert(fc.property(validRequest, request => expect(findUnknownKeys(request)).toEqual([])))
  })

  it('reports a key that is not a member exactly once, wherever it is added', () => {
    const withExtra = validRequest.chain(request => {
      const targets = structures(request, ECS_ROOT_SHAPE)
      return fc.record({
        request: fc.constant(request),
        target: fc.nat(targets.length - 1),
        key: fc.string({ maxLength: 20 })
      })
    })
    fc.assert(
      fc.property(withExtra, ({ request, target, key }) => {
        const copy = structuredClone(request)
        const [object, shape] = structures(copy, ECS_ROOT_SHAPE)[target]!
        fc.pre(!Object.hasOwn(ECS_SHAPES[shape]!, key))
        // defineProperty, so that even `__proto__` becomes an own key as JSON.parse would make it.
        Object.defineProperty(object, key, { value: 'x', enumerable: true, configurable: true, writable: true })
        const found = findUnknownKeys(copy)
        expect(found).toHaveLength(1)
        expect(found[0]!.key).toBe(key)
        expect(found[0]!.path.endsWith(/^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${JSON.stringify(key)}]`)).toBe(true)
        if (found[0]!.suggestion !== undefined)
          expect(Object.hasOwn(ECS_SHAPES[shape]!, found[0]!.suggestion)).toBe(true)
      })
    )
  })
})
