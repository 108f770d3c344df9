// npm run sync-images: writes the image versions pinned in images/Dockerfile (the single source, which Dependabot
// updates) into the places that state them: src/core/images.ts (the defaults the code uses), action.yml (the inputs'
// descriptions) and README.md. `--check` only reports what differs (exit 1). Run `npm run build` afterwards.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const PINS_FILE = join('images', 'Dockerfile')

/** The stages of images/Dockerfile and, for each, the constant of src/core/images.ts that holds its image. */
export const STAGES = { 'log-router': 'DEFAULT_LOG_ROUTER_IMAGE', agent: 'DEFAULT_AGENT_IMAGE' }

/** `FROM <image> AS <stage>` lines → stage → image. */
export function parsePins(dockerfile) {
  const pins = {}
  for (const line of dockerfile.split('\n')) {
    const match = /^\s*FROM\s+(\S+)\s+AS\s+(\S+)\s*$/i.exec(line)
    if (match) pins[match[2]] = match[1]
  }
  return pins
}

/** The image a constant of src/core/images.ts holds. */
export function codeImage(imagesTs, constant) {
  return new RegExp(`export const ${constant} = '([^']+)'`).exec(imagesTs)?.[1]
}

/**
 * Rewrites every place to the pins and formats them with Prettier (the README's tables realign); returns the files
 * whose text changed (written unless `check`).
 */
export async function syncImages(root = ROOT, { check = false } = {}) {
  const { format, resolveConfig } = await import('prettier')
  const pins = parsePins(readFileSync(join(root, PINS_FILE), 'utf8'))
  for (const stage of Object.keys(STAGES)) {
    if (!pins[stage]) throw new Error(`${PINS_FILE} has no \`FROM <image> AS ${stage}\` line`)
    if (!/:\d+\.\d+\.\d+$/.test(pins[stage]))
      throw new Error(`${PINS_FILE}: ${stage} must be pinned to an exact x.y.z tag, not ${pins[stage]}`)
  }
  const imagesTs = readFileSync(join(root, 'src', 'core', 'images.ts'), 'utf8')
  const replacements = []
  for (const [stage, constant] of Object.entries(STAGES)) {
    const pinned = pins[stage]
    const current = codeImage(imagesTs, constant)
    if (!current) throw new Error(`src/core/images.ts has no \`export const ${constant} = '…'\``)
    if (current !== pinned) replacements.push([current, pinned])
  }
  const changed = []
  for (const file of [join('src', 'core', 'images.ts'), 'action.yml', 'README.md']) {
    const path = join(root, file)
    const before = readFileSync(path, 'utf8')
    let after = before
    for (const [from, to] of replacements) after = after.split(from).join(to)
    if (after !== before) after = await format(after, { ...(await resolveConfig(path)), filepath: path })
    if (after !== before) {
      changed.push(file)
      if (!check) writeFileSync(path, after)
    }
  }
  return changed
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check')
  const changed = await syncImages(ROOT, { check })
  if (changed.length === 0) console.log(`sync-images: src/core/images.ts, action.yml and README.md match ${PINS_FILE}`)
  else if (check) {
    console.error(`sync-images: ${changed.join(', ')} differ from ${PINS_FILE}: run npm run sync-images`)
    process.exitCode = 1
  } else console.log(`sync-images: updated ${changed.join(', ')}; now run npm run build`)
}
