// Minifies what ncc writes for one action (compiled with minify: false): the entry, dist/index.js, and the chunks
// split off for lazy import() (the AWS SDK clients, yaml). Smaller files mean less for Node to read and compile on
// every run. The entry keeps its class and function names (ncc's own minify keeps them too: code in @actions/* and
// undici may read them); the chunks have been minified without them since the first release. Used by build.mjs and by
// the bench's floors; also runs alone: node scripts/minify-chunks.mjs [dir ...]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { minify } from 'terser'

const ENTRY_OPTIONS = {
  module: true,
  compress: { passes: 1 },
  mangle: { keep_classnames: true, keep_fnames: true },
  keep_classnames: true,
  keep_fnames: true
}
const CHUNK_OPTIONS = { module: true, compress: { passes: 1 }, mangle: true }

async function minifyFile(path, options) {
  const { code } = await minify(readFileSync(path, 'utf8'), options)
  if (code === undefined) throw new Error(`terser returned nothing for ${path}`)
  writeFileSync(path, code)
}

/** Minifies `dir`/index.js and every `<id>.index.js` chunk directly in `dir`. */
export async function minifyBundle(dir) {
  await minifyFile(join(dir, 'index.js'), ENTRY_OPTIONS)
  for (const file of readdirSync(dir)
    .filter(f => /^\d+\.index\.js$/.test(f))
    .sort()) {
    await minifyFile(join(dir, file), CHUNK_OPTIONS)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const dir of process.argv.length > 2 ? process.argv.slice(2) : ['dist']) await minifyBundle(dir)
}
