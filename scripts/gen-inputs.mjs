// Writes src/core/inputs/action-inputs.generated.ts: the inputs and outputs of action.yml and verify/action.yml (name,
// required, default, description) as one static table. The CLI's flags and its --help come from it, README's tables
// from the same YAML (scripts/readme-tables.mjs), so the three cannot drift apart. `npm run build` and `npm run docs`
// run it; __tests__/core/inputs/action-inputs.test.ts fails when the committed file is stale.
//
//   node scripts/gen-inputs.mjs           rewrite the file
//   node scripts/gen-inputs.mjs --check   exit 1 when it is out of date
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const OUTPUT = join(ROOT, 'src', 'core', 'inputs', 'action-inputs.generated.ts')

const ACTIONS = [
  { file: 'action.yml', inputs: 'PATCH_INPUTS', outputs: 'PATCH_OUTPUTS' },
  { file: 'verify/action.yml', inputs: 'VERIFY_INPUTS', outputs: 'VERIFY_OUTPUTS' }
]

const oneLine = text =>
  String(text ?? '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')

/** The inputs and outputs of one action.yml text, in file order. */
export function actionTable(yamlText) {
  const action = parse(yamlText) ?? {}
  return {
    inputs: Object.entries(action.inputs ?? {}).map(([name, spec]) => ({
      name,
      required: spec?.required === true || spec?.required === 'true',
      ...(spec?.default === undefined || spec?.default === null ? {} : { default: String(spec.default) }),
      description: oneLine(spec?.description)
    })),
    outputs: Object.entries(action.outputs ?? {}).map(([name, spec]) => ({
      name,
      description: oneLine(spec?.description)
    }))
  }
}

/** The generated file's text for the action.yml files under `root`, formatted as Prettier formats src/. */
export async function renderInputs(root = ROOT) {
  const lines = [
    '// Generated from action.yml and verify/action.yml by scripts/gen-inputs.mjs (npm run build, npm run docs): do not',
    '// edit. The CLI takes every input as a flag of the same name, with the same default.',
    '',
    '/** One input of an action.yml. */',
    'export interface ActionInput {',
    '  readonly name: string',
    '  readonly required: boolean',
    '  readonly default?: string',
    '  readonly description: string',
    '}',
    '',
    '/** One output of an action.yml. */',
    'export interface ActionOutput {',
    '  readonly name: string',
    '  readonly description: string',
    '}'
  ]
  for (const { file, inputs, outputs } of ACTIONS) {
    const table = actionTable(readFileSync(join(root, file), 'utf8'))
    lines.push(
      '',
      `/** The inputs of ${file}, in its order. */`,
      `export const ${inputs}: readonly ActionInput[] = ${JSON.stringify(table.inputs, null, 2)}`,
      '',
      `/** The outputs of ${file}, in its order. */`,
      `export const ${outputs}: readonly ActionOutput[] = ${JSON.stringify(table.outputs, null, 2)}`
    )
  }
  const options = (await prettier.resolveConfig(OUTPUT)) ?? {}
  return prettier.format(`${lines.join('\n')}\n`, { ...options, filepath: OUTPUT })
}

/** Rewrites the file when it differs from the action.yml files; returns whether it did. */
export async function writeInputs(root = ROOT) {
  const text = await renderInputs(root)
  let current = ''
  try {
    current = readFileSync(OUTPUT, 'utf8')
  } catch {
    // Written below.
  }
  if (current === text) return false
  writeFileSync(OUTPUT, text)
  return true
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8')
    if (current !== (await renderInputs())) {
      console.error('src/core/inputs/action-inputs.generated.ts is out of date: run node scripts/gen-inputs.mjs')
      process.exit(1)
    }
  } else {
    await writeInputs()
  }
}
