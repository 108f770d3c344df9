import { optionProblem } from '../router/option-names.js'
import {
  inertOption,
  optionSetProblems,
  optionValueProblem,
  routerHeader,
  shownValue
} from '../router/option-values.js'
import { OptionMap } from '../patch/options.js'
import { checkConfigValue } from '../config-value.js'
import { findDatadogKeys } from '../datadog-key.js'
import { UserError, collect, throwAll } from '../errors.js'
import { isMovingTag } from '../images.js'
import type { GitMetadata, PatchConfig } from '../patch/config.js'
import { parseSecretRef, type SecretRef } from '../secret-ref.js'
import { resolveSite } from '../sites.js'
import { parseTagsInput, splitList } from '../tags.js'
import { ECS_NAME } from '../definition/task-definition.js'
import { parseMultiline } from '../router/multiline.js'
import { MAX_GRACE } from '../patch/router-config-container.js'

/** The memory reservations of the sidecars the action adds when their input is empty (no action.yml default, so that
 * a value the user set can be told from the default, which gives way when it does not fit the task). */
export const MEMORY_DEFAULTS = { 'log-router-memory': 50, 'agent-memory': 256 } as const

/**
 * Defaults the code applies to an empty input. They equal action.yml's (a test checks), so running dist/index.js
 * by hand without the runner filling in defaults behaves the same.
 */
export const INPUT_DEFAULTS = {
  'git-metadata': 'true',
  'log-router-name': 'log-router',
  'parse-json': 'false',
  multiline: 'off',
  'wait-for-router': 'false',
  agent: 'false',
  register: 'true',
  'verify-secret': 'true',
  'verify-roles': 'true',
  'verify-log-groups': 'true',
  'validate-api-key': 'false'
} as const

export interface ActionConfig {
  taskDefinitionPath: string
  patch: PatchConfig
  register: boolean
  verifySecret: boolean
  verifyRoles: boolean
  /** Check that every awslogs log group of the definition exists (logs:DescribeLogGroups). */
  verifyLogGroups: boolean
  validateApiKey: boolean
  /** Things worth a warning that are not errors (e.g. tags Datadog would rewrite). */
  warnings: string[]
  /** Things the user should know (a `log-options` value written as the router reads it). */
  notices: string[]
}

export type InputReader = (name: string) => string

/** Environment the config depends on: region and the workflow context. */
export interface ConfigEnvironment {
  AWS_REGION?: string
  AWS_DEFAULT_REGION?: string
  GITHUB_SERVER_URL?: string
  GITHUB_REPOSITORY?: string
  GITHUB_SHA?: string
}

/**
 * Reads and validates every input. The only place that knows input names. Every independent mistake is found in one
 * run: it throws one UserError, or a UserErrors with each of them.
 */
export function readConfig(getInput: InputReader, env: ConfigEnvironment): ActionConfig {
  const input = (name: string): string => {
    const value = getInput(name).trim()
    return value !== '' ? value : ((INPUT_DEFAULTS as Record<string, string>)[name] ?? '')
  }
  const warnings: string[] = []
  const notices: string[] = []
  const errors: UserError[] = []
  const read = <T>(fn: () => T): T | undefined => collect(errors, fn)

  const taskDefinitionPath = read(() =>
    required(input, 'task-definition', 'the path of the task definition file, e.g. task-definition.json')
  )
  const site = read(() => resolveSite(required(input, 'site', 'your Datadog site, e.g. ap1 or datadoghq.eu')))
  const apiKeySecret = read(() =>
    readSecretRef(required(input, 'api-key-secret', 'the SSM parameter or Secrets Manager ARN that holds the key'))
  )

  // Each becomes a tag value (service:…, env:…, version:…) in comma-separated dd_tags, and an environment variable.
  const tagValue = (name: string, example: string): string | undefined =>
    read(() => {
      const value = optionalValue(input, name)
      if (value !== undefined && /[\s,]/.test(value)) {
        throw new UserError(
          `Input \`${name}\` is ${JSON.stringify(value)}, which contains a space or comma.`,
          `Datadog tags cannot contain them: use e.g. ${example}.`
        )
      }
      return value
    })
  const service = tagValue('service', 'checkout-api')
  const source = read(() => optionalValue(input, 'source'))
  const envName = tagValue('env', 'prod')
  const version = tagValue('version', '1.4.2')
  const parsedTags = read(() => parseTagsInput(input('tags')))
  warnings.push(...(parsedTags?.warnings ?? []))

  const containers = input('containers') ? [...new Set(splitList(input('containers')))] : undefined
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined
  const logGroup = read(() => optionalValue(input, 'log-router-log-group'))
  if (logGroup && !region) {
    errors.push(
      new UserError(
        'Input `log-router-log-group` is set but no AWS region is known for the awslogs driver.',
        'Set AWS_REGION, e.g. with aws-actions/configure-aws-credentials (aws-region: …) before this step.'
      )
    )
  }
  const routerImage = read(() => optionalValue(input, 'log-router-image'))
  if (routerImage) read(() => checkImage(routerImage, 'log-router-image', warnings))
  const agentEnabled = read(() => booleanInput(input, 'agent'))
  const agentImage = read(() => optionalValue(input, 'agent-image'))
  if (agentEnabled && agentImage) read(() => checkImage(agentImage, 'agent-image', warnings))
  const agentMemory = agentEnabled ? read(() => memoryInput(input, 'agent-memory')) : undefined

  const git = read(() => (booleanInput(input, 'git-metadata') ? gitMetadata(env) : undefined))
  const logOptions = read(() => readLogOptions(input('log-options')))
  warnings.push(...(logOptions?.warnings ?? []))
  notices.push(...(logOptions?.notices ?? []))
  const register = read(() => booleanInput(input, 'register'))
  const verifySecret = read(() => booleanInput(input, 'verify-secret'))
  const verifyRoles = read(() => booleanInput(input, 'verify-roles'))
  const validateApiKey = read(() => booleanInput(input, 'validate-api-key'))
  const routerName = read(() => containerName(input('log-router-name'), 'log-router-name'))
  const routerMemory = read(() => memoryInput(input, 'log-router-memory'))
  const verifyLogGroups = read(() => booleanInput(input, 'verify-log-groups'))
  const parseJson = read(() => booleanInput(input, 'parse-json'))
  const multiline = read(() => parseMultiline(input('multiline')))
  const waitForRouter = read(() => booleanInput(input, 'wait-for-router'))
  const grace = read(() => graceInput(input('log-router-grace')))
  const wholeLogs = multiline && waitForRouter !== undefined ? { multiline, waitForRouter, grace } : undefined
  throwAll(errors)

  return {
    taskDefinitionPath: taskDefinitionPath!,
    register: register!,
    verifySecret: verifySecret!,
    verifyLogGroups: verifyLogGroups!,
    verifyRoles: verifyRoles!,
    validateApiKey: validateApiKey!,
    warnings,
    notices,
    patch: {
      site: site!,
      apiKeySecret: apiKeySecret!,
      service,
      source,
      tags: parsedTags!.tags,
      env: envName,
      version,
      git,
      containers,
      logOptions: logOptions!.options,
      logRouter: {
        image: routerImage,
        name: routerName!,
        ...routerMemory!,
        logGroup
      },
      parseJson: parseJson!,
      wholeLogs: wholeLogs!,
      agent: agentEnabled ? { image: agentImage, ...agentMemory! } : undefined,
      region
    }
  }
}

function required(input: InputReader, name: string, what: string): string {
  const value = input(name)
  if (value === '') throw new UserError(`Input \`${name}\` is required and was empty.`, `Set \`${name}\` to ${what}.`)
  return value
}

function optionalValue(input: InputReader, name: string): string | undefined {
  const value = input(name)
  if (value === '') return undefined
  checkConfigValue(value, `Input \`${name}\``)
  return value
}

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function booleanInput(input: InputReader, name: string): boolean {
  const value = input(name)
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw new UserError(
    `Input \`${name}\` is ${JSON.stringify(value)}, which is not a boolean.`,
    `Set \`${name}\` to true or false.`
  )
}

/** A memory reservation in MiB: a whole number, 0 for none; empty for the default. */
function memoryInput(
  input: InputReader,
  name: keyof typeof MEMORY_DEFAULTS
): { memory: number; memoryExplicit: boolean } {
  const value = input(name)
  if (value === '') return { memory: MEMORY_DEFAULTS[name], memoryExplicit: false }
  if (!/^\d+$/.test(value)) {
    throw new UserError(
      `Input \`${name}\` is ${JSON.stringify(value)}, which is not a whole number of MiB.`,
      `Set \`${name}\` to a whole number of MiB (the default is ${MEMORY_DEFAULTS[name]}), or 0 for no reservation.`
    )
  }
  return { memory: Number(value), memoryExplicit: true }
}

/** `log-router-grace`: whole seconds Fluent Bit keeps flushing after SIGTERM; empty: the default. */
function graceInput(value: string): number | undefined {
  if (value === '') return undefined
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_GRACE) {
    throw new UserError(
      `Input \`log-router-grace\` is ${JSON.stringify(value)}, which is not a whole number of seconds from 1 to ${MAX_GRACE}.`,
      `Set it to e.g. 30 (the router's stopTimeout becomes Grace + 5 s, and Fargate allows at most 120 s), or leave it empty.`
    )
  }
  return Number(value)
}

function containerName(value: string, name: string): string {
  if (!ECS_NAME.test(value)) {
    throw new UserError(
      `Input \`${name}\` is ${JSON.stringify(value)}, which is not a valid container name.`,
      'Use up to 255 letters, digits, hyphens and underscores.'
    )
  }
  return value
}

function checkImage(image: string, name: string, warnings: string[]): void {
  checkConfigValue(image, `Input \`${name}\``)
  if (isMovingTag(image)) {
    warnings.push(
      `Input \`${name}\` is "${image}", a moving tag: a new release can change the task without a deploy. Pin a version.`
    )
  }
}

function readSecretRef(value: string): SecretRef {
  const parsed = parseSecretRef(value)
  if ('kind' in parsed) return parsed
  // main.ts has already masked the value: never repeat it here.
  if (parsed.problem === 'looks-like-api-key') {
    throw new UserError(
      'Input `api-key-secret` looks like a Datadog API key itself. The key must never be in the workflow or the task definition.',
      'Store it in SSM Parameter Store (SecureString) or Secrets Manager and pass the parameter name or ARN, e.g. /prod/DATADOG_API_KEY. Then rotate this key: it has been exposed.'
    )
  }
  if (parsed.problem === 'looks-like-application-key') {
    throw new UserError(
      'Input `api-key-secret` looks like a Datadog application key (40 hexadecimal characters): a key in clear text where its reference belongs, and not the key logs need either.',
      'Store the API key (32 characters, Organization Settings → API Keys) in SSM Parameter Store (SecureString) or Secrets Manager and pass the parameter name or ARN, e.g. /prod/DATADOG_API_KEY. Then revoke this application key: it has been exposed.'
    )
  }
  throw new UserError(
    'Input `api-key-secret` is not an SSM parameter name or ARN, nor a Secrets Manager secret ARN (its value is hidden, in case it is a key).',
    'Use e.g. /prod/DATADOG_API_KEY, arn:aws:ssm:us-east-1:111122223333:parameter/prod/DATADOG_API_KEY or arn:aws:secretsmanager:us-east-1:111122223333:secret:datadog-api-key-AbCdEf.'
  )
}

/** Whether main.ts must mask the input before anything can print it. */
export function secretInputNeedsMask(value: string): boolean {
  return !('kind' in parseSecretRef(value))
}

/** What main.ts must mask in `log-options` before anything can print it: every key-like value. */
export function logOptionsSecrets(text: string): string[] {
  return findDatadogKeys(text)
}

/**
 * `log-options`: one key=value a line; the value may contain `=`. Every name must be one the router's datadog output
 * accepts and not one FireLens or this action owns, and every value one the router reads (option-values.ts); a key
 * in clear text is refused without being repeated. Throws every bad line at once (a UserErrors).
 */
export function parseLogOptions(text: string): [string, string][] {
  return readLogOptions(text).options
}

/** What `log-options` says: the options, and the warnings and notices about their values. */
export interface LogOptions {
  options: [string, string][]
  warnings: string[]
  notices: string[]
}

/** parseLogOptions with the warnings (values the router misreads) and notices (a header rewritten) it has. */
export function readLogOptions(text: string): LogOptions {
  const options = new Map<string, [string, string]>()
  const lineOf = new Map<string, number>()
  const errors: UserError[] = []
  const warnings: string[] = []
  const notices: string[] = []
  text.split('\n').forEach((raw, index) => {
    const where = `Input \`log-options\` line ${index + 1}`
    const option = collect(errors, () => readLogOption(raw, where, warnings, notices))
    if (option) {
      options.set(option[0].toLowerCase(), option)
      lineOf.set(option[0].toLowerCase(), index + 1)
    }
  })
  for (const problem of optionSetProblems(new OptionMap(options.values()))) {
    const where = `Input \`log-options\` line ${lineOf.get(problem.option.toLowerCase()) ?? '?'}`
    if (problem.severity === 'error') errors.push(new UserError(`${where} ${problem.message}`, problem.hint))
    else warnings.push(`${where} ${problem.message} ${problem.hint}`)
  }
  throwAll(errors)
  return { options: [...options.values()], warnings, notices }
}

function readLogOption(
  raw: string,
  where: string,
  warnings: string[],
  notices: string[]
): [string, string] | undefined {
  const line = raw.replace(/\r$/, '').trim()
  // First, before anything could quote the line (a comment too: the key is in the workflow either way). main.ts has
  // masked the value, and no message repeats it.
  if (findDatadogKeys(line).length > 0) {
    throw new UserError(
      `${where} holds what looks like a Datadog API or application key (32 or 40 hexadecimal characters); the line is not shown.`,
      'The API key reaches the router only through `api-key-secret` (secretOptions), never as an option. Remove the line, then rotate that key: it has been exposed.'
    )
  }
  if (line === '' || line.startsWith('#')) return undefined
  const eq = line.indexOf('=')
  if (eq <= 0) {
    throw new UserError(
      `${where} is ${JSON.stringify(line)}, which is not key=value.`,
      'Write one Fluent Bit option a line, e.g. Retry_Limit=2.'
    )
  }
  const key = line.slice(0, eq).trim()
  let value = line.slice(eq + 1).trim()
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) {
    throw new UserError(
      `${where} has the option name ${JSON.stringify(key)}, which is not a Fluent Bit option name.`,
      'Option names are letters, digits, _ . and -.'
    )
  }
  checkConfigValue(value, where)
  if (value === '')
    throw new UserError(`${where} sets ${key} to an empty value.`, 'Give it a value or remove the line.')
  const inert = inertOption(key)
  if (inert) {
    warnings.push(`${where} ${inert} Remove the line.`)
    return [key, value]
  }
  const problem = optionProblem(key, value)
  if (problem) throw new UserError(`${where} ${problem.message}`, problem.hint)
  if (key.toLowerCase() === 'header') {
    const header = routerHeader(value)
    if (header !== undefined) {
      notices.push(
        `${where} sets header as "Name: value"; the log router splits a header at its first space and would send the value ": …", so it is written as the router reads it: ${shownValue(header)} (the name, a space, the value).`
      )
      value = header
    }
  }
  const valueProblem = optionValueProblem(key, value)
  if (valueProblem?.severity === 'error') throw new UserError(`${where} ${valueProblem.message}`, valueProblem.hint)
  if (valueProblem) warnings.push(`${where} ${valueProblem.message} ${valueProblem.hint}`)
  return [key, value]
}

function gitMetadata(env: ConfigEnvironment): GitMetadata | undefined {
  // The same variables @actions/github's context reads; reading them directly keeps Octokit out of the bundle.
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const repository = env.GITHUB_REPOSITORY
  const sha = env.GITHUB_SHA
  if (!repository || !sha) return undefined
  let url: URL
  try {
    url = new URL(`${server}/${repository}`)
  } catch {
    return undefined
  }
  url.username = ''
  url.password = ''
  const repositoryUrl = url.toString()
  checkConfigValue(repositoryUrl + sha, 'The workflow context (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA)')
  return { repositoryUrl, commitSha: sha }
}
