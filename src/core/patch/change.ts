import type { Edit } from './container-edits.js'

/** One line of what the patch did, read by the log, the job summary and the tests. */
export interface Change {
  container: string
  action:
    | 'routed'
    | 're-routed'
    | 'updated'
    | 'unchanged'
    | 'not selected'
    | 'router added'
    | 'router reused'
    | 'agent added'
    | 'agent reused'
    | 'config added'
    | 'config reused'
    | 'config removed'
  detail: string
  /** What the container already had that the patch changed, old and new value (one notice per container). */
  edits?: Edit[]
}
