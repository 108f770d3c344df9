// The pinned images have one source, images/Dockerfile (which Dependabot updates): the code's defaults, action.yml,
// README.md and the bundle say the same, and `npm run sync-images` brings them in line after a bump.
import { describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import YAML from 'yaml'
import { codeImage, parsePins, PINS_FILE, ROOT, STAGES, syncImages } from '../../scripts/sync-images.mjs'
import { DEFAULT_AGENT_IMAGE, DEFAULT_LOG_ROUTER_IMAGE, isMovingTag } from '../../src/core/images.js'

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')
const pins = parsePins(read(PINS_FILE))
const ROUTER_REPO = 'public.ecr.aws/aws-observability/aws-for-fluent-bit'
const AGENT_REPO = 'public.ecr.aws/datadog/agent'
/** Every `<repo>:<version>` in a text. */
const mentions = (text: string, repo: string): string[] =>
  [...text.matchAll(new RegExp(`${repo.replace(/[./]/g, '\\$&')}:\\d[\\w.-]*`, 'g'))].map(m => m[0])

describe('pinned images', () => {
  it('images/Dockerfile pins the router and the agent to exact versions of the public ECR images', () => {
    expect(Object.keys(pins).sort()).toEqual(Object.keys(STAGES).sort())
    expect(pins['log-router']).toMatch(new RegExp(`^${ROUTER_REPO}:3\\.\\d+\\.\\d+$`))
    expect(pins.agent).toMatch(new RegExp(`^${AGENT_REPO}:7\\.\\d+\\.\\d+$`))
    for (const image of Object.values(pins)) expect(isMovingTag(image)).toBe(false)
  })

  it('the code defaults are the pins', () => {
    expect(DEFAULT_LOG_ROUTER_IMAGE).toBe(pins['log-router'])
    expect(DEFAULT_AGENT_IMAGE).toBe(pins.agent)
  })

  it('action.yml describes the pins as the defaults', () => {
    const inputs = YAML.parse(read('action.yml')).inputs
    expect(mentions(inputs['log-router-image'].description, ROUTER_REPO)).toEqual([pins['log-router']])
    expect(mentions(inputs['agent-image'].description, AGENT_REPO)).toEqual([pins.agent])
  })

  it('README.md names no other version of either image', () => {
    const readme = read('README.md')
    const router = mentions(readme, ROUTER_REPO)
    const agent = mentions(readme, AGENT_REPO)
    expect(router.length).toBeGreaterThan(0)
    expect(agent.length).toBeGreaterThan(0)
    expect(new Set(router)).toEqual(new Set([pins['log-router']]))
    expect(new Set(agent)).toEqual(new Set([pins.agent]))
  })

  it('the committed bundle carries the pins', () => {
    const bundle = read(join('dist', 'index.js'))
    for (const pin of Object.values(pins))
      expect({ pin, inBundle: bundle.includes(pin) }).toEqual({ pin, inBundle: true })
  })

  it('npm run sync-images writes a bumped pin into src/core/images.ts, action.yml and README.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-images-'))
    mkdirSync(join(dir, 'src', 'core'), { recursive: true })
    mkdirSync(join(dir, 'images'))
    for (const file of ['action.yml', 'README.md', '.prettierrc.json', join('src', 'core', 'images.ts'), PINS_FILE])
      copyFileSync(join(ROOT, file), join(dir, file))
    expect(await syncImages(dir, { check: true })).toEqual([])

    const bumped = `${ROUTER_REPO}:3.99.0`
    writeFileSync(join(dir, PINS_FILE), read(PINS_FILE).replace(pins['log-router']!, bumped))
    expect(await syncImages(dir, { check: true })).toEqual(['src/core/images.ts', 'action.yml', 'README.md'])
    expect(codeImage(readFileSync(join(dir, 'src', 'core', 'images.ts'), 'utf8'), STAGES['log-router']!)).toBe(
      DEFAULT_LOG_ROUTER_IMAGE
    )

    expect(await syncImages(dir)).toEqual(['src/core/images.ts', 'action.yml', 'README.md'])
    expect(codeImage(readFileSync(join(dir, 'src', 'core', 'images.ts'), 'utf8'), STAGES['log-router']!)).toBe(bumped)
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    expect(new Set(mentions(readme, ROUTER_REPO))).toEqual(new Set([bumped]))
    expect(
      mentions(
        YAML.parse(readFileSync(join(dir, 'action.yml'), 'utf8')).inputs['log-router-image'].description,
        ROUTER_REPO
      )
    ).toEqual([bumped])
    expect(await syncImages(dir, { check: true })).toEqual([])
  })

  it('refuses a moving tag in images/Dockerfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-images-'))
    mkdirSync(join(dir, 'images'))
    writeFileSync(join(dir, PINS_FILE), `FROM ${ROUTER_REPO}:stable AS log-router\nFROM ${AGENT_REPO}:7 AS agent\n`)
    await expect(syncImages(dir, { check: true })).rejects.toThrow(/exact x\.y\.z tag/)
  })
})
