import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { userErrorText } from '../__fixtures__/user-error.js'
import { READ_ONLY_KEYS, looksLikeJson, parseTaskDefinition, serializeTaskDefinition } from '../src/task-definition.js'

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
    ['a family that is not a string', '{"family":7,"containerDefinitions":[{"name":"a"}]}', /has no "family"/],
    [
      'a family name ECS would refuse (and that could leave the output folder)',
      '{"family":"../web","containerDefinitions":[{"name":"a"}]}',
      /not a valid ECS family name/
    ],
    [
      'a logConfiguration that is not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":"awslogs"}]}',
      /not an object/
    ],
    [
      'an environment that is not a list',
      '{"family":"web","containerDefinitions":[{"name":"a","environment":"A=1"}]}',
      /containerDefinitions\[0\] \(a\)\.environment in td\.json is not a list of objects/
    ],
    [
      'a secrets list with a non-object',
      '{"family":"web","containerDefinitions":[{"name":"a","secrets":[null]}]}',
      /\(a\)\.secrets in td\.json is not a list of objects/
    ],
    [
      'secretOptions that are not a list',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":{"logDriver":"awsfirelens","secretOptions":{}}}]}',
      /\(a\)\.logConfiguration\.secretOptions in td\.json is not a list of objects/
    ],
    [
      'log options that are not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","logConfiguration":{"logDriver":"awslogs","options":"x"}}]}',
      /\(a\)\.logConfiguration\.options in td\.json is not an object/
    ],
    [
      'dockerLabels that are not an object',
      '{"family":"web","containerDefinitions":[{"name":"a","dockerLabels":["x"]}]}',
      /\(a\)\.dockerLabels in td\.json is not an object/
    ],
    [
      'YAML aliases that expand too far',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      /cannot be read as YAML: Excessive alias count/
    ]
  ])('refuses %s', (_what, text, pattern) => {
    expect(userErrorText(() => parseTaskDefinition(text, 'td.json', parseDocument))).toMatch(pattern)
  })

  it('serializes as 2-space JSON with a final newline, stable across a round trip', () => {
    const td = parseTaskDefinition(fixture('fargate-web.json'), 'td.json').taskDefinition
    const text = serializeTaskDefinition(td)
    expect(text.endsWith('}\n')).toBe(true)
    expect(serializeTaskDefinition(parseTaskDefinition(text, 'x').taskDefinition)).toBe(text)
  })
})
