// dist/licenses.txt names every package bundled into every file under dist/ (the entry of each action and all its
// chunks), with its licence text. The bundled packages come from a fresh ncc compile's chunk graph, read here with a
// path pattern of its own, not with the build's helpers, and are compared with what the committed file lists.
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { presentEntries, ROOT } from '../scripts/bundle.mjs'

interface Listed {
  files: string[]
  text: string
}

/** `name@version` → the files and licence text that licenses.txt gives it. */
function parseLicenses(text: string): Map<string, Listed> {
  const listed = new Map<string, Listed>()
  for (const block of text.split(/^-{100}$/m).slice(1)) {
    const pkg = /^Package: (.+)$/m.exec(block)?.[1]
    const files = /^Bundled into: (.+)$/m.exec(block)?.[1]
    if (!pkg || !files)
      throw new Error(`licenses.txt: a block without Package/Bundled into lines:\n${block.slice(0, 300)}`)
    listed.set(pkg, { files: files.split(', '), text: block })
  }
  return listed
}

/** The package folder of a module path: the part after the last node_modules/ (one segment, two when scoped). */
function packageDir(resource: string): string | undefined {
  const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(resource)
  return match?.[1]
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]
  )
}

describe('dist/licenses.txt', () => {
  it('lists exactly the packages bundled into each file under dist/, each with its licence text', async () => {
    // A fresh compile of every entry with the build's options (in its own process, as the build runs ncc): each file
    // it writes under dist/ and the modules in it.
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--modules'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024
    })
    const compiled = JSON.parse(stdout) as Record<string, string[]>
    const outputs = new Set(Object.keys(compiled))
    const bundled = new Map<string, Set<string>>() // name@version → dist files
    const dirs = new Map<string, string>() // name@version → package folder
    for (const [distFile, resources] of Object.entries(compiled)) {
      for (const resource of resources) {
        const dir = packageDir(resource)
        if (!dir) continue
        const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        const key = `${name}@${version}`
        dirs.set(key, dir)
        bundled.set(key, (bundled.get(key) ?? new Set()).add(distFile))
      }
    }

    // Every JavaScript file under dist/ is one the compile produced: no chunk of an older build, nothing unlisted.
    const shipped = filesUnder(join(ROOT, 'dist'))
      .map(f => relative(join(ROOT, 'dist'), f))
      .filter(f => f.endsWith('.js'))
    expect(shipped.sort()).toEqual([...outputs].sort())
    // The entry chunks are covered, not only the lazy ones (the gap ncc's own licence option left).
    expect(
      [...bundled.entries()].filter(([, files]) => files.has('index.js')).map(([key]) => key.replace(/@[^@]*$/, ''))
    ).toEqual(
      expect.arrayContaining([
        '@actions/core',
        '@actions/exec',
        '@actions/http-client',
        '@actions/io',
        'tunnel',
        'undici'
      ])
    )

    const listed = parseLicenses(readFileSync(join(ROOT, 'dist', 'licenses.txt'), 'utf8'))
    expect([...listed.keys()].sort()).toEqual([...bundled.keys()].sort())
    for (const [key, files] of bundled) {
      const entry = listed.get(key)!
      expect({ key, files: entry.files }).toEqual({ key, files: [...files].sort() })
      const dir = dirs.get(key)!
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      expect(entry.text).toContain(
        `License: ${typeof manifest.license === 'string' ? manifest.license : manifest.license?.type}`
      )
      const licenseFile = readdirSync(dir).find(f => /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i.test(f))
      // The package's own licence text; a package without one gets the full text of the same licence, named.
      if (licenseFile) expect(entry.text).toContain(readFileSync(join(dir, licenseFile), 'utf8').trim())
      else expect(entry.text).toMatch(/Licence text: no licence file in the package; the \S+ text of \S+/)
    }
  }, 600_000)

  it('is written by the build for the verify action too, once it exists', () => {
    const verify = presentEntries().some(e => e.name === 'verify')
    expect(existsSync(join(ROOT, 'dist', 'verify', 'index.js'))).toBe(verify)
  })
})
