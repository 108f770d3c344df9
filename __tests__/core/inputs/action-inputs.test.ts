import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { OUTPUT, renderInputs } from '../../../scripts/gen-inputs.mjs'
import { PATCH_INPUTS } from '../../../src/core/inputs/action-inputs.generated.js'
import { INPUT_DEFAULTS } from '../../../src/core/inputs/patch-inputs.js'

describe('src/core/inputs/action-inputs.generated.ts', () => {
  it('is what action.yml and verify/action.yml say (npm run build and npm run docs rewrite it)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(await renderInputs())
  })

  it('has the defaults the patch job applies to an empty input', () => {
    const defaults = Object.fromEntries(
      PATCH_INPUTS.flatMap(i => (i.default !== undefined ? [[i.name, i.default]] : []))
    )
    expect(defaults).toEqual(INPUT_DEFAULTS)
  })
})
