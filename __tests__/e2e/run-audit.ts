// Runs the audit bundle (dist/audit/index.js) as a runner runs `uses: <repo>/audit@v1`: INPUT_* from audit/action.yml
// and its defaults, against the loopback fake. Refuses a stale bundle.
import { readFileSync } from 'node:fs'
import { AUDIT_ACTION_YML, AUDIT_DIST_ENTRY } from '../../__fixtures__/action-env.mjs'
import { staleBundleReason } from '../../scripts/source-hash.mjs'
import type { AuditReport } from '../../src/core/audit/run-audit.js'
import { runAction, type RunActionOptions, type RunActionResult } from './run-action.js'

export async function runAudit(
  inputs: Record<string, string>,
  opts: Omit<RunActionOptions, 'entry' | 'actionYml'> = {}
): Promise<RunActionResult & { report?: AuditReport }> {
  const stale = staleBundleReason()
  if (stale !== undefined) throw new Error(stale)
  const result = await runAction(inputs, { ...opts, entry: AUDIT_DIST_ENTRY, actionYml: AUDIT_ACTION_YML })
  const file = result.outputs.report
  return file ? { ...result, report: JSON.parse(readFileSync(file, 'utf8')) as AuditReport } : result
}
