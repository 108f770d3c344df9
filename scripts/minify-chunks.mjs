// ncc --minify minifies dist/index.js only; the chunks it splits off for lazy import() (the AWS SDK clients, yaml)
// stay as they are. This minifies them too, so dist/ stays small and a run parses less.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

const dist = process.argv[2] ?? 'dist'
for (const file of readdirSync(dist)
  .filter(f => /^\d+\.index\.js$/.test(f))
  .sort()) {
  const path = join(dist, file)
  const { code } = await minify(readFileSync(path, 'utf8'), { module: true, compress: { passes: 1 }, mangle: true })
  if (code === undefined) throw new Error(`terser returned nothing for ${path}`)
  writeFileSync(path, code)
}
