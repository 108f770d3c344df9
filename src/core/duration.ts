import { UserError } from './errors.js'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/**
 * A duration as people write it in a workflow: `5m`, `300s`, `90s`, `1m30s`, `1.5m`, `2h`, or a bare number of
 * seconds (`300`). Units are case-insensitive. Returns milliseconds; anything else is a UserError naming the input.
 */
export function parseDuration(text: string, input: string, { allowZero = false } = {}): number {
  const raw = text.trim()
  const compact = raw.toLowerCase().replace(/\s+/g, '')
  let ms: number | undefined
  if (/^\d+(\.\d+)?$/.test(compact)) {
    ms = Number(compact) * 1_000
  } else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(compact)) {
    ms = 0
    for (const [, value, unit] of compact.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(value) * UNIT_MS[unit!]!
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UserError(
      `Input \`${input}\` is "${raw}", which is not a duration.`,
      'Write a number with a unit, e.g. 5m, 300s, 90s or 1m30s; a bare number is seconds (300).'
    )
  }
  ms = Math.round(ms)
  if (ms === 0 && !allowZero) {
    throw new UserError(`Input \`${input}\` is "${raw}", but it must be longer than zero.`, 'e.g. 5m.')
  }
  if (ms > 6 * UNIT_MS.h!) {
    throw new UserError(
      `Input \`${input}\` is "${raw}", longer than the 6 hours a GitHub-hosted job may run.`,
      'Use a shorter duration, e.g. 10m.'
    )
  }
  return ms
}

/** "1m30s", "45s", "800ms": for progress lines and messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`
  const total = Math.round(ms / 1_000)
  const h = Math.floor(total / 3_600)
  const m = Math.floor((total % 3_600) / 60)
  const s = total % 60
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('')
}
