// The verify action's entry point (verify/action.yml → dist/verify/index.js): everything happens in run().
import { run } from './main.js'

await run()
