import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { userErrorText } from '../../../__fixtures__/user-error.js'
import { type UserError, userErrorsOf } from '../../../src/core/errors.js'
import {
  READ_ONLY_KEYS,
  looksLikeJson,
  parseTaskDefinition,
  serializeTaskDefinition
} from '../../../src/core/definition/task-definition.js'

const fixture = (name: string): string => readFileSync(`__fixtures__/task-definitions/${name}`, 'utf8')

describe('loading a task definition', () => {
  it('reads the RegisterTaskDefinition shape as it is', () => {
    const loaded = parseTaskDefinition(fixture('fargate-web.json'), 'td.json')
    expect(loaded.taskDefinition).toEqual(JSON.parse(fixture('fargate-web.json')))
    expect(loaded.fromDescribeOutput).toBe(false)
    expect(loaded.stripped).toEqual([])
  })

  it('unwraps describe-task-definition output, strips the read-only keys and carries its tags', () => {
    const loaded = parseTaskDefinition(fixture('describe-output.json'), 'd.json')
    expect(loaded.fromDescribeOutput).toBe(true)
    expect(loaded.stripped.sort()).toEqual([
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'requiresAttributes',
      'revision',
      'status',
      'taskDefinitionArn'
    ])
    for (const key of READ_ONLY_KEYS) expect(loaded.taskDefinition).not.toHaveProperty(key)
    expect(loaded.taskDefinition.tags).toEqual([{ key: 'owner', value: 'platform' }])
    expect(loaded.taskDefinition.family).toBe('worker')
  })

  it('reads YAML, decided by content rather than extension', () => {
    const yaml = fixture('fargate-web.yaml')
    expect(looksLikeJson(yaml)).toBe(false)
    expect(parseTaskDefinition(yaml, 'td.json', parseDocument).taskDefinition).toEqual(
      JSON.parse(fixture('fargate-web.json'))
    )
  })

  it('gives the line and column of a JSON syntax error', () => {
    const text = '{\n  "family": "web",\n  "containerDefinitions": [,]\n}'
    expect(userErrorText(() => parseTaskDefinition(text, 'td.json', parseDocument))).toMatch(
      /td\.json is not valid JSON at line 3, column 28: Unexpected token/
    )
    expect(userErrorText(() => parseTaskDefinition('{"family": "web",\n "a": 1,}', 'td.json'))).toMatch(
      /at line 2, column 9/
    )
  })

  it('gives the line of a YAML syntax error', () => {
    expect(
      userErrorText(() =>
        parseTaskDefinition('family: web\ncontainerDefinitions:\n  - name: [a\n', 't.yaml', parseDocument)
      )
    ).toMatch(/line \d+/)
  })

  it.each([
    ['an empty file', '  \n', /is empty/],
    ['a list', '[1]', /does not hold an object|neither JSON/],
    ['no containerDefinitions', '{"family":"web"}', /no containerDefinitions/],
    ['an empty container list', '{"family":"web","containerDefinitions":[]}', /non-empty list/],
    ['a container without a name', '{"family":"web","containerDefinitions":[{"image":"x"}]}', /has no name/],
    [
      'two containers with one name',
      '{"family":"web","containerDefinitions":[{"name":"a"},{"name":"a"}]}',
      /Two containers/
    ],
    ['no family', '{"containerDefinitions":[{"name":"a"}]}', /has no "family"/],
    [
      'a family that is not a string',
      '{"family":["web"],"containerDefinitions":[{"name":"a"}]}',
      /In td\.json, family is a list, but ECS wants a string\./
    ],
    [
      'a family name ECS would refuse (and that could leave the output folder)',
      '{"family":"../web","containerDefinitions":[{"name":"a"}]}',
      /not a valid ECS family name/
    ],
    [
      'a logConfiguration that is not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":"awslogs"}]}',
      /containerDefinitions\[a\]\.logConfiguration is a string, but ECS wants an object \(LogConfiguration\)/
    ],
    [
      'an environment that is not a list',
      '{"family":"web","containerDefinitions":[{"name":"a","environment":"A=1"}]}',
      /containerDefinitions\[a\]\.environment is a string, but ECS wants a list of objects/
    ],
    [
      'secretOptions that are not a list',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":{"logDriver":"awsfirelens","secretOptions":{}}}]}',
      /containerDefinitions\[a\]\.logConfiguration\.secretOptions is an object, but ECS wants a list of objects/
    ],
    [
      'log options that are not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":{"logDriver":"awslogs","options":"x"}}]}',
      /containerDefinitions\[a\]\.logConfiguration\.options is a string, but ECS wants an object of strings/
    ],
    [
      'dockerLabels that are not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","dockerLabels":["x"]}]}',
      /containerDefinitions\[a\]\.dockerLabels is a list, but ECS wants an object of strings/
    ],
    [
      'YAML aliases that expand too far',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      /YAML aliases \(\*name\) that expand out of all proportion/
    ]
  ])('refuses %s', (_what, text, pattern) => {
    expect(userErrorText(() => parseTaskDefinition(text, 'td.json', parseDocument))).toMatch(pattern)
  })

  it.each([
    ['a space', 'my app'],
    ['a dot', 'web.v2'],
    ['a slash', 'a/b'],
    ['a backtick and a pipe', 'a`|b'],
    ['256 characters', 'a'.repeat(256)]
  ])('refuses a container name with %s, as ECS would', (_what, name) => {
    const text = JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'ok' }, { name }] })
    expect(userErrorText(() => parseTaskDefinition(text, 'td.json'))).toMatch(
      /^containerDefinitions\[1\] in td\.json is named ".*", which ECS does not accept as a container name\.\nUse up to 255 letters, digits, hyphens and underscores/
    )
  })

  it('takes container names of letters, digits, hyphens and underscores up to 255', () => {
    const name = `A-z_0${'9'.repeat(250)}`
    const text = JSON.stringify({ family: 'web', containerDefinitions: [{ name }] })
    expect(parseTaskDefinition(text, 'td.json').taskDefinition.containerDefinitions[0]!.name).toBe(name)
  })

  it('serializes as 2-space JSON with a final newline, stable across a round trip', () => {
    const td = parseTaskDefinition(fixture('fargate-web.json'), 'td.json').taskDefinition
    const text = serializeTaskDefinition(td)
    expect(text.endsWith('}\n')).toBe(true)
    expect(serializeTaskDefinition(parseTaskDefinition(text, 'x').taskDefinition)).toBe(text)
  })
})

describe('null members are absent', () => {
  it('drops "logConfiguration": null and every other null member or list item, at any depth', () => {
    const text = JSON.stringify({
      family: 'web',
      taskRoleArn: null,
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx',
          logConfiguration: null,
          environment: [null, { name: 'A', value: null }],
          dockerLabels: { a: null, b: 'x' }
        }
      ],
      tags: null
    })
    expect(parseTaskDefinition(text, 'td.json').taskDefinition).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'web', image: 'nginx', environment: [{ name: 'A' }], dockerLabels: { b: 'x' } }]
    })
  })

  it('reads an empty YAML value as absent', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: web\n    logConfiguration:\n'
    expect(parseTaskDefinition(yaml, 't.yaml', parseDocument).taskDefinition.containerDefinitions[0]).toEqual({
      name: 'web'
    })
  })
})

describe('read-only keys of describe output', () => {
  it('strips deleteRequestedAt like the other read-only keys, in a plain file or in describe output', () => {
    const td = { family: 'web', containerDefinitions: [{ name: 'web' }], deleteRequestedAt: '2026-10-01T00:00:00Z' }
    expect(parseTaskDefinition(JSON.stringify(td), 'td.json')).toMatchObject({
      taskDefinition: { family: 'web', containerDefinitions: [{ name: 'web' }] },
      stripped: ['deleteRequestedAt']
    })
    const wrapped = parseTaskDefinition(JSON.stringify({ taskDefinition: { ...td, revision: 3 } }), 'd.json')
    expect(wrapped.stripped.sort()).toEqual(['deleteRequestedAt', 'revision'])
    expect(wrapped.taskDefinition).not.toHaveProperty('deleteRequestedAt')
  })
})

describe('types against the ECS model', () => {
  const load = (td: unknown) => parseTaskDefinition(JSON.stringify(td), 'td.json')

  it('turns numbers and booleans into the strings ECS wants, and lists where', () => {
    const loaded = load({
      family: 'web',
      cpu: 256,
      memory: 512,
      containerDefinitions: [
        {
          name: 'web',
          environment: [{ name: 'DEBUG', value: true }],
          command: ['sleep', 10],
          dockerLabels: { tier: 1 },
          memoryReservation: 128
        }
      ]
    })
    expect(loaded.taskDefinition).toMatchObject({
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          environment: [{ name: 'DEBUG', value: 'true' }],
          command: ['sleep', '10'],
          dockerLabels: { tier: '1' },
          memoryReservation: 128
        }
      ]
    })
    expect(loaded.conversions).toEqual([
      { path: 'cpu', written: '256', from: 'number' },
      { path: 'memory', written: '512', from: 'number' },
      { path: 'containerDefinitions[web].environment[DEBUG].value', written: 'true', from: 'boolean' },
      { path: 'containerDefinitions[web].command[1]', written: '10', from: 'number' },
      { path: 'containerDefinitions[web].dockerLabels.tier', written: '1', from: 'number' }
    ])
  })

  it('keeps a YAML number or boolean as written where ECS wants a string (1.10 stays "1.10")', () => {
    const yaml = [
      'family: web',
      'cpu: 256',
      'containerDefinitions:',
      '  - name: web',
      '    environment:',
      '      - {name: VERSION, value: 1.10}',
      '      - {name: MODE, value: 0755}',
      '      - {name: FLAG, value: TRUE}',
      '    memoryReservation: 0x80',
      '    essential: True',
      ''
    ].join('\n')
    const loaded = parseTaskDefinition(yaml, 't.yaml', parseDocument)
    expect(loaded.taskDefinition).toMatchObject({
      cpu: '256',
      containerDefinitions: [
        {
          environment: [
            { name: 'VERSION', value: '1.10' },
            { name: 'MODE', value: '0755' },
            { name: 'FLAG', value: 'TRUE' }
          ],
          memoryReservation: 128,
          essential: true
        }
      ]
    })
    expect(loaded.conversions.map(c => c.path)).toEqual([
      'cpu',
      'containerDefinitions[web].environment[VERSION].value',
      'containerDefinitions[web].environment[MODE].value',
      'containerDefinitions[web].environment[FLAG].value'
    ])
    // Nothing of the wrapper is left anywhere, unknown keys included.
    expect(JSON.parse(JSON.stringify(loaded.taskDefinition))).toEqual(loaded.taskDefinition)
  })

  it.each([
    [
      { command: 'npm start' },
      'containerDefinitions[web].command is a string, but ECS wants a list of strings.',
      /\["…"\]/
    ],
    [
      { environment: { A: '1' } },
      'containerDefinitions[web].environment is an object, but ECS wants a list of objects (KeyValuePair).',
      /list/
    ],
    [
      { environment: [{ name: 'A', value: { b: 1 } }] },
      'containerDefinitions[web].environment[A].value is an object, but ECS wants a string.',
      /Write a string/
    ],
    [
      { memoryReservation: '512' },
      'containerDefinitions[web].memoryReservation is a string, but ECS wants a whole number.',
      /without quotes/
    ],
    [
      { memoryReservation: 1.5 },
      'containerDefinitions[web].memoryReservation is 1.5, but ECS wants a whole number.',
      /whole number/
    ],
    [
      { essential: 'true' },
      'containerDefinitions[web].essential is a string, but ECS wants true or false.',
      /without quotes/
    ],
    [
      { portMappings: [{ containerPort: '80' }] },
      'containerDefinitions[web].portMappings[0].containerPort is a string, but ECS wants a whole number.',
      /without quotes/
    ],
    [
      { logConfiguration: { logDriver: 'awslogs', options: { a: ['x'] } } },
      'containerDefinitions[web].logConfiguration.options.a is a list, but ECS wants a string.',
      /string/
    ],
    [
      { dockerLabels: ['a=b'] },
      'containerDefinitions[web].dockerLabels is a list, but ECS wants an object of strings (name: value).',
      /object of strings/
    ]
  ])('refuses %j with the JSON path and the fix', (container, message, hint) => {
    const text = userErrorText(() => load({ family: 'web', containerDefinitions: [{ name: 'web', ...container }] }))
    expect(text.split('\n')[0]).toBe(`In td.json, ${message}`)
    expect(text.split('\n')[1]).toMatch(hint)
  })

  it('reports every mismatch at once, each its own error with its path', () => {
    let errors: readonly UserError[] = []
    try {
      load({ family: 'web', requiresCompatibilities: 'FARGATE', containerDefinitions: [{ name: 'web', essential: 1 }] })
    } catch (error) {
      errors = userErrorsOf(error as UserError)
    }
    expect(errors.map(e => [e.message, e.at?.path])).toEqual([
      ['In td.json, requiresCompatibilities is a string, but ECS wants a list of strings.', 'requiresCompatibilities'],
      [
        'In td.json, containerDefinitions[web].essential is 1, but ECS wants true or false.',
        'containerDefinitions[web].essential'
      ]
    ])
  })

  it('leaves keys ECS does not know as they are (they get their own warning)', () => {
    const loaded = load({ family: 'web', containerDefinitions: [{ name: 'web', Memory: '5', extra: { a: 1 } }] })
    expect(loaded.taskDefinition.containerDefinitions[0]).toEqual({ name: 'web', Memory: '5', extra: { a: 1 } })
    expect(loaded.conversions).toEqual([])
  })
})

describe('YAML', () => {
  it('resolves merge keys (<<: *common), as docker-compose users write them', () => {
    const yaml = [
      'x-common: &common',
      '  image: nginx:1.27',
      '  essential: true',
      '  environment:',
      '    - {name: LOG_FORMAT, value: json}',
      'family: web',
      'containerDefinitions:',
      '  - <<: *common',
      '    name: web',
      '  - <<: *common',
      '    name: worker',
      '    essential: false',
      ''
    ].join('\n')
    const td = parseTaskDefinition(yaml, 't.yaml', parseDocument).taskDefinition
    expect(td.containerDefinitions).toEqual([
      { image: 'nginx:1.27', essential: true, environment: [{ name: 'LOG_FORMAT', value: 'json' }], name: 'web' },
      { image: 'nginx:1.27', essential: false, environment: [{ name: 'LOG_FORMAT', value: 'json' }], name: 'worker' }
    ])
    expect(JSON.stringify(td)).not.toContain('<<')
  })

  it.each(['!Ref', '!Sub', '!GetAtt', '!ImportValue'])(
    'calls a file with %s a template, not a task definition',
    tag => {
      const yaml = `family: web\nexecutionRoleArn: ${tag} ExecutionRole\ncontainerDefinitions:\n  - name: web\n`
      expect(userErrorText(() => parseTaskDefinition(yaml, 't.yaml', parseDocument))).toMatch(
        new RegExp(
          `t\\.yaml has a YAML warning at line 2, column 19: Unresolved tag: ${tag}\\. This looks like a template \\(CloudFormation`
        )
      )
    }
  )

  it('refuses an alias bomb as an input error', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (const [from, to] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g']
    ])
      lines.push(`${to}: &${to} [${Array(9).fill(`*${from}`).join(',')}]`)
    lines.push('family: web', 'containerDefinitions: [{name: web}]')
    expect(userErrorText(() => parseTaskDefinition(lines.join('\n'), 't.yaml', parseDocument))).toMatch(
      /t\.yaml uses YAML aliases \(\*name\) that expand out of all proportion/
    )
  })

  it('refuses values JSON cannot hold (a YAML !!timestamp or !!binary), with their path', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: web\n    image: !!binary aGVsbG8=\n'
    expect(userErrorText(() => parseTaskDefinition(yaml, 't.yaml', parseDocument))).toMatch(
      /^containerDefinitions\[web\]\.image in t\.yaml is not JSON data/
    )
    const date = 'family: web\ncontainerDefinitions:\n  - name: web\n    x: !!timestamp 2026-01-01\n'
    expect(userErrorText(() => parseTaskDefinition(date, 't.yaml', parseDocument))).toMatch(
      /x in t\.yaml is not JSON data \(a date/
    )
  })
})
