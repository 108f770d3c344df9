// Runs the verify bundle (dist/verify/index.js) as a runner runs `uses: <repo>/verify@v1`: INPUT_* from
// verify/action.yml and its defaults, against the loopback fake. Refuses a stale bundle.
import { VERIFY_ACTION_YML, VERIFY_DIST_ENTRY } from '../../__fixtures__/action-env.mjs'
import { staleBundleReason } from '../../scripts/source-hash.mjs'
import { runAction, type RunActionOptions, type RunActionResult } from './run-action.js'

/** Throws when dist/ was built from other sources than src/ holds now: the e2e would test old code. */
export function assertFreshVerifyBundle(): void {
  const stale = staleBundleReason()
  if (stale !== undefined) throw new Error(stale)
}

export async function runVerify(
  inputs: Record<string, string>,
  opts: Omit<RunActionOptions, 'entry' | 'actionYml'> = {}
): Promise<RunActionResult> {
  assertFreshVerifyBundle()
  return runAction(inputs, { ...opts, entry: VERIFY_DIST_ENTRY, actionYml: VERIFY_ACTION_YML })
}
