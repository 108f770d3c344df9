import { describe, it, expect } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { renderEcsShape } from '../../scripts/gen-ecs-shape.mjs'
import { ECS_ROOT_SHAPE, ECS_SHAPES } from '../../src/checks/ecs-shape.generated.js'

describe('src/ecs-shape.generated.ts', () => {
  it('matches the installed @aws-sdk/client-ecs', () => {
    const committed = readFileSync(new URL('../../src/checks/ecs-shape.generated.ts', import.meta.url), 'utf8')
    const rendered = renderEcsShape()
    if (rendered !== committed) {
      // Point at the fix first: the diff of a 250-line table says less than this line does.
      const want = rendered.split('\n')
      const have = committed.split('\n')
      let at = 0
      while (want[at] === have[at]) at++
      throw new Error(
        `src/ecs-shape.generated.ts does not match the installed @aws-sdk/client-ecs: run npm run gen:ecs-shape\n` +
          `first difference at line ${at + 1}: ${JSON.stringify(have[at])} → ${JSON.stringify(want[at])}`
      )
    }
  })

  it('defines every shape it refers to', () => {
    const kinds = Object.values(ECS_SHAPES).flatMap(members => Object.values(members))
    const shapes = kinds.map(kind => kind.replace(/(\[\])+$/, '')).filter(kind => kind !== 'scalar' && kind !== 'map')
    expect(Object.keys(ECS_SHAPES)).toEqual(expect.arrayContaining([ECS_ROOT_SHAPE, ...shapes]))
  })

  it('knows the members this action relies on', () => {
    expect(ECS_SHAPES.ContainerDefinition).toMatchObject({
      logConfiguration: 'LogConfiguration',
      firelensConfiguration: 'FirelensConfiguration',
      secrets: 'Secret[]',
      dockerLabels: 'map'
    })
    expect(ECS_SHAPES.LogConfiguration).toEqual({ logDriver: 'scalar', options: 'map', secretOptions: 'Secret[]' })
  })
})
