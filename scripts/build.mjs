// npm run build: write the input table from the action.yml files (scripts/gen-inputs.mjs), type-check, bundle each
// entry into dist/ with ncc's Node API (scripts/bundle.mjs: the main action into dist/, the verify action into
// dist/verify/, the command line into dist/cli/), minify the entry and chunks, write dist/licenses.txt from what was
// actually bundled, and record the sources' fingerprint (see source-hash.mjs). dist/ is emptied first so no chunk of
// an earlier build lingers.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { bundledPackages, compile, LICENSES_FILE, presentEntries, renderLicenses, ROOT } from './bundle.mjs'
import { writeInputs } from './gen-inputs.mjs'
import { minifyBundle } from './minify-chunks.mjs'
import { HASH_FILE, sourceHash } from './source-hash.mjs'

await writeInputs()
execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['--noEmit'], { cwd: ROOT, stdio: 'inherit' })
rmSync(join(ROOT, 'dist'), { recursive: true, force: true })

const compiled = []
for (const { name, entry, outDir, bin } of presentEntries()) {
  const started = Date.now()
  const { code, assets, modules } = await compile(entry)
  const dir = join(ROOT, outDir)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.js'), code)
  for (const [file, { source }] of Object.entries(assets)) {
    // Only code chunks (whose packages the chunk graph names) and the package.json that marks the folder as ESM: any
    // other asset (a .node binary, a data file) would ship without a licence entry, so it stops the build instead.
    if (!modules.has(file) && file !== 'package.json')
      throw new Error(
        `ncc emitted ${file} for ${entry}, which is not a code chunk: add its licence to scripts/bundle.mjs`
      )
    const path = join(dir, file)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, source)
  }
  await minifyBundle(dir)
  if (bin) {
    // npm links the bin as is: without the shebang a shell would run it as a shell script.
    const file = join(dir, 'index.js')
    writeFileSync(file, `#!/usr/bin/env node\n${readFileSync(file, 'utf8')}`, { mode: 0o755 })
  }
  compiled.push({ name, outDir, modules })
  console.log(`build: ${entry} → ${outDir}/ (${modules.size} files) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

writeFileSync(LICENSES_FILE, renderLicenses(bundledPackages(compiled)))
writeFileSync(HASH_FILE, `${sourceHash()}\n`)
