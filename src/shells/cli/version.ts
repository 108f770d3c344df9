import { readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'

const NAME = 'datadog-firelens-action'

/**
 * The version in the package's package.json, found from the running file upwards (dist/cli/index.js in the package,
 * wherever npm installed it; the bundle cannot embed it, since a release changes only package.json).
 */
export function packageVersion(script: string | undefined): string {
  if (!script) return 'unknown'
  let dir: string
  try {
    dir = dirname(realpathSync(script))
  } catch {
    return 'unknown'
  }
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (manifest.name === NAME && manifest.version) return manifest.version
    } catch {
      // No package.json here (or ncc's {"type":"module"} marker): look further up.
    }
    const parent = dirname(dir)
    if (parent === dir) return 'unknown'
    dir = parent
  }
}
