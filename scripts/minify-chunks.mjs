// ncc minifies the entry file only; the chunks it splits off for lazy import() (the AWS SDK clients, yaml) stay as
// they are. This minifies them too, so dist/ stays small and a run parses less. Used by build.mjs; also runs alone:
// node scripts/minify-chunks.mjs [dir ...]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { minify } from 'terser'

/** Minifies every `<id>.index.js` chunk directly in `dir`. */
export async function minifyChunks(dir) {
  for (const file of readdirSync(dir)
    .filter(f => /^\d+\.index\.js$/.test(f))
    .sort()) {
    const path = join(dir, file)
    const { code } = await minify(readFileSync(path, 'utf8'), { module: true, compress: { passes: 1 }, mangle: true })
    if (code === undefined) throw new Error(`terser returned nothing for ${path}`)
    writeFileSync(path, code)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const dir of process.argv.length > 2 ? process.argv.slice(2) : ['dist']) await minifyChunks(dir)
}
