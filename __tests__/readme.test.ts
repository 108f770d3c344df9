import { describe, it, expect } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ACTIONS,
  ROOT,
  cellText,
  parseInputsTable,
  parseOutputsTable,
  readAction,
  readSection,
  renderTables,
  replaceSections,
  tableProblems
} from '../scripts/readme-tables.mjs'

const actionYaml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const readmePath = path.join(ROOT, 'README.md')

function readReadme(): string {
  if (!existsSync(readmePath)) throw new Error(`${readmePath} does not exist: the inputs and outputs tables go there`)
  return readFileSync(readmePath, 'utf8')
}

// A small action.yml with what tends to break Markdown tables: pipes, backticks, `<…>`, folded text, no default.
const TRICKY = `
name: t
description: t
inputs:
  plain:
    description: A plain input.
    required: true
  piped:
    description: 'Either a|b, or \`c|d\` in code; adds env:<env> to tags.'
    required: false
    default: 'a|b'
  folded:
    description: >-
      Spread over
      two lines, with \`\`double \` ticks\`\` and a trailing \\\\ backslash.
    required: false
    default: '\`x\`'
  empty-default:
    description: An empty default is shown as none.
    default: ''
outputs:
  out:
    description: The | output.
runs:
  using: node24
  main: dist/index.js
`

const README = `# t

Intro.

<!-- inputs:start -->
<!-- inputs:end -->

Between.

<!-- outputs:start -->
<!-- outputs:end -->

End.
`

describe('the README tables (scripts/readme-tables.mjs)', () => {
  it('README.md shows the inputs and outputs tables that action.yml gives (npm run docs rewrites them)', async () => {
    const readme = readReadme()
    const tables = await renderTables(actionYaml, { readmePath })
    for (const name of ['inputs', 'outputs'] as const) {
      const shown = readSection(readme, name)
      if (shown !== tables[name]) {
        const problems = tableProblems(readme, actionYaml)
        throw new Error(
          `README.md's ${name} table is not the one action.yml gives: run npm run docs\n` +
            (problems.length > 0 ? problems.map(p => `- ${p}`).join('\n') : '(only the layout differs)')
        )
      }
    }
  })

  it('README.md, read back cell by cell, has every input and output of action.yml with its required flag and default', () => {
    const readme = readReadme()
    expect(tableProblems(readme, actionYaml)).toEqual([])
  })

  it('round-trips names, required flags, defaults and descriptions through the Markdown', async () => {
    const tables = await renderTables(TRICKY, { readmePath })
    const action = readAction(TRICKY)
    expect(parseInputsTable(tables.inputs)).toEqual(
      action.inputs.map(i => ({
        name: i.name,
        required: i.required,
        default: i.default === '' ? undefined : i.default,
        description: cellText(i.description)
      }))
    )
    expect(parseOutputsTable(tables.outputs)).toEqual(action.outputs)
    expect(parseInputsTable(tables.inputs).map(i => i.description)).toContain(
      'Either a|b, or c|d in code; adds env:<env> to tags.'
    )
    expect(tableProblems(replaceSections(README, tables), TRICKY)).toEqual([])
  })

  it('replaces only the text between the markers', async () => {
    const updated = replaceSections(README, await renderTables(TRICKY, { readmePath }))
    const outside = (text: string) => text.replace(/<!-- (\w+):start -->[\s\S]*?<!-- \1:end -->/g, '<$1>')
    expect(outside(updated)).toBe(outside(README))
    expect(replaceSections(updated, await renderTables(TRICKY, { readmePath }))).toBe(updated)
  })

  it('names the input whose default, required flag or presence drifted', async () => {
    const readme = replaceSections(README, await renderTables(TRICKY, { readmePath }))
    const drifted = TRICKY.replace("default: 'a|b'", "default: 'a|c'")
      .replace('required: true', 'required: false')
      .replace('  empty-default:', '  added:\n    description: New.\n  empty-default:')
    expect(tableProblems(readme, drifted)).toEqual([
      'input "plain": README.md says required true, action.yml says false',
      'input "piped": README.md says default "a|b", action.yml says "a|c"',
      `input "added" is in action.yml but missing from README.md's inputs table`
    ])
    const removed = TRICKY.replace(/ {2}out:\n.*\n/, '')
    expect(tableProblems(readme, removed)).toEqual(['output "out" is in README.md but not in action.yml'])
  })

  it('says which markers are missing', () => {
    expect(() => readSection('# no markers\n', 'inputs')).toThrow('<!-- inputs:start -->')
  })
})

describe("the verify action's README tables (verify/action.yml)", () => {
  const verify = ACTIONS.find(a => a.prefix === 'verify-')!
  const verifyYaml = readFileSync(path.join(ROOT, verify.file), 'utf8')

  it('README.md shows the verify inputs and outputs tables that verify/action.yml gives (npm run docs rewrites them)', async () => {
    const readme = readReadme()
    const tables = await renderTables(verifyYaml, { readmePath })
    expect(readSection(readme, 'verify-inputs')).toBe(tables.inputs)
    expect(readSection(readme, 'verify-outputs')).toBe(tables.outputs)
  })

  it('README.md, read back cell by cell, has every input and output of verify/action.yml', () => {
    expect(tableProblems(readReadme(), verifyYaml, 'verify-')).toEqual([])
  })

  it("replaces one action's tables without touching the other's", async () => {
    const two = `${README}\n<!-- verify-inputs:start -->\n<!-- verify-inputs:end -->\n\n<!-- verify-outputs:start -->\n<!-- verify-outputs:end -->\n`
    const tables = await renderTables(TRICKY, { readmePath })
    const once = replaceSections(two, tables, 'verify-')
    expect(readSection(once, 'inputs')).toBe('')
    expect(readSection(once, 'verify-inputs')).toBe(tables.inputs)
    expect(tableProblems(once, TRICKY, 'verify-')).toEqual([])
    expect(tableProblems(once, TRICKY)).not.toEqual([])
  })
})

describe("the audit action's README tables (audit/action.yml)", () => {
  const audit = ACTIONS.find(a => a.prefix === 'audit-')!
  const auditYaml = readFileSync(path.join(ROOT, audit.file), 'utf8')

  it('README.md shows the audit inputs and outputs tables that audit/action.yml gives (npm run docs rewrites them)', async () => {
    const readme = readReadme()
    const tables = await renderTables(auditYaml, { readmePath })
    expect(readSection(readme, 'audit-inputs')).toBe(tables.inputs)
    expect(readSection(readme, 'audit-outputs')).toBe(tables.outputs)
    expect(tableProblems(readme, auditYaml, 'audit-')).toEqual([])
  })
})
