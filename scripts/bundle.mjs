// The bundling half of `npm run build`, shared with the licence test: compile each action's entry with ncc's Node API
// and report, for every file ncc writes, the npm packages whose modules went into it (from webpack's own chunk graph,
// so nothing bundled can be missed).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * What this repository ships: the main action, the verify action and the command line (package.json's `bin`, so its
 * file starts with a shebang). An entry is built once its file exists.
 */
export const ENTRIES = [
  { name: 'main', entry: 'src/shells/action/index.ts', outDir: 'dist' },
  { name: 'verify', entry: 'src/shells/verify-action/index.ts', outDir: 'dist/verify' },
  { name: 'audit', entry: 'src/shells/audit-action/index.ts', outDir: 'dist/audit' },
  { name: 'cli', entry: 'src/shells/cli/index.ts', outDir: 'dist/cli', bin: true }
]

export function presentEntries(root = ROOT) {
  return ENTRIES.filter(e => existsSync(join(root, e.entry)))
}

/**
 * ncc options. `mainFields: ['module', 'main']` makes webpack take a package's ES modules where it offers them (the
 * AWS SDK's dist-es), which it can tree-shake and split at their dynamic imports; `main` alone takes the CommonJS
 * builds, which it cannot. No ncc minify: it minifies the entry only, without compressing it;
 * scripts/minify-chunks.mjs minifies the entry and the chunks afterwards.
 */
export const NCC_OPTIONS = { minify: false, quiet: true, cache: false, mainFields: ['module', 'main'] }

const ncc = createRequire(import.meta.url)('@vercel/ncc')

/**
 * The `module` condition, as webpack resolves it by default and ncc does not: ncc resolves package `exports` with the
 * conditions import/node only, so where a package lists `node` (its CommonJS build) beside `module` (its ES modules),
 * as @smithy/core and @aws-sdk/core do for every subpath, webpack gets CommonJS it can neither tree-shake nor split:
 * about 180 KB more minified code on the register path. ncc takes no condition list, but it resolves through the
 * `paths` of the tsconfig that TS_NODE_PROJECT names (tsconfig-paths), so the build maps each such subpath to its
 * `module` file there. Returns the subpath → file map, from the packages' own manifests.
 */
export function moduleConditionPaths(root = ROOT) {
  const paths = {}
  const modules = join(root, 'node_modules')
  const packageDirs = readdirSync(modules).flatMap(name =>
    name.startsWith('@') ? readdirSync(join(modules, name)).map(inner => `${name}/${inner}`) : [name]
  )
  for (const name of packageDirs) {
    let manifest
    try {
      manifest = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'))
    } catch {
      continue
    }
    if (typeof manifest.exports !== 'object' || manifest.exports === null || Array.isArray(manifest.exports)) continue
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath.includes('*') || typeof target !== 'object' || target === null) continue
      const keys = Object.keys(target)
      const file = target.module
      if (typeof file !== 'string' || !file.endsWith('.js') || !keys.includes('node')) continue
      if (keys.indexOf('module') > keys.indexOf('node')) continue
      paths[`${name}${subpath.slice(1)}`] = [`node_modules/${name}/${file.replace(/^\.\//, '')}`]
    }
  }
  return paths
}

/** Runs `fn` with TS_NODE_PROJECT naming a tsconfig that extends the project's and adds moduleConditionPaths(). */
async function withModuleCondition(root, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'firelens-build-'))
  const config = join(dir, 'tsconfig.json')
  writeFileSync(
    config,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { baseUrl: root, paths: moduleConditionPaths(root) }
    })
  )
  const before = process.env.TS_NODE_PROJECT
  process.env.TS_NODE_PROJECT = config
  try {
    return await fn()
  } finally {
    if (before === undefined) delete process.env.TS_NODE_PROJECT
    else process.env.TS_NODE_PROJECT = before
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The file system path of a webpack module (of each module inside a concatenated one). */
function* moduleResources(module) {
  if (module.modules) {
    for (const inner of module.modules) yield* moduleResources(inner)
    return
  }
  if (typeof module.resource === 'string') yield module.resource.split('?')[0]
}

/**
 * Compiles one entry (relative to the repository, or absolute). Returns ncc's code and assets, and `modules`: output file name (relative to the entry's outDir:
 * `index.js`, `861.index.js` …) → the absolute paths of the source modules bundled into it.
 */
export async function compile(entry, options = NCC_OPTIONS, root = ROOT) {
  const { code, assets, stats } = await withModuleCondition(root, () =>
    ncc(isAbsolute(entry) ? entry : join(root, entry), options)
  )
  const compilation = stats.compilation
  const modules = new Map()
  for (const chunk of compilation.chunks) {
    const resources = new Set()
    for (const module of compilation.chunkGraph.getChunkModules(chunk)) {
      for (const resource of moduleResources(module)) resources.add(resource)
    }
    for (const file of chunk.files) modules.set(file, resources)
  }
  return { code, assets, modules }
}

/** The package a module file belongs to: the folder after its last `node_modules/`, or undefined for our own code. */
export function packageRoot(resource) {
  const parts = resource.split(sep)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0) return undefined
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1
  return parts.slice(0, at + 1 + length).join(sep)
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i
const NOTICE_FILE = /^notice(\.(md|txt))?$/i

/** name, version, declared licence and the licence/notice files of the package at `dir`. */
export function readPackage(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const files = readdirSync(dir).sort()
  const licenseFile = files.find(f => LICENSE_FILE.test(f))
  const noticeFile = files.find(f => NOTICE_FILE.test(f))
  const declared = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type
  return {
    name: manifest.name,
    version: manifest.version,
    license: declared ?? 'UNKNOWN',
    repository: typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url,
    licenseFile,
    licenseText: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : undefined,
    noticeText: noticeFile ? readFileSync(join(dir, noticeFile), 'utf8').trim() : undefined
  }
}

/**
 * The bundled packages of a set of compiled entries: `name@version` → the package, with `files`, the dist/ paths
 * (relative to dist/) it is bundled into.
 */
export function bundledPackages(compiled, root = ROOT) {
  const packages = new Map()
  for (const { outDir, modules } of compiled) {
    for (const [file, resources] of modules) {
      const distPath = relative(join(root, 'dist'), join(root, outDir, file))
        .split(sep)
        .join('/')
      for (const resource of resources) {
        const dir = packageRoot(resource)
        if (!dir) continue
        const pkg = readPackage(dir)
        const key = `${pkg.name}@${pkg.version}`
        const entry = packages.get(key) ?? { ...pkg, files: new Set() }
        entry.files.add(distPath)
        packages.set(key, entry)
      }
    }
  }
  return packages
}

/**
 * dist/licenses.txt: every bundled package with its licence text (and NOTICE, as Apache-2.0 asks), in name order. A
 * package that ships no licence file gets the text of another bundled package under the same licence, named; the build
 * fails when there is none, so no bundled package goes out without its licence.
 */
export function renderLicenses(packages) {
  const list = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
  const out = [
    'Third-party software bundled into dist/, with the files it is bundled into and its licence.',
    'Generated by `npm run build` (scripts/bundle.mjs) from what ncc bundled: do not edit.',
    ''
  ]
  for (const pkg of list) {
    let text = pkg.licenseText
    let source = pkg.licenseFile
    if (!text) {
      const donor = list.find(p => p.license === pkg.license && p.licenseText)
      if (!donor)
        throw new Error(
          `${pkg.name}@${pkg.version} is bundled but ships no licence file and no other bundled package is ${pkg.license}`
        )
      text = donor.licenseText
      source = `no licence file in the package; the ${pkg.license} text of ${donor.name}`
    }
    out.push(
      '-'.repeat(100),
      `Package: ${pkg.name}@${pkg.version}`,
      `License: ${pkg.license}`,
      `Bundled into: ${[...pkg.files].sort().join(', ')}`,
      ...(pkg.repository ? [`Repository: ${pkg.repository}`] : []),
      `Licence text: ${source}`,
      '',
      text,
      ''
    )
    if (pkg.noticeText) out.push('NOTICE:', '', pkg.noticeText, '')
  }
  return `${out.join('\n')}`
}

/** Where the licence file of dist/ is, for the test. */
export const LICENSES_FILE = join(ROOT, 'dist', 'licenses.txt')

// `node scripts/bundle.mjs --modules`: compiles every present entry with the build's options and prints,
// as JSON, each output file under dist/ with the source modules bundled into it. The licence test reads this from a
// separate process, so ncc sees the real environment (TS_NODE_PROJECT above).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--modules')) {
  const files = {}
  for (const { entry, outDir } of presentEntries()) {
    const { modules } = await compile(entry)
    for (const [file, resources] of modules) {
      files[
        relative(join(ROOT, 'dist'), join(ROOT, outDir, file))
          .split(sep)
          .join('/')
      ] = [...resources].sort()
    }
  }
  process.stdout.write(`${JSON.stringify(files)}\n`)
}
