import { describe, expect, it } from '@jest/globals'
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { ECS_ROOT_SHAPE } from '../../../src/core/definition/ecs-shape.generated.js'
import {
  conformToEcsModel,
  describeKind,
  formatConversions,
  memberKind,
  requestAsSent
} from '../../../src/core/definition/member-types.js'
import { parseTaskDefinition } from '../../../src/core/definition/task-definition.js'

const FIXTURES = new URL('../../../__fixtures__/task-definitions/', import.meta.url)
const fixture = (name: string): Record<string, unknown> =>
  parseTaskDefinition(readFileSync(new URL(name, FIXTURES), 'utf8'), name, parseDocument).taskDefinition

/** Arbitrary values of a member kind, valid or not (`wrong` mixes in values of other types). */
function valueOf(kind: string, wrong: boolean, depth = 0): fc.Arbitrary<unknown> {
  const shape = memberKind(kind)
  const any = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}))
  const valid = ((): fc.Arbitrary<unknown> => {
    switch (shape.type) {
      case 'string':
        return fc.string({ maxLength: 6 })
      case 'number':
        return fc.integer()
      case 'boolean':
        return fc.boolean()
      case 'timestamp':
        return fc.integer({ min: 0 })
      case 'list':
        return depth > 3 ? fc.constant([]) : fc.array(valueOf(shape.element, wrong, depth + 1), { maxLength: 2 })
      case 'map':
        return fc.dictionary(fc.string({ maxLength: 4 }), valueOf(shape.value, wrong, depth + 1), { maxKeys: 2 })
      case 'structure':
        return depth > 3
          ? fc.constant({})
          : fc.record(
              Object.fromEntries(Object.entries(shape.members).map(([n, k]) => [n, valueOf(k, wrong, depth + 1)])),
              { requiredKeys: [] }
            )
    }
  })()
  return wrong ? fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 }) : valid
}

/** Whether `value` has the type of `kind` everywhere (an independent reading of the table). */
function conforms(value: unknown, kind: string): boolean {
  const shape = memberKind(kind)
  switch (shape.type) {
    case 'string':
      return typeof value === 'string'
    case 'number':
      return Number.isSafeInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'timestamp':
      return typeof value === 'string' || typeof value === 'number'
    case 'list':
      return Array.isArray(value) && value.every(item => conforms(item, shape.element))
    case 'map':
      return isObject(value) && Object.values(value).every(item => conforms(item, shape.value))
    case 'structure':
      return (
        isObject(value) &&
        Object.entries(value).every(([k, v]) => !Object.hasOwn(shape.members, k) || conforms(v, shape.members[k]!))
      )
  }
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

describe('conformToEcsModel', () => {
  it.each(readdirSync(FIXTURES).filter(f => f.endsWith('.json')))('leaves the valid fixture %s as it is', name => {
    const request = fixture(name)
    expect(conformToEcsModel(request)).toEqual({ request, conversions: [], mismatches: [] })
  })

  it('changes nothing in a request built from the model (property)', () => {
    fc.assert(
      fc.property(valueOf(ECS_ROOT_SHAPE, false), request => {
        const result = conformToEcsModel(request as Record<string, unknown>)
        expect(result.mismatches).toEqual([])
        expect(result.conversions).toEqual([])
        expect(result.request).toEqual(request)
      })
    )
  })

  it('either reports a mismatch or returns a request of the right types everywhere (property)', () => {
    fc.assert(
      fc.property(valueOf(ECS_ROOT_SHAPE, true), request => {
        const result = conformToEcsModel(request as Record<string, unknown>)
        if (result.mismatches.length === 0) expect(conforms(result.request, ECS_ROOT_SHAPE)).toBe(true)
        for (const m of result.mismatches) expect(m.wanted).not.toBe('')
        // Only numbers and booleans become strings; everything else of the wrong type is a mismatch.
        for (const c of result.conversions) expect(['number', 'boolean']).toContain(c.from)
      }),
      { numRuns: 300 }
    )
  })

  it('does not modify its input', () => {
    const request = { family: 'web', cpu: 256, containerDefinitions: [{ name: 'web' }] }
    const copy = structuredClone(request)
    conformToEcsModel(request)
    expect(request).toEqual(copy)
  })
})

describe('describeKind', () => {
  it.each([
    ['string', 'a string'],
    ['number', 'a whole number'],
    ['boolean', 'true or false'],
    ['string[]', 'a list of strings'],
    ['Secret[]', 'a list of objects (Secret)'],
    ['map<string>', 'an object of strings (name: value)'],
    ['LogConfiguration', 'an object (LogConfiguration)']
  ])('calls %s %j', (kind, words) => {
    expect(describeKind(kind)).toBe(words)
  })

  it('fails loudly on a kind the table does not define (a generator bug, not an input error)', () => {
    expect(() => memberKind('NoSuchShape')).toThrow(/ecs-shape.generated.ts has no shape NoSuchShape/)
  })
})

describe('formatConversions', () => {
  it('names each path and what it was, never the value', () => {
    const text = formatConversions([
      { path: 'cpu', written: '256', from: 'number' },
      { path: 'containerDefinitions[web].environment[PIN].value', written: '123456', from: 'number' }
    ])
    expect(text).toContain('cpu (number), containerDefinitions[web].environment[PIN].value (number)')
    expect(text).not.toContain('123456')
    expect(text).toMatch(/Quote them in the file/)
  })

  it('lists at most ten', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ path: `p${i}`, written: '1', from: 'number' as const }))
    expect(formatConversions(many)).toContain('p9 (number), and 2 more')
  })
})

describe('requestAsSent: the size ECS measures', () => {
  /** The body the AWS SDK would send for RegisterTaskDefinition. */
  async function sdkBody(request: Record<string, unknown>): Promise<string> {
    let body: unknown
    const client = new ECSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: (req: { body?: unknown }) => {
          body = req.body
          return Promise.reject(new Error('captured'))
        }
      }
    })
    await expect(client.send(new RegisterTaskDefinitionCommand(request as never))).rejects.toThrow('captured')
    return typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array)
  }

  it.each(readdirSync(FIXTURES).filter(f => f.endsWith('.json')))(
    'has the length of the body the AWS SDK sends for %s',
    async name => {
      const request = fixture(name)
      expect(requestAsSent(request).length).toBe((await sdkBody(request)).length)
    }
  )

  it('leaves out keys the SDK drops, counting multi-byte characters as the SDK sends them', async () => {
    const request = {
      ...fixture('fargate-web.json'),
      Secrets: [{ name: 'x'.repeat(500) }],
      containerDefinitions: [
        { name: 'web', image: 'nginx', logconfiguration: {}, environment: [{ name: 'É', value: '€😀' }] }
      ]
    }
    const sent = await sdkBody(request)
    expect(new TextEncoder().encode(requestAsSent(request)).length).toBe(new TextEncoder().encode(sent).length)
    expect(requestAsSent(request)).not.toContain('Secrets')
  })

  it('matches the SDK for requests built from the model (property)', async () => {
    await fc.assert(
      fc.asyncProperty(valueOf(ECS_ROOT_SHAPE, false), async request => {
        const r = request as Record<string, unknown>
        expect(requestAsSent(r).length).toBe((await sdkBody(r)).length)
      }),
      { numRuns: 30 }
    )
  })
})
