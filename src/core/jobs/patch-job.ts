import { apiBaseFromTemplate, validateApiKey, type Fetch } from '../checks/api-key-check.js'
import { preflight } from '../checks/preflight.js'
import { awslogsGroups, checkLogGroups, type AwslogsGroup } from '../checks/log-group.js'
import { findPlaceholders, placeholderNotice } from '../checks/placeholders.js'
import { checkRoles, type Finding, type KeyMetadata } from '../checks/roles.js'
import { verifySecret } from '../checks/secret-check.js'
import { formatConversions } from '../definition/member-types.js'
import {
  needsYamlParser,
  parseTaskDefinition,
  serializeTaskDefinition,
  type TaskDefinition
} from '../definition/task-definition.js'
import { findUnknownKeys, formatUnknownKey } from '../definition/unknown-keys.js'
import { MissingCredentialsError, UserError, collect, throwAll, userErrorsOf } from '../errors.js'
import {
  logOptionsSecrets,
  readConfig,
  secretInputNeedsMask,
  type ActionConfig,
  type ConfigEnvironment,
  type InputReader
} from '../inputs/patch-inputs.js'
import type { AnnotationProps, Logger } from '../logger.js'
import { locatePath } from '../definition/source-position.js'
import { clearTextKeyValues } from '../patch/clear-text-keys.js'
import { editsNotice } from '../patch/container-edits.js'
import { patchTaskDefinition } from '../patch/patch-task-definition.js'
import type { FailedRun, RunReport } from '../report/patch-summary.js'
import type { SecretRef } from '../secret-ref.js'
import type { PatchAws } from './aws-ports.js'
import { unexpectedError, type ExitCode, type Reporter } from './reporter.js'

/** The run's inputs as plain data: the inputs by name (as action.yml names them) and the environment it reads. */
export interface PatchJobInput {
  /** An input by its action.yml name, trimmed; '' when not given (the defaults are applied here). */
  input: InputReader
  env: ConfigEnvironment & {
    /** Tests point the API key check at a loopback server: `{domain}` is replaced by the site's domain. */
    DATADOG_FIRELENS_API_URL_TEMPLATE?: string
  }
}

/** The I/O the job needs, passed in by the shell. */
export interface PatchJobDeps {
  /** The file's text; rejects with the file system's error (its `code`: ENOENT, EISDIR …). */
  readFile(path: string): Promise<string>
  /** For messages only. */
  workingDirectory(): string
  /**
   * Keeps the patched definition (`text` is its serialized form) where the shell puts it and returns where (the
   * `task-definition` output). Called before anything is registered; throws a UserError when it cannot.
   */
  writeOutput(taskDefinition: TaskDefinition, text: string): Promise<string>
  /** The AWS calls, for the task's region. Called only when a region is set. */
  aws(region: string): PatchAws
  /** A GET that resolves with the status (validate-api-key). */
  fetchStatus: Fetch
}

/** What the run did, for the shell's report (job summary, log, --json): what it did, or what failed. */
export type PatchReport = PatchDone | PatchFailed

export interface PatchDone {
  run: RunReport
  taskDefinition: TaskDefinition
  /** The patched definition as written, with every clear-text key in it replaced by ***: safe to print. */
  printable: string
  failed?: undefined
}

/** A failed run: every error with its fix and where it is, for the job summary too. */
export interface PatchFailed {
  failed: FailedRun
  run?: undefined
}

/** One run: inputs → load → patch → preflight → AWS checks (with a region), register (if asked) → outputs, report. */
export async function runPatchJob(
  { input, env }: PatchJobInput,
  deps: PatchJobDeps,
  reporter: Reporter<PatchReport>
): Promise<ExitCode> {
  // Every warning is kept for the job summary too.
  const warnings: string[] = []
  const logger: Logger & { warnings: string[] } = {
    warnings,
    info: message => reporter.info(message),
    debug: message => reporter.debug(message),
    notice: (message, props) => reporter.notice(message, props),
    warning: (message, props) => {
      warnings.push(message)
      reporter.warning(message, props)
    }
  }
  // What the error path needs to place an error on its line: the file's text, once read.
  let source: { file: string; text: string; wrapped: boolean } | undefined
  let family: string | undefined
  let registered: string | undefined
  try {
    // A key pasted where its reference belongs, or among the options, must be masked before anything can print it.
    const secretInput = input('api-key-secret').trim()
    if (secretInput !== '' && secretInputNeedsMask(secretInput)) reporter.mask(secretInput)
    for (const key of logOptionsSecrets(input('log-options'))) reporter.mask(key)

    // The inputs and the file are independent: every mistake of both is reported in one run.
    const errors: UserError[] = []
    const config = collect(errors, () => readConfig(input, env))
    for (const warning of config?.warnings ?? []) logger.warning(warning)
    for (const notice of config?.notices ?? []) logger.notice(notice)
    const file = config?.taskDefinitionPath ?? (input('task-definition').trim() || undefined)
    let loaded: ReturnType<typeof parseTaskDefinition> | undefined
    if (file !== undefined) {
      const text = await readTaskDefinitionFile(file, deps).catch((error: unknown) => {
        if (!(error instanceof UserError)) throw error
        errors.push(error)
        return undefined
      })
      if (text !== undefined) {
        source = { file, text, wrapped: false }
        const yaml = needsYamlParser(text) ? (await import('yaml')).parseDocument : undefined
        loaded = collect(errors, () => parseTaskDefinition(text, file, yaml))
        if (loaded) {
          source.wrapped = loaded.fromDescribeOutput
          family = loaded.taskDefinition.family
          // A Datadog key written in clear text in the file is masked before any line (a warning, the dry run's copy
          // of the definition, an error) can show it.
          for (const value of clearTextKeyValues(loaded.taskDefinition)) reporter.mask(value)
        }
      }
    }
    throwAll(errors)
    if (!config || !loaded || file === undefined)
      throw new Error('readConfig and parseTaskDefinition found no error and gave no result')
    const clearTextKeys = clearTextKeyValues(loaded.taskDefinition)
    if (loaded.stripped.length > 0)
      logger.info(`Removed read-only keys ECS does not accept on registration: ${loaded.stripped.join(', ')}.`)
    if (loaded.conversions.length > 0) logger.notice(formatConversions(loaded.conversions), { file })
    const result = patchTaskDefinition(loaded.taskDefinition, config.patch)
    const taskDefinition = result.taskDefinition
    const preflightWarnings = preflight(taskDefinition, file, loaded.taskDefinition, {
      logOptions: config.patch.logOptions,
      register: config.register
    })
    const placeholders = config.register ? [] : findPlaceholders(taskDefinition)
    if (placeholders.length > 0) logger.notice(placeholderNotice(placeholders), { file })
    const unknownKeys = findUnknownKeys(taskDefinition)
    const place = unknownKeys.length > 0 ? await placer(source) : undefined
    for (const unknown of unknownKeys)
      logger.warning(formatUnknownKey(unknown), {
        title: 'Unknown task definition key',
        file,
        ...place?.(unknown.path)
      })
    for (const warning of [...result.warnings, ...preflightWarnings]) logger.warning(warning, { file })
    for (const notice of result.notices) logger.notice(notice, { file })
    for (const change of result.changes) {
      if (change.action === 're-routed') logger.notice(`${change.container} re-routed: ${change.detail}.`, { file })
      const edited = editsNotice(change.container, change.edits ?? [])
      if (edited) logger.notice(edited, { title: `${change.container} changed`, file })
    }

    const serialized = serializeTaskDefinition(taskDefinition)
    const outputPath = await deps.writeOutput(taskDefinition, serialized)
    reporter.output('task-definition', outputPath)
    const { arn, awsChecks } = await withAws(taskDefinition, config, file, logger, reporter, env, deps)
    registered = arn
    setArnOutput(reporter, arn)

    await reporter.report({
      run: {
        family: taskDefinition.family,
        config: config.patch,
        changes: result.changes,
        warnings,
        notices: result.notices,
        outputPath,
        arn,
        awsChecks
      },
      taskDefinition,
      printable: redact(serialized.trimEnd(), clearTextKeys)
    })
    return 0
  } catch (error) {
    if (error instanceof UserError) {
      const all = userErrorsOf(error)
      const place = all.some(e => e.at?.path !== undefined) ? await placer(source) : undefined
      const failed: FailedRun = { family, errors: [], warnings, registered }
      for (const e of all) {
        const at: AnnotationProps =
          e.at?.line !== undefined
            ? { line: e.at.line, ...(e.at.col !== undefined ? { col: e.at.col } : {}) }
            : e.at?.path !== undefined && e.file === source?.file
              ? (place?.(e.at.path) ?? {})
              : {}
        reporter.error(e.text, { file: e.file, ...at })
        failed.errors.push({ message: e.message, hint: e.hint, file: e.file, ...at })
      }
      await reportFailure(reporter, failed)
      return 1
    }
    const bug = unexpectedError(error)
    reporter.debug(bug.stack)
    reporter.bug(bug.message)
    await reportFailure(reporter, { family, errors: [{ message: bug.message }], warnings, registered })
    return 1
  }
}

/** The failure's report (the job summary): a report that cannot be written must not hide the errors said above. */
async function reportFailure(reporter: Reporter<PatchReport>, failed: FailedRun): Promise<void> {
  try {
    await reporter.report({ failed })
  } catch (error) {
    reporter.debug(`The failure report could not be written: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/**
 * Maps a message's path to its line and column in the file the run read (undefined when it read none). yaml's parser
 * reads JSON too; it is loaded here, only when something has a path to place.
 */
async function placer(
  source: { file: string; text: string; wrapped: boolean } | undefined
): Promise<((path: string) => AnnotationProps | undefined) | undefined> {
  if (!source) return undefined
  const { parseDocument } = await import('yaml')
  return path => {
    const at = locatePath(source.text, path, parseDocument, source.wrapped)
    return at && { line: at.line, col: at.col }
  }
}

/** A result that cannot be kept after a registration says the ARN: a re-run would register another revision. */
function setArnOutput(reporter: Reporter<PatchReport>, arn: string | undefined): void {
  try {
    reporter.output('task-definition-arn', arn ?? '')
  } catch (error) {
    if (error instanceof UserError && arn)
      throw new UserError(`${error.message} The task definition was registered: ${arn}.`, error.hint, error.file)
    throw error
  }
}

async function readTaskDefinitionFile(file: string, deps: PatchJobDeps): Promise<string> {
  try {
    return await deps.readFile(file)
  } catch (error) {
    const code = (error as { code?: string } | undefined)?.code
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code ?? String(error)})`
    throw new UserError(
      `The task definition file ${file} ${reason} (working directory ${deps.workingDirectory()}).`,
      'Set `task-definition` to the file path, e.g. the `task-definition` output of amazon-ecs-render-task-definition, or a path relative to the repository root after actions/checkout.'
    )
  }
}

/**
 * The runner masks registered secrets, but only as written: a key JSON-escaped in the printed definition would slip
 * through. The printable copy replaces both forms itself.
 */
function redact(text: string, secrets: string[]): string {
  let redacted = text
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)]))
      redacted = redacted.split(form).join('***')
  }
  return redacted
}

// The AWS half of the run: the checks whenever a region is set, then the registration if asked.

/** The AWS checks this run asks for, by input name (verify-log-groups only when there is a group to check). */
function requestedChecks(config: ActionConfig, logGroups: AwslogsGroup[]): string[] {
  return [
    ...(config.verifySecret ? ['verify-secret'] : []),
    ...(config.verifyRoles ? ['verify-roles'] : []),
    ...(config.verifyLogGroups && logGroups.length > 0 ? ['verify-log-groups'] : []),
    ...(config.validateApiKey ? ['validate-api-key'] : [])
  ]
}

const listed = (names: string[]): string =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '')

/**
 * The only place that makes AWS calls: the checks whenever a region is set (registering or not: `register: false`
 * only means "do not register"), then the registration if asked. Without a region nothing calls AWS and no SDK code
 * is loaded (the offline demo).
 */
async function withAws(
  taskDefinition: TaskDefinition,
  config: ActionConfig,
  file: string,
  logger: Logger & { warnings: string[] },
  reporter: Reporter<PatchReport>,
  env: PatchJobInput['env'],
  deps: PatchJobDeps
): Promise<{ arn?: string; awsChecks?: string }> {
  const region = config.patch.region
  const logGroups = awslogsGroups(taskDefinition, region ?? '')
  const checks = requestedChecks(config, logGroups)
  if (!region) {
    if (config.register) {
      throw new UserError(
        'No AWS region is set, so the task definition cannot be registered.',
        'Run aws-actions/configure-aws-credentials (with aws-region) before this step, or set AWS_REGION; or set register: false to only write the patched file.'
      )
    }
    if (checks.length === 0) return {}
    // Without a region the groups cannot be looked up: say what a missing one does.
    const groups =
      config.verifyLogGroups && logGroups.length > 0
        ? ` ECS will not start the task if the log group${logGroups.length > 1 ? 's' : ''} ${logGroups.map(g => g.group).join(', ')} (awslogs) do${logGroups.length > 1 ? '' : 'es'} not exist.`
        : ''
    logger.notice(
      `No AWS region is set (AWS_REGION or AWS_DEFAULT_REGION), so ${listed(checks)} did not run and no AWS API was called.${groups} Run aws-actions/configure-aws-credentials (with aws-region) before this step to run them.`,
      { title: 'AWS checks skipped' }
    )
    return { awsChecks: 'skipped: no AWS region' }
  }

  const aws = deps.aws(region)
  if (config.register) aws.preloadRegistration()
  const warningsBefore = logger.warnings.length
  try {
    await runChecks(taskDefinition, config, region, logGroups, aws, logger, reporter, env, deps)
  } catch (error) {
    if (!(error instanceof MissingCredentialsError) || config.register) throw error
    logger.warning(
      `No AWS credentials were found, so ${listed(checks)} did not run. Going on, since this step does not register. Add aws-actions/configure-aws-credentials before this step to run them, or set them to false.`,
      { title: 'AWS checks skipped' }
    )
    return { awsChecks: 'skipped: no AWS credentials' }
  }
  const warnings = logger.warnings.length - warningsBefore
  const awsChecks =
    checks.length === 0
      ? undefined
      : `${checks.join(', ')}: ${warnings === 0 ? 'passed' : `passed with ${warnings} warning${warnings > 1 ? 's' : ''}`}`
  if (!config.register) return { awsChecks }
  const arn = await aws.registerTaskDefinition(taskDefinition, file)
  logger.info(`Registered ${arn}`)
  return { arn, awsChecks }
}

/**
 * verify-secret's look-up and verify-roles run concurrently (they share the one metadata look-up), then
 * validate-api-key. Every failure of both is reported, not just the first.
 */
async function runChecks(
  taskDefinition: TaskDefinition,
  config: ActionConfig,
  region: string,
  logGroups: AwslogsGroup[],
  aws: PatchAws,
  logger: Logger,
  reporter: Reporter<PatchReport>,
  env: PatchJobInput['env'],
  deps: PatchJobDeps
): Promise<void> {
  const ref = config.patch.apiKeySecret
  const executionRoleArn = taskDefinition.executionRoleArn
  const taskRoleArn = typeof taskDefinition.taskRoleArn === 'string' ? taskDefinition.taskRoleArn : undefined
  const [secret, roles, groups] = await Promise.allSettled([
    config.verifySecret ? verifySecret(ref, region, aws, logger) : Promise.resolve(),
    // preflight has refused a definition without an execution role.
    config.verifyRoles && executionRoleArn
      ? checkRoles(
          { executionRoleArn, taskRoleArn, ref, region, secretCheckRuns: config.verifySecret },
          {
            getRole: name => aws.getRole(name),
            callerAccount: () => aws.callerAccount(),
            simulate: (roleArn, action, resource) => aws.simulatePrincipalPolicy(roleArn, action, resource),
            keyMetadata: () => keyMetadata(ref, region, aws)
          }
        )
      : Promise.resolve([] as Finding[]),
    config.verifyLogGroups && logGroups.length > 0
      ? checkLogGroups(
          logGroups,
          { logGroupExists: (group, groupRegion) => aws.logGroupExists(group, groupRegion) },
          taskDefinition.containerDefinitions.find(c => c.firelensConfiguration !== undefined)?.name
        )
      : Promise.resolve([] as Finding[])
  ])
  const findings = [roles, groups].flatMap(r => (r.status === 'fulfilled' ? r.value : []))
  for (const finding of findings) {
    if (finding.level === 'info') logger.info(finding.message)
    if (finding.level === 'warning') logger.warning(finding.message, { title: finding.title ?? 'Role check' })
  }
  const failures = [secret, roles, groups].flatMap(r => (r.status === 'rejected' ? [r.reason as unknown] : []))
  // No credentials, or a bug, is reported as it is; the user's mistakes found by both checks together.
  const first = failures.find(f => f instanceof MissingCredentialsError || !(f instanceof UserError))
  if (first !== undefined) throw first instanceof Error ? first : new Error(JSON.stringify(first))
  const errors = [
    ...(failures as UserError[]),
    ...findings.filter(f => f.level === 'error').map(f => new UserError(f.message, f.hint))
  ]
  // Both checks share the metadata look-up, so its failure can reach both: say it once.
  const texts = [...new Set(errors.map(e => e.text))]
  const [only] = errors
  if (texts.length === 1 && only) throw only
  if (texts.length > 1) throw new UserError(texts.join('\n'))

  if (config.validateApiKey) {
    const key = await aws.readApiKey(ref)
    reporter.mask(key)
    await validateApiKey(
      key,
      config.patch.site,
      logger,
      deps.fetchStatus,
      apiBaseFromTemplate(env.DATADOG_FIRELENS_API_URL_TEMPLATE)
    )
  }
}

/** The key's metadata for verify-roles, from the same (single) look-up verify-secret makes. */
export async function keyMetadata(ref: SecretRef, region: string, aws: PatchAws): Promise<KeyMetadata | undefined> {
  if (ref.kind === 'ssm') {
    const parameterRegion = ref.region ?? region
    const own = await aws.describeParameter(ref.name, parameterRegion)
    // An ARN of another account names a shared parameter, never this account's parameter of the same name.
    const parameter =
      !ref.account || own?.arn === ref.value
        ? own
        : await aws.describeSharedParameter(ref.value, ref.name, parameterRegion)
    return parameter && { arn: parameter.arn, kmsKeyId: parameter.keyId, type: parameter.type }
  }
  const secret = await aws.describeSecret(ref.secretId, ref.region)
  return secret && { arn: secret.arn, kmsKeyId: secret.kmsKeyId }
}
