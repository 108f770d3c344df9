// The fingerprint of what dist/ is built from: every file under src/, the lock file and the TypeScript config.
// `npm run build` writes it to dist/source-hash.txt; the end-to-end tests refuse to run a bundle whose fingerprint
// differs from the sources', so editing src/ and running `npm test` cannot silently test the old bundle.
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const HASH_FILE = join(ROOT, 'dist', 'source-hash.txt')

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )
}

/** sha256 over the paths and contents of the build's inputs, in a fixed order. */
export function sourceHash(root = ROOT) {
  const files = [...filesUnder(join(root, 'src')), join(root, 'package-lock.json'), join(root, 'tsconfig.json')]
  const hash = createHash('sha256')
  for (const file of files.map(f => relative(root, f).split('\\').join('/')).sort()) {
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0')
  }
  return hash.digest('hex')
}

/** Why dist/ does not match the sources, or undefined when it does. */
export function staleBundleReason(root = ROOT) {
  let built
  try {
    built = readFileSync(join(root, 'dist', 'source-hash.txt'), 'utf8').trim()
  } catch {
    return 'dist/source-hash.txt is missing: run npm run build'
  }
  return built === sourceHash(root)
    ? undefined
    : 'dist/ was built from other sources than src/ now holds: run npm run build before the end-to-end tests'
}
