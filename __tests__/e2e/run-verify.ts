// Runs the verify bundle (dist/verify/index.js) as a runner runs `uses: <repo>/verify@v1`: INPUT_* from
// verify/action.yml and its defaults, against the loopback fake. Refuses a bundle older than the sources.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, VERIFY_ACTION_YML, VERIFY_DIST_ENTRY } from '../../__fixtures__/action-env.mjs'
import { runAction, type RunActionOptions, type RunActionResult } from './run-action.js'

// A fresh clone writes dist/ and src/ within the same second or two: only a clearly newer source is an edit.
const CHECKOUT_SLACK_MS = 5_000

function newestSource(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    const candidate = entry.isDirectory() ? newestSource(path) : { path, mtimeMs: statSync(path).mtimeMs }
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate
  }
  return newest
}

/** Throws when a file under src/ was changed after dist/verify/index.js was built: the e2e would test old code. */
export function assertFreshVerifyBundle(): void {
  let built: number
  try {
    built = statSync(VERIFY_DIST_ENTRY).mtimeMs
  } catch {
    throw new Error(`${VERIFY_DIST_ENTRY} does not exist: run npm run build first`)
  }
  const source = newestSource(join(REPO_ROOT, 'src'))
  if (source.mtimeMs > built + CHECKOUT_SLACK_MS) {
    throw new Error(`${source.path} is newer than ${VERIFY_DIST_ENTRY}: run npm run build, then the tests`)
  }
}

export async function runVerify(
  inputs: Record<string, string>,
  opts: Omit<RunActionOptions, 'entry' | 'actionYml'> = {}
): Promise<RunActionResult> {
  assertFreshVerifyBundle()
  return runAction(inputs, { ...opts, entry: VERIFY_DIST_ENTRY, actionYml: VERIFY_ACTION_YML })
}
