/**
 * Which Fluent Bit a log router image runs, read from its tag alone (no registry call): what the option checks and
 * the generated configuration can rely on. Pure.
 *
 * Evidence: aws/aws-for-fluent-bit's CHANGELOG names the Fluent Bit of every release (2.0.0 bundles 1.3.3, 2.29.0 and
 * every later 2.x 1.9.10; before 2.0.0 the image was tagged with the Fluent Bit version it contained); for 3.x the
 * same CHANGELOG up to 3.4.5, and 3.4.15–3.4.17 are pinned by third parties as Fluent Bit 5.0.9. Upstream
 * fluent/fluent-bit images are tagged with their own version.
 */
import { imageTag } from '../images.js'
import { repositorySegments } from '../patch/image-name.js'

/**
 * A Fluent Bit version as far as a tag shows it: `[1, 9, 10]`, or `[3, 1]` for a floating tag such as
 * `fluent-bit:3.1` (the newest 3.1.x).
 */
export type FluentBitVersion = readonly number[]

export interface RouterVersion {
  /** Which image line the version was read from. */
  image: 'aws-for-fluent-bit' | 'fluent-bit' | 'unknown'
  /** The Fluent Bit it runs, when the tag shows it; undefined for a custom image, a moving tag or a digest. */
  fluentBit?: FluentBitVersion
  /** How the version was read, for messages: "aws-for-fluent-bit 2.32.3 bundles Fluent Bit 1.9.10". */
  evidence: string
  /** The aws-for-fluent-bit 2.x line (Amazon Linux 2, Fluent Bit ≤ 1.9.10) reached end of life on this date. */
  endOfLife?: string
}

/** The 2.x line's end of life (aws-for-fluent-bit's announcement). */
export const AWS_FOR_FLUENT_BIT_2_END_OF_LIFE = '2026-06-30'

/**
 * Fluent Bit's `datadog` output first shipped in v1.3.0 (fluent/fluent-bit#1502, merged 2019-08-30; Datadog's docs:
 * "supports Fluent Bit v1.3.0+"). aws-for-fluent-bit has it from its 1.3.x tags on, so in every 2.x and 3.x.
 */
export const DATADOG_OUTPUT_SINCE: FluentBitVersion = [1, 3, 0]

/**
 * aws-for-fluent-bit release → the Fluent Bit it bundles, from the first release of each change (a release not listed
 * has the Fluent Bit of the nearest earlier one).
 */
const AWS_FOR_FLUENT_BIT: readonly (readonly [string, string])[] = [
  ['2.0.0', '1.3.3'],
  ['2.1.0', '1.3.4'],
  ['2.2.0', '1.3.9'],
  ['2.3.0', '1.4.2'],
  ['2.3.1', '1.4.5'],
  ['2.4.0', '1.5.0'],
  ['2.6.0', '1.5.1'],
  ['2.6.1', '1.5.2'],
  ['2.7.0', '1.5.6'],
  ['2.8.0', '1.6.0'],
  ['2.9.0', '1.6.3'],
  ['2.10.0', '1.6.8'],
  ['2.10.1', '1.6.10'],
  ['2.12.0', '1.7.2'],
  ['2.13.0', '1.7.3'],
  ['2.14.0', '1.7.4'],
  ['2.15.0', '1.7.6'],
  ['2.15.1', '1.7.8'],
  ['2.16.0', '1.7.9'],
  ['2.17.0', '1.8.1'],
  ['2.18.0', '1.8.2'],
  ['2.19.0', '1.8.3'],
  ['2.19.1', '1.8.6'],
  ['2.21.0', '1.8.8'],
  ['2.21.1', '1.8.9'],
  ['2.21.4', '1.8.10'],
  ['2.21.5', '1.8.11'],
  ['2.22.0', '1.8.12'],
  ['2.23.0', '1.8.13'],
  ['2.23.2', '1.8.14'],
  ['2.23.3', '1.8.15'],
  ['2.24.0', '1.9.3'],
  ['2.26.0', '1.9.4'],
  ['2.27.0', '1.9.6'],
  ['2.28.0', '1.9.7'],
  ['2.28.1', '1.9.8'],
  ['2.28.2', '1.9.9'],
  ['2.29.0', '1.9.10'],
  ['3.0.0', '4.1.0'],
  ['3.2.0', '4.2.2'],
  ['3.3.0', '5.0.3'],
  ['3.4.0', '5.0.5'],
  ['3.4.5', '5.0.7'],
  ['3.4.15', '5.0.9']
]

/** `1.9.10` → [1, 9, 10]; undefined when it is not dotted numbers. */
export function parseVersion(text: string): FluentBitVersion | undefined {
  if (!/^\d+(\.\d+){0,3}$/.test(text)) return undefined
  return text.split('.').map(Number)
}

export function formatVersion(version: FluentBitVersion): string {
  return version.join('.')
}

/** Orders versions part by part; a missing part counts as 0 (`1.9` < `1.9.1`). */
export function compareVersions(a: FluentBitVersion, b: FluentBitVersion): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  return 0
}

/**
 * Whether a router running `version` has what first shipped in `since`. A floating tag (`3.1`) runs the newest
 * release of its line, so it has whatever any release of that line has.
 */
export function hasVersion(version: FluentBitVersion, since: FluentBitVersion): boolean {
  const newest = [...version, ...Array<number>(Math.max(0, since.length - version.length)).fill(Infinity)]
  return compareVersions(newest, since) >= 0
}

/** The version in a tag: `2.32.3`, `init-3.4.17`, `debug-2.32.3`, `1.9.10-debug`, `2.32.2.20241008` (a rebuild). */
function tagVersion(tag: string): FluentBitVersion | undefined {
  const match = /^(?:[a-z]+-)*(\d+(?:\.\d+){0,3})(?:-[a-z0-9.-]+)?$/i.exec(tag)
  return match ? parseVersion(match[1]!) : undefined
}

/** What the image tag says about the Fluent Bit the router runs. */
export function routerVersion(image: string): RouterVersion {
  const segments = repositorySegments(image)
  const repository = segments[segments.length - 1]
  const tag = imageTag(image.trim().split('@')[0] ?? '')
  const version = tag === undefined ? undefined : tagVersion(tag)
  const shown = tag === undefined ? (image.includes('@') ? 'pinned by digest only' : 'untagged') : `tag ${tag}`
  if (repository === 'aws-for-fluent-bit') {
    if (version === undefined) {
      return {
        image: 'aws-for-fluent-bit',
        evidence: `aws-for-fluent-bit (${shown}): its Fluent Bit version is unknown`
      }
    }
    const label = `aws-for-fluent-bit ${formatVersion(version)}`
    // Before 2.0.0 the image carried the Fluent Bit version it contained (1.2.0, 1.2.2, 1.3.2).
    if (version[0]! < 2) {
      return {
        image: 'aws-for-fluent-bit',
        fluentBit: version,
        evidence: `${label} is Fluent Bit ${formatVersion(version)}`
      }
    }
    const fluentBit = bundledFluentBit(version)
    const endOfLife = version[0] === 2 ? AWS_FOR_FLUENT_BIT_2_END_OF_LIFE : undefined
    if (fluentBit === undefined) {
      return { image: 'aws-for-fluent-bit', evidence: `${label}: its Fluent Bit version is unknown`, endOfLife }
    }
    return {
      image: 'aws-for-fluent-bit',
      fluentBit,
      evidence: `${label} bundles Fluent Bit ${formatVersion(fluentBit)}`,
      ...(endOfLife === undefined ? {} : { endOfLife })
    }
  }
  if (repository === 'fluent-bit') {
    if (version === undefined) return { image: 'fluent-bit', evidence: `fluent-bit (${shown}): its version is unknown` }
    return { image: 'fluent-bit', fluentBit: version, evidence: `fluent-bit ${formatVersion(version)}` }
  }
  return { image: 'unknown', evidence: `${image.trim() || 'no image'}: an image this action does not recognise` }
}

/**
 * The Fluent Bit of an aws-for-fluent-bit release. A line (`3`, `2.32`) means its newest release we know; a
 * release after the table's last of its major line keeps that one's Fluent Bit; a major line we do not know (4.x) is
 * unknown.
 */
function bundledFluentBit(release: FluentBitVersion): FluentBitVersion | undefined {
  const table = AWS_FOR_FLUENT_BIT.map(([r, f]) => [parseVersion(r)!, parseVersion(f)!] as const).filter(
    ([r]) => r[0] === release[0]
  )
  // A floating tag runs the newest release of its line: compare as if its missing parts were as large as possible.
  const newest = release.length >= 3 ? release : [...release, Infinity, Infinity].slice(0, 3)
  let found: FluentBitVersion | undefined
  for (const [r, f] of table) if (compareVersions(r, newest) <= 0) found = f
  return found
}
