// npm run build: type-check, bundle src/index.ts into dist/ and src/verify/index.ts into dist/verify/ with ncc (minified, licences collected), minify the lazy
// chunks, and record the sources' fingerprint (see source-hash.mjs). dist/ is emptied first so no chunk of an
// earlier build lingers.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HASH_FILE, ROOT, sourceHash } from './source-hash.mjs'

const run = (command, args) => execFileSync(command, args, { cwd: ROOT, stdio: 'inherit' })
const bin = name => join(ROOT, 'node_modules', '.bin', name)

run(bin('tsc'), ['--noEmit'])
rmSync(join(ROOT, 'dist'), { recursive: true, force: true })
run(bin('ncc'), ['build', 'src/index.ts', '-o', 'dist', '--minify', '--license', 'licenses.txt'])
run(process.execPath, [join(ROOT, 'scripts', 'minify-chunks.mjs'), join(ROOT, 'dist')])
// The verify action's own bundle; after the main one, since ncc clears the .js files under its output folder.
run(bin('ncc'), ['build', 'src/verify/index.ts', '-o', 'dist/verify', '--minify', '--license', 'licenses.txt'])
run(process.execPath, [join(ROOT, 'scripts', 'minify-chunks.mjs'), join(ROOT, 'dist', 'verify')])
writeFileSync(HASH_FILE, `${sourceHash()}\n`)
