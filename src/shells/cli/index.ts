// The CLI's entry point (package.json "bin" → dist/cli/index.js): `datadog-firelens <command> [flags]`.
import { main } from './main.js'
import { packageVersion } from './version.js'

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: () => process.cwd(),
  version: packageVersion(process.argv[1])
})
