#!/usr/bin/env node
// The README's inputs and outputs tables are generated from action.yml (and verify/action.yml), so they cannot drift
// apart.
//
//   node scripts/readme-tables.mjs           rewrite the tables in README.md (npm run docs)
//   node scripts/readme-tables.mjs --check   exit 1, showing what differs, when README.md is out of date
//
// Each table sits between two markers in README.md, and only the text between them is replaced:
//   <!-- inputs:start --> … <!-- inputs:end -->   and   <!-- outputs:start --> … <!-- outputs:end -->
// and, for the verify action, the same markers with a `verify-` prefix (<!-- verify-inputs:start --> …).
// The tables go through Prettier with the project's config, so `npm run format` leaves them as they are.
// __tests__/readme.test.ts imports the functions below.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SECTIONS = ['inputs', 'outputs']
/** Each action of the repository and the prefix of its markers in README.md. */
export const ACTIONS = [
  { file: 'action.yml', prefix: '' },
  { file: 'verify/action.yml', prefix: 'verify-' },
  { file: 'audit/action.yml', prefix: 'audit-' }
]
const NONE = '—'

/** The inputs and outputs of action.yml's text, in file order. */
export function readAction(actionYaml) {
  let action
  try {
    action = parse(actionYaml) ?? {}
  } catch (error) {
    throw new Error(`action.yml is not valid YAML: ${error instanceof Error ? error.message : String(error)}`)
  }
  const inputs = Object.entries(action.inputs ?? {}).map(([name, spec]) => ({
    name,
    required: spec?.required === true || spec?.required === 'true',
    default: spec?.default === undefined || spec?.default === null ? undefined : String(spec.default),
    description: oneLine(spec?.description)
  }))
  const outputs = Object.entries(action.outputs ?? {}).map(([name, spec]) => ({
    name,
    description: oneLine(spec?.description)
  }))
  return { inputs, outputs }
}

function oneLine(text) {
  return String(text ?? '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')
}

/** A code span holding `text`, with a fence longer than any backtick run inside it. */
function code(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** Escapes for a table cell: pipes anywhere, and `<` outside code spans (so `<env>` is not read as HTML). */
function cell(text) {
  return splitCodeSpans(text)
    .map(part => (part.code ? part.text : part.text.replace(/</g, '&lt;')))
    .join('')
    .replace(/\|/g, '\\|')
}

function table(header, rows) {
  const line = cells => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** The two Markdown tables for action.yml's text, formatted as Prettier formats README.md. */
export async function renderTables(actionYaml, { readmePath = path.join(ROOT, 'README.md') } = {}) {
  const { inputs, outputs } = readAction(actionYaml)
  const raw = {
    inputs: table(
      ['Input', 'Required', 'Default', 'Description'],
      inputs.map(i => [
        code(i.name),
        i.required ? 'yes' : 'no',
        i.default === undefined || i.default === '' ? NONE : cell(code(i.default)),
        cell(i.description)
      ])
    ),
    outputs: table(
      ['Output', 'Description'],
      outputs.map(o => [code(o.name), cell(o.description)])
    )
  }
  const options = { ...(await prettier.resolveConfig(readmePath)), parser: 'markdown' }
  return {
    inputs: (await prettier.format(raw.inputs, options)).trimEnd(),
    outputs: (await prettier.format(raw.outputs, options)).trimEnd()
  }
}

function markers(name) {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` }
}

/** The text between a section's markers, trimmed; throws when the markers are missing or out of order. */
export function readSection(readme, name) {
  const { start, end } = markers(name)
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from === -1 || to === -1 || to < from) {
    throw new Error(`README.md has no "${start}" … "${end}" pair: add both markers where the ${name} table goes`)
  }
  return readme.slice(from + start.length, to).trim()
}

/** README text with each section's table replaced; nothing outside the markers changes. */
export function replaceSections(readme, tables, prefix = '') {
  let text = readme
  for (const name of SECTIONS) {
    readSection(text, prefix + name) // throws on missing markers
    const { start, end } = markers(prefix + name)
    const from = text.indexOf(start) + start.length
    const to = text.indexOf(end)
    text = `${text.slice(0, from)}\n\n${tables[name]}\n\n${text.slice(to)}`
  }
  return text
}

/** Splits text into code spans and the rest, following CommonMark's backtick-run matching. */
export function splitCodeSpans(text) {
  const parts = []
  let rest = ''
  let i = 0
  while (i < text.length) {
    if (text[i] === '\\' && i + 1 < text.length) {
      rest += text.slice(i, i + 2)
      i += 2
      continue
    }
    if (text[i] === '`') {
      const fence = /^`+/.exec(text.slice(i))[0]
      const close = findClosingFence(text, i + fence.length, fence.length)
      if (close !== -1) {
        if (rest) parts.push({ code: false, text: rest })
        rest = ''
        parts.push({ code: true, text: text.slice(i, close + fence.length) })
        i = close + fence.length
        continue
      }
      rest += fence
      i += fence.length
      continue
    }
    rest += text[i]
    i++
  }
  if (rest) parts.push({ code: false, text: rest })
  return parts
}

function findClosingFence(text, from, length) {
  const re = /`+/g
  re.lastIndex = from
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].length === length) return m.index
  return -1
}

/** What a reader sees in a cell: code span contents, with escapes and `&lt;` resolved. */
export function cellText(markdown) {
  return splitCodeSpans(markdown.trim())
    .map(part => {
      if (!part.code) {
        return part.text
          .replace(/\\([!-/:-@[-`{-~])/g, '$1')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&')
      }
      let inner = part.text.replace(/^`+|`+$/g, '')
      if (inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') inner = inner.slice(1, -1)
      return inner
    })
    .join('')
}

/** The rows of a Markdown table (header and delimiter row left out), each as its cells' raw Markdown. */
export function parseTable(markdown) {
  const lines = markdown
    .split('\n')
    .map(line => line.trim())
    .filter(line => line.startsWith('|'))
  return lines.slice(2).map(line => splitRow(line))
}

function splitRow(line) {
  // Split on pipes that are not escaped; a pipe inside a code span in a table cell is escaped too (GFM).
  const cells = []
  let current = ''
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === '|') {
      current += '|'
      i++
    } else if (line[i] === '|') {
      cells.push(current)
      current = ''
    } else {
      current += line[i]
    }
  }
  cells.push(current)
  return cells.slice(1, -1).map(c => c.trim())
}

/** The README's inputs table read back: name, required, default (undefined for —) and description. */
export function parseInputsTable(markdown) {
  return parseTable(markdown).map(([name = '', required = '', def = '', description = '']) => ({
    name: cellText(name),
    required: required.trim() === 'yes' ? true : required.trim() === 'no' ? false : required.trim(),
    default: def.trim() === NONE ? undefined : cellText(def),
    description: cellText(description)
  }))
}

/** The README's outputs table read back: name and description. */
export function parseOutputsTable(markdown) {
  return parseTable(markdown).map(([name = '', description = '']) => ({
    name: cellText(name),
    description: cellText(description)
  }))
}

/**
 * What differs between README's tables, read back cell by cell, and action.yml: one sentence per problem, naming
 * the input or output. Independent of the rendering, so a hand edit that still looks like a table is caught too.
 */
export function tableProblems(readme, actionYaml, prefix = '') {
  const action = readAction(actionYaml)
  const problems = []
  for (const kind of SECTIONS) {
    let rows
    try {
      const section = readSection(readme, prefix + kind)
      rows = kind === 'inputs' ? parseInputsTable(section) : parseOutputsTable(section)
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error))
      continue
    }
    const what = kind === 'inputs' ? 'input' : 'output'
    const expected = action[kind]
    const names = new Set(expected.map(e => e.name))
    for (const row of rows) {
      if (!names.has(row.name)) problems.push(`${what} "${row.name}" is in README.md but not in action.yml`)
    }
    for (const want of expected) {
      const row = rows.find(r => r.name === want.name)
      if (!row) {
        problems.push(`${what} "${want.name}" is in action.yml but missing from README.md's ${kind} table`)
        continue
      }
      if (kind === 'inputs') {
        if (row.required !== want.required) {
          problems.push(
            `input "${want.name}": README.md says required ${show(row.required)}, action.yml says ${show(want.required)}`
          )
        }
        const wantDefault = want.default === '' ? undefined : want.default
        if (row.default !== wantDefault) {
          problems.push(
            `input "${want.name}": README.md says default ${show(row.default)}, action.yml says ${show(wantDefault)}`
          )
        }
      }
      // action.yml's description is Markdown too: compare what a reader sees in both.
      const wantDescription = cellText(want.description)
      if (row.description !== wantDescription) {
        problems.push(
          `${what} "${want.name}": README.md's description differs from action.yml's\n  README.md:  ${row.description}\n  action.yml: ${wantDescription}`
        )
      }
    }
    const order = rows.map(r => r.name).filter(n => names.has(n))
    const wantOrder = expected.map(e => e.name).filter(n => order.includes(n))
    if (order.join() !== wantOrder.join()) {
      problems.push(`README.md lists the ${kind} in another order than action.yml: ${wantOrder.join(', ')}`)
    }
  }
  return problems
}

function show(value) {
  if (value === undefined) return 'none'
  return typeof value === 'string' ? `"${value}"` : String(value)
}

function diffLines(name, actual, expected) {
  const a = actual.split('\n')
  const e = expected.split('\n')
  const out = [`--- README.md (${name})`, `+++ from action.yml (${name})`]
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] === e[i]) continue
    if (a[i] !== undefined) out.push(`- ${a[i]}`)
    if (e[i] !== undefined) out.push(`+ ${e[i]}`)
  }
  return out.join('\n')
}

async function main(args) {
  const check = args.includes('--check')
  const readmePath = path.join(ROOT, 'README.md')
  let readme = await readFile(readmePath, 'utf8')
  const rewritten = []
  let failed = false
  for (const { file, prefix } of ACTIONS) {
    const actionYaml = await readFile(path.join(ROOT, file), 'utf8')
    const tables = await renderTables(actionYaml, { readmePath })
    const stale = SECTIONS.filter(name => readSection(readme, prefix + name) !== tables[name])
    if (stale.length === 0) continue
    if (check) {
      for (const name of stale)
        console.error(diffLines(prefix + name, readSection(readme, prefix + name), tables[name]))
      for (const problem of tableProblems(readme, actionYaml, prefix)) console.error(`- ${file}: ${problem}`)
      failed = true
      continue
    }
    readme = replaceSections(readme, tables, prefix)
    rewritten.push(...stale.map(name => prefix + name))
  }
  if (failed) {
    console.error('readme-tables: README.md is out of date: run npm run docs')
    return 1
  }
  if (rewritten.length === 0) {
    console.log('readme-tables: README.md tables match action.yml and verify/action.yml')
    return 0
  }
  await writeFile(readmePath, readme)
  console.log(`readme-tables: rewrote the ${rewritten.join(', ')} table(s) in README.md`)
  return 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    code => process.exit(code),
    error => {
      console.error(`readme-tables: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    }
  )
}
