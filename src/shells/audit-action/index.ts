// The audit action's entry point (audit/action.yml → dist/audit/index.js): everything happens in run().
import { run } from './main.js'

await run()
