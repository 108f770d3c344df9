import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseDocument } from 'yaml'
import { itemPaths, memberPath } from '../../../src/core/definition/json-path.js'
import { locatePath, pathSteps, positionAt } from '../../../src/core/definition/source-position.js'

const JSON_TEXT = `{
  "family": "web",
  "containerDefinitions": [
    {
      "name": "web",
      "logConfiguration": {
        "logDriver": "awsfirelens",
        "options": { "Name": "datadog", "Log_Level": "verbose", "storage.total_limit_size": "lots" }
      }
    },
    { "name": "sidecar", "portMappings": [{ "containerPort": "80" }] }
  ]
}
`

const YAML_TEXT = `family: web
containerDefinitions:
  - name: web
    logConfiguration:
      logDriver: awsfirelens
      options:
        Name: datadog
        Log_Level: verbose
  - name: sidecar
    portMappings:
      - containerPort: "80"
`

describe('the position of a path in the file', () => {
  it('reads the paths messages write', () => {
    expect(pathSteps('containerDefinitions[web].logConfiguration.options["storage.total_limit_size"]')).toEqual([
      { member: 'containerDefinitions' },
      { item: 'web' },
      { member: 'logConfiguration' },
      { member: 'options' },
      { member: 'storage.total_limit_size' }
    ])
    expect(pathSteps('portMappings[0].containerPort')).toEqual([
      { member: 'portMappings' },
      { item: '0' },
      { member: 'containerPort' }
    ])
  })

  it('finds a member of a container named in the path, in JSON, at its key', () => {
    expect(
      locatePath(JSON_TEXT, 'containerDefinitions[web].logConfiguration.options.Log_Level', parseDocument)
    ).toEqual({ line: 8, col: 41 })
    expect(
      locatePath(
        JSON_TEXT,
        'containerDefinitions[web].logConfiguration.options["storage.total_limit_size"]',
        parseDocument
      )
    ).toEqual({ line: 8, col: 65 })
    expect(locatePath(JSON_TEXT, 'containerDefinitions[sidecar].portMappings[0].containerPort', parseDocument)).toEqual(
      {
        line: 11,
        col: 45
      }
    )
  })

  it('finds the same in YAML', () => {
    expect(
      locatePath(YAML_TEXT, 'containerDefinitions[web].logConfiguration.options.Log_Level', parseDocument)
    ).toEqual({ line: 8, col: 9 })
    expect(locatePath(YAML_TEXT, 'containerDefinitions[sidecar].portMappings[0].containerPort', parseDocument)).toEqual(
      {
        line: 11,
        col: 9
      }
    )
  })

  it('looks under taskDefinition in describe-task-definition output', () => {
    const wrapped = `{"taskDefinition": {\n  "family": "web",\n  "cpu": 256\n}}`
    expect(locatePath(wrapped, 'cpu', parseDocument, true)).toEqual({ line: 3, col: 3 })
  })

  it('gives the deepest step it finds, and nothing for a path not in the file', () => {
    expect(locatePath(JSON_TEXT, 'containerDefinitions[web].logConfiguration.options.added', parseDocument)).toEqual({
      line: 8,
      col: 9
    })
    expect(locatePath(JSON_TEXT, 'nothing.here', parseDocument)).toBeUndefined()
    expect(locatePath('{ not json', 'family', parseDocument)).toBeUndefined()
  })

  it('finds every member of every container at the line where its key is written, whatever their names', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/)
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        fc.array(fc.stringMatching(/^[A-Za-z.]{1,6}$/), { minLength: 1, maxLength: 4 }),
        (names, keys) => {
          const containers = names.map(n => ({ name: n, dockerLabels: Object.fromEntries(keys.map(k => [k, 'v'])) }))
          const text = JSON.stringify({ family: 'f', containerDefinitions: containers }, null, 2)
          const paths = itemPaths('containerDefinitions', containers)
          containers.forEach((c, i) => {
            for (const key of Object.keys(c.dockerLabels)) {
              const path = memberPath(memberPath(paths[i]!, 'dockerLabels'), key)
              const at = locatePath(text, path, parseDocument)!
              const line = text.split('\n')[at.line - 1]!
              expect(line.slice(at.col - 1)).toMatch(
                new RegExp(`^${JSON.stringify(JSON.stringify(key)).slice(1, -1).replace(/[.]/g, '\\.')}`)
              )
            }
          })
        }
      )
    )
  })

  it('counts lines and columns from 1', () => {
    expect(positionAt('ab\ncd', 0)).toEqual({ line: 1, col: 1 })
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, col: 2 })
  })
})
