// The CLI's entry point (package.json "bin" → dist/cli/index.js): `datadog-firelens <command> [flags]`.
import { main } from './main.js'
import { packageVersion } from './version.js'

// `… | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: () => process.cwd(),
  version: packageVersion(process.argv[1])
})
