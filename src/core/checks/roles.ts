import { AwsCallError } from '../errors.js'
import type { SecretRef } from '../secret-ref.js'

/**
 * verify-roles: will ECS be able to start the task? ECS assumes the execution role (and the task role) as
 * ecs-tasks.amazonaws.com, then reads the API key with the execution role and decrypts it with KMS. A denial there
 * only shows when a task starts ("ResourceInitializationError: unable to pull secrets", "ECS was unable to assume
 * the role"). Here the trust policies are read (iam:GetRole) and the reads are simulated
 * (iam:SimulatePrincipalPolicy), so the same mistakes fail the workflow step, with the statement to add.
 *
 * The facts are fetched through RoleLookups (passed in); everything else here is plain data in, findings out.
 */

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny'

/** One simulated call, as SimulatePrincipalPolicy answers it. */
export interface Simulation {
  decision: Decision
  /** Context keys the role's policies test that the simulation had no value for (conditions it could not decide). */
  missingContext: string[]
  /** false when a service control policy denies the call. */
  allowedByOrganizations?: boolean
  /** false when the role's permissions boundary does not allow the call. */
  allowedByPermissionsBoundary?: boolean
}

/** A role as GetRole returns it; trustPolicy is the decoded JSON text of AssumeRolePolicyDocument. */
export interface RoleFacts {
  arn: string
  trustPolicy: string
}

/** What the secret's metadata look-up (shared with verify-secret) tells about where the key is and how it is encrypted. */
export interface KeyMetadata {
  /** The parameter's or secret's full ARN. */
  arn?: string
  /** SSM `KeyId` / Secrets Manager `KmsKeyId`; absent for a secret on the AWS-managed key. */
  kmsKeyId?: string
  /** SSM parameter type: only a SecureString is encrypted. */
  type?: string
}

export interface RoleLookups {
  /** undefined: this workflow's account has no role of that name. */
  getRole(name: string): Promise<RoleFacts | undefined>
  /**
   * The account this workflow's calls run in (sts:GetCallerIdentity, which needs no permission). Asked only when a
   * role ARN's account cannot be told from GetRole's answer.
   */
  callerAccount(): Promise<string>
  /** undefined: the role does not exist. */
  simulate(roleArn: string, action: string, resource: string): Promise<Simulation | undefined>
  /** The key's metadata; undefined when there is no such parameter or secret. */
  keyMetadata(): Promise<KeyMetadata | undefined>
}

export interface RoleCheckRequest {
  executionRoleArn: string
  taskRoleArn?: string
  ref: SecretRef
  /** The task's region: where a bare parameter name is looked up. */
  region: string
  /**
   * verify-secret runs too and warns itself when the metadata look-up is denied: then the KMS step only says it
   * was skipped, so one missing permission gives one warning.
   */
  secretCheckRuns: boolean
}

export interface Finding {
  level: 'error' | 'warning' | 'info'
  /** Annotation title (warnings). */
  title?: string
  message: string
  /** What to change. */
  hint?: string
}

const ECS_TASKS = 'ecs-tasks.amazonaws.com'
const TRUST_STATEMENT = { Effect: 'Allow', Principal: { Service: ECS_TASKS }, Action: 'sts:AssumeRole' }

export interface RoleArn {
  arn: string
  partition: string
  account: string
  /** The role's name: the last segment, without its path. GetRole takes this. */
  name: string
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/

/** A role ARN, with or without a path (arn:aws:iam::111122223333:role/service-role/x → name x). */
export function parseRoleArn(value: string): RoleArn | undefined {
  const m = ROLE_ARN.exec(value)
  return m ? { arn: value, partition: m[1]!, account: m[2]!, name: m[3]! } : undefined
}

/** The name GetRole takes, from an ARN or a bare role name; undefined when it is neither. */
export function roleName(value: string): string | undefined {
  return parseRoleArn(value)?.name ?? (ROLE_NAME.test(value) ? value : undefined)
}

// ---------------------------------------------------------------------------------------------------------------
// Trust policies

export interface TrustVerdict {
  trusted: boolean
  /** Conditions on the statements that let ecs-tasks assume the role (noted, not judged). */
  conditions: string[]
  /** An explicit Deny for ecs-tasks (unconditional ones make `trusted` false). */
  denied: boolean
  /** The document is not a JSON policy. */
  unreadable?: boolean
}

type Json = unknown

const list = (value: Json): Json[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** IAM's wildcard match: `*` any run, `?` one character. */
function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value)
}

function coversAssumeRole(statement: Record<string, Json>): boolean {
  // Action names are case-insensitive in IAM.
  const matches = (patterns: Json) =>
    list(patterns).some(p => typeof p === 'string' && globMatch(p, 'sts:AssumeRole', true))
  if (statement.Action !== undefined) return matches(statement.Action)
  if (statement.NotAction !== undefined) return !matches(statement.NotAction)
  return false
}

function namesEcsTasks(statement: Record<string, Json>): boolean {
  const principal = statement.Principal
  if (principal === '*') return true
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return false
  const p = principal as Record<string, Json>
  if (list(p.AWS).includes('*')) return true
  return list(p.Service).some(s => typeof s === 'string' && (s === '*' || s.toLowerCase() === ECS_TASKS))
}

/**
 * Whether the trust policy lets ecs-tasks.amazonaws.com call sts:AssumeRole: an Allow statement whose Action covers
 * it (sts:AssumeRole, sts:*, *; a string or a list) and whose Principal names the service (or is "*"), and no
 * unconditional Deny of it. Conditions (e.g. aws:SourceAccount, which AWS recommends) are reported, not judged.
 */
export function evaluateTrust(document: string): TrustVerdict {
  let parsed: Json
  try {
    parsed = JSON.parse(document)
  } catch {
    return { trusted: false, conditions: [], denied: false, unreadable: true }
  }
  if (!parsed || typeof parsed !== 'object') return { trusted: false, conditions: [], denied: false, unreadable: true }
  const statements = list((parsed as Record<string, Json>).Statement).filter(
    (s): s is Record<string, Json> => !!s && typeof s === 'object' && !Array.isArray(s)
  )
  const relevant = statements.filter(s => coversAssumeRole(s) && namesEcsTasks(s))
  const conditionKeys = (s: Record<string, Json>): string[] =>
    s.Condition && typeof s.Condition === 'object'
      ? Object.values(s.Condition as Record<string, Json>).flatMap(block =>
          block && typeof block === 'object' ? Object.keys(block) : []
        )
      : []
  const denies = relevant.filter(s => s.Effect === 'Deny')
  const allows = relevant.filter(s => s.Effect === 'Allow')
  const hardDeny = denies.some(s => conditionKeys(s).length === 0)
  return {
    trusted: allows.length > 0 && !hardDeny,
    conditions: [...new Set([...allows, ...denies].flatMap(conditionKeys))],
    denied: denies.length > 0
  }
}

/** The finding for one role's trust policy: an error when ECS could not assume it. */
export function trustFinding(label: RoleLabel, role: string, verdict: TrustVerdict): Finding {
  const statement = JSON.stringify(TRUST_STATEMENT)
  if (verdict.unreadable) {
    return {
      level: 'warning',
      title: 'Role not verified',
      message: `Could not read the trust policy of the ${label} ${role}: it is not a JSON policy document. Going on without the trust check.`
    }
  }
  if (!verdict.trusted) {
    return {
      level: 'error',
      message: `The ${label} ${role} does not trust ${ECS_TASKS}${verdict.denied ? ' (its trust policy denies it)' : ''}, so ECS cannot assume it: the task would fail with "ECS was unable to assume the role".`,
      hint: `Add this statement to the role's trust policy${verdict.denied ? ' and remove the Deny' : ''}: ${statement}`
    }
  }
  const conditions = verdict.conditions.length
    ? ` (with conditions on ${verdict.conditions.join(', ')}, not evaluated here: they must hold for ECS)`
    : ''
  return { level: 'info', message: `Role check: the ${label} ${role} trusts ${ECS_TASKS}${conditions}.` }
}

export type RoleLabel = 'task execution role' | 'task role'

// ---------------------------------------------------------------------------------------------------------------
// Where the key is: the resource ECS reads and the KMS key it decrypts with

/** The action ECS calls with the execution role to read the key when a task starts. */
export function readAction(ref: SecretRef): string {
  return ref.kind === 'ssm' ? 'ssm:GetParameters' : 'secretsmanager:GetSecretValue'
}

/**
 * The ARN the read is authorized on. A bare parameter name lives in the task's account (the execution role's) and
 * region: arn:<partition>:ssm:<region>:<account>:parameter/<name without its leading slash>.
 */
export function keyResource(
  ref: SecretRef,
  region: string,
  role: Pick<RoleArn, 'partition' | 'account'>,
  metadata?: KeyMetadata
): string {
  if (ref.kind === 'secretsmanager') return metadata?.arn ?? ref.secretId
  if (ref.region) return ref.value
  return metadata?.arn ?? `arn:${role.partition}:ssm:${region}:${role.account}:parameter/${ref.name.replace(/^\//, '')}`
}

export type KmsTarget =
  | { kind: 'none' }
  | { kind: 'aws-managed'; keyId: string }
  /** `alias`: only an alias is known; IAM authorizes kms:Decrypt on the key it points to. */
  | { kind: 'key' | 'alias'; keyId: string; arn: string }

const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/(.+)$/
const STORE_ARN = /^arn:(aws[a-z-]*):(?:ssm|secretsmanager):([a-z0-9-]+):(\d{12}):/

/**
 * The KMS key a parameter or secret is encrypted with, as an ARN to simulate kms:Decrypt on. The AWS-managed keys
 * (alias/aws/ssm, aws/secretsmanager, which Secrets Manager reports by omitting the key) need no permission.
 * A key id or alias without an ARN is in the store's account and region.
 */
export function kmsTarget(ref: SecretRef, resource: string, metadata: KeyMetadata | undefined): KmsTarget {
  const keyId = metadata?.kmsKeyId
  if (ref.kind === 'ssm' && metadata?.type !== undefined && metadata.type !== 'SecureString') return { kind: 'none' }
  if (!keyId) {
    return ref.kind === 'secretsmanager' ? { kind: 'aws-managed', keyId: 'aws/secretsmanager' } : { kind: 'none' }
  }
  const arn = KMS_ARN.exec(keyId)
  if (arn) {
    if (arn[1] === 'alias' && arn[2]!.startsWith('aws/')) return { kind: 'aws-managed', keyId }
    return { kind: arn[1] as 'key' | 'alias', keyId, arn: keyId }
  }
  if (/^alias\/aws\//.test(keyId)) return { kind: 'aws-managed', keyId }
  const store = STORE_ARN.exec(resource)
  if (!store) return { kind: 'none' }
  const prefix = `arn:${store[1]}:kms:${store[2]}:${store[3]}`
  return keyId.startsWith('alias/')
    ? { kind: 'alias', keyId, arn: `${prefix}:${keyId}` }
    : { kind: 'key', keyId, arn: `${prefix}:key/${keyId}` }
}

// ---------------------------------------------------------------------------------------------------------------
// Simulated decisions

/** Why a simulated call was denied, in words. */
function denialReason(simulation: Simulation): string {
  if (simulation.allowedByOrganizations === false) return 'a service control policy (AWS Organizations) denies it'
  if (simulation.allowedByPermissionsBoundary === false) return "the role's permissions boundary does not allow it"
  if (simulation.decision === 'explicitDeny') return 'a Deny statement in its policies denies it'
  return 'no policy of the role allows it'
}

/** The extra step an explicit Deny, an SCP or a boundary needs besides the Allow statement. */
function unblock(simulation: Simulation): string {
  if (simulation.allowedByOrganizations === false) return ' and have the service control policy allow it'
  if (simulation.allowedByPermissionsBoundary === false) return " and widen the role's permissions boundary"
  if (simulation.decision === 'explicitDeny') return ' and remove or narrow the Deny that matches it'
  return ''
}

function allowStatement(action: string, resource: string): string {
  return JSON.stringify({ Effect: 'Allow', Action: action, Resource: resource })
}

/**
 * The execution role reading the key. Denied on a parameter: an error (the task would not start). Denied on a
 * secret: a warning, because a secret's resource policy can grant the read on its own and IAM's simulator evaluates
 * resource policies only for IAM users, never for a role. Undecided conditions also only warn.
 */
export function readFinding(ref: SecretRef, role: string, resource: string, simulation: Simulation): Finding {
  const action = readAction(ref)
  if (simulation.decision === 'allowed') {
    return { level: 'info', message: `Role check: the task execution role ${role} may call ${action} on ${resource}.` }
  }
  const statement = allowStatement(action, resource)
  const fix = `Add this statement to the task execution role's policy${unblock(simulation)}: ${statement}`
  const base = `The task execution role ${role} may not call ${action} on ${resource} (simulated: ${simulation.decision}; ${denialReason(simulation)})`
  if (simulation.missingContext.length > 0 && simulation.decision === 'implicitDeny') {
    return {
      level: 'warning',
      title: 'Role may not read the API key',
      message: `${base}, unless conditions on ${simulation.missingContext.join(', ')} hold when ECS reads it: the simulation could not evaluate them. If not, tasks will fail with "unable to pull secrets". ${fix}`
    }
  }
  if (ref.kind === 'secretsmanager' && simulation.decision === 'implicitDeny') {
    return {
      level: 'warning',
      title: 'Role may not read the API key',
      message: `${base}, unless the secret's resource policy grants it (IAM's simulator cannot evaluate a resource policy for a role). If it does not, tasks will fail with "unable to pull secrets". ${fix}, or grant it in the secret's resource policy.`
    }
  }
  return {
    level: 'error',
    message: `${base}, so ECS could not read the Datadog API key: tasks would fail with "ResourceInitializationError: unable to pull secrets … AccessDeniedException".`,
    hint: fix
  }
}

/**
 * kms:Decrypt on a customer-managed key. Always a warning when denied: a key policy can grant it without any
 * identity policy, and this check cannot read key policies.
 */
export function kmsFinding(
  role: string,
  target: Extract<KmsTarget, { arn: string }>,
  simulation: Simulation,
  store: string
): Finding {
  // kms:Decrypt is authorized on the key's ARN: for an alias, the statement names the key it points to.
  const alias = target.kind === 'alias' ? target.arn.slice(target.arn.indexOf(':alias/') + 1) : undefined
  const keyArn = alias ? target.arn.replace(`:${alias}`, `:key/<key id of ${alias}>`) : target.arn
  const aliasNote = alias
    ? ` Only the alias ${alias} is known, so the simulation ran on the alias ARN, which only a policy with a wildcard resource matches; find the key's ARN with: aws kms describe-key --key-id ${alias}.`
    : ''
  if (simulation.decision === 'allowed') {
    return {
      level: 'info',
      message: `Role check: the task execution role ${role} may call kms:Decrypt on ${target.arn}.`
    }
  }
  return {
    level: 'warning',
    title: 'Role may not decrypt the API key',
    message: `The task execution role ${role} may not call kms:Decrypt on the customer-managed KMS key ${target.arn} that encrypts ${store} (simulated: ${simulation.decision}; ${denialReason(simulation)}), unless the key policy grants it. If it does not, tasks will fail with "unable to pull secrets". Add this statement to the role's policy${unblock(simulation)}: ${allowStatement('kms:Decrypt', keyArn)}, or allow the role in the key policy.${aliasNote}`
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The check: fetch the facts through the lookups, turn them into findings

/** The CI role's missing permission for the check itself: one warning per permission, then the check goes on. */
function deniedFinding(permission: string, what: string): Finding {
  return {
    level: 'warning',
    title: 'Roles not verified',
    message: `Could not ${what}: this workflow's role may not call ${permission}. Going on without it; grant ${permission} to enable the check, or set verify-roles: false.`
  }
}

/** AWS denied the CI role the call; anything else (network, throttling, no credentials) propagates. */
function isDenied(error: unknown): boolean {
  return error instanceof AwsCallError && error.accessDenied
}

/** Runs the lookup; an access denial becomes `denied` (one warning per permission), anything else is thrown. */
async function attempt<T>(
  lookup: () => Promise<T>,
  permission: string,
  denied: Map<string, string>,
  what: string
): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await lookup() }
  } catch (error) {
    if (!isDenied(error)) throw error
    if (!denied.has(permission)) denied.set(permission, what)
    return { ok: false }
  }
}

const PASS_ROLE_RULE =
  'IAM passes a role only to a service of the same account (iam:PassRole; IAM User Guide, "Grant a user permissions to pass a role to an AWS service"), so ECS needs the task\'s roles in the account the task definition is registered in'

/**
 * A role ARN of another account than this workflow's: GetRole and the simulator only see this account's roles, so
 * nothing about it can be checked from here (a role of the same name here is another role).
 */
export function otherAccountFinding(label: RoleLabel, role: string, roleAccount: string, account: string): Finding {
  const key = label === 'task role' ? 'taskRoleArn' : 'executionRoleArn'
  return {
    level: 'warning',
    title: 'Role not verified',
    message: `The ${label} ${role} is in account ${roleAccount}, not in this workflow's account ${account}: its trust policy${label === 'task execution role' ? ' and permissions' : ''} cannot be read from here, so they were not checked (a role of the same name in ${account} is another role). ${PASS_ROLE_RULE}: registered in ${account}, the task could not use it. Use a role of ${account} in "${key}", or run this step with credentials of ${roleAccount} to check it there.`
  }
}

/**
 * The ARN names a path the role of that name does not have. Role names are unique in an account, so no role has the
 * ARN as written; the checks go on with the role IAM has (its own ARN), and say so.
 */
export function pathMismatchFinding(label: RoleLabel, role: string, actual: string): Finding {
  const key = label === 'task role' ? 'taskRoleArn' : 'executionRoleArn'
  return {
    level: 'warning',
    title: 'Role ARN does not match',
    message: `The ${label} ${role} names a path the role does not have: IAM's ARN for it is ${actual}. No role has the ARN as written, so ECS may be unable to assume it. The checks below are of ${actual}; write that ARN in "${key}".`
  }
}

function missingRoleFinding(label: RoleLabel, role: string): Finding {
  const key = label === 'task role' ? 'taskRoleArn' : 'executionRoleArn'
  return {
    level: 'error',
    message: `The ${label} ${role} does not exist, so ECS could not assume it and the task would not start.`,
    hint: `Create the role (trusting ${ECS_TASKS}) or fix "${key}" in the task definition.`
  }
}

/**
 * Trust of each role (iam:GetRole, concurrently, once per distinct role), then the execution role's read of the key
 * and kms:Decrypt on a customer-managed key (iam:SimulatePrincipalPolicy, concurrently). The key's metadata comes
 * from the look-up verify-secret makes anyway. Findings are in a stable order: trust, read, KMS, missing permissions.
 */
export async function checkRoles(request: RoleCheckRequest, lookups: RoleLookups): Promise<Finding[]> {
  const { ref } = request
  const denied = new Map<string, string>()
  const roles: { label: RoleLabel; value: string }[] = [
    { label: 'task execution role', value: request.executionRoleArn }
  ]
  if (request.taskRoleArn && request.taskRoleArn !== request.executionRoleArn)
    roles.push({ label: 'task role', value: request.taskRoleArn })

  let account: Promise<string> | undefined
  const callerAccount = () => (account ??= lookups.callerAccount())
  const [trust, metadata] = await Promise.all([
    Promise.all(roles.map(role => checkTrust(role.label, role.value, lookups, denied, callerAccount))),
    attempt(
      () => lookups.keyMetadata(),
      ref.kind === 'ssm' ? 'ssm:DescribeParameters' : 'secretsmanager:DescribeSecret',
      // verify-secret warns about its own look-up; a second warning would say the same.
      request.secretCheckRuns ? new Map<string, string>() : denied,
      `find the KMS key of the API key's ${ref.kind === 'ssm' ? 'parameter' : 'secret'}`
    )
  ])
  const findings: Finding[] = trust.flatMap(t => t.findings)

  const execution = trust[0]!
  // Not there, or not to be seen from here: nothing to simulate.
  if (execution.missing || execution.elsewhere) return finish(findings, denied)
  // The ARN to simulate: IAM's own (with the role's path) when GetRole answered, else as the definition says.
  const role = (execution.facts && parseRoleArn(execution.facts.arn)) ?? parseRoleArn(request.executionRoleArn)
  if (!role) {
    findings.push({
      level: 'warning',
      title: 'Roles not verified',
      message: `Could not simulate the task execution role ${request.executionRoleArn}: it is not a role ARN, and its ARN could not be read with iam:GetRole. Going on without the permission check.`
    })
    return finish(findings, denied)
  }

  const keyMeta = metadata.ok ? metadata.value : undefined
  const resource = keyResource(ref, request.region, role, keyMeta)
  // No KMS step when the metadata is unknown, or when there is no such parameter or secret (verify-secret says so).
  const kms = keyMeta ? kmsTarget(ref, resource, keyMeta) : undefined
  const simulate = (action: string, target: string) =>
    attempt(
      () => lookups.simulate(role.arn, action, target),
      'iam:SimulatePrincipalPolicy',
      denied,
      'simulate what the task execution role may do'
    )
  const [read, decrypt] = await Promise.all([
    simulate(readAction(ref), resource),
    kms && 'arn' in kms ? simulate('kms:Decrypt', kms.arn) : undefined
  ])

  if (read.ok) {
    findings.push(
      read.value
        ? readFinding(ref, role.arn, resource, read.value)
        : missingRoleFinding('task execution role', role.arn)
    )
  }
  if (!metadata.ok && request.secretCheckRuns) {
    findings.push({
      level: 'info',
      message: "Role check: kms:Decrypt not simulated: the key's metadata could not be read (see the secret check)."
    })
  } else if (kms?.kind === 'aws-managed') {
    findings.push({
      level: 'info',
      message: `Role check: the key is encrypted with the AWS-managed KMS key ${kms.keyId}, which needs no kms:Decrypt grant.`
    })
  }
  if (decrypt?.ok && decrypt.value && kms && 'arn' in kms)
    findings.push(kmsFinding(role.arn, kms, decrypt.value, resource))
  return finish(findings, denied)
}

interface TrustResult {
  facts?: RoleFacts
  /** Zero, one or two findings (a path that does not match, then the trust verdict). */
  findings: Finding[]
  /** The role does not exist in its account (this workflow's). */
  missing?: boolean
  /** The ARN names another account: nothing was looked at. */
  elsewhere?: boolean
}

/**
 * The trust policy of the role the value names. GetRole takes a name and answers with this account's role of that
 * name, so its ARN is compared with the one written: another account's role is never judged by this one's, and a
 * path the role does not have is said. Where GetRole cannot tell (no such role here, or GetRole denied), the
 * workflow's account decides whether "does not exist" is true or the role is elsewhere.
 */
async function checkTrust(
  label: RoleLabel,
  value: string,
  lookups: RoleLookups,
  denied: Map<string, string>,
  callerAccount: () => Promise<string>
): Promise<TrustResult> {
  const name = roleName(value)
  if (name === undefined) return { findings: [notARole(label, value)] }
  const written = parseRoleArn(value)
  const got = await attempt(
    () => lookups.getRole(name),
    'iam:GetRole',
    denied,
    "read the trust policies of the task's roles"
  )
  const found = got.ok && got.value ? parseRoleArn(got.value.arn) : undefined
  if (written && !found) {
    const account = await callerAccount()
    if (account !== written.account)
      return { findings: [otherAccountFinding(label, value, written.account, account)], elsewhere: true }
  } else if (written && found && found.account !== written.account) {
    return { findings: [otherAccountFinding(label, value, written.account, found.account)], elsewhere: true }
  }
  if (!got.ok) return { findings: [] }
  if (!got.value) return { findings: [missingRoleFinding(label, value)], missing: true }
  const facts = got.value
  const pathDiffers = written !== undefined && found !== undefined && rolePath(written.arn) !== rolePath(found.arn)
  const trust = trustFinding(label, pathDiffers ? facts.arn : value, evaluateTrust(facts.trustPolicy))
  return { facts, findings: pathDiffers ? [pathMismatchFinding(label, value, facts.arn), trust] : [trust] }
}

/** The path of a role ARN: what lies between `role` and the name ("/" for none). */
function rolePath(arn: string): string {
  const resource = arn.slice(arn.indexOf(':role/') + ':role'.length)
  return resource.slice(0, resource.lastIndexOf('/') + 1)
}

function notARole(label: RoleLabel, value: string): Finding {
  return {
    level: 'warning',
    title: 'Roles not verified',
    message: `The ${label} ${JSON.stringify(value)} is neither a role ARN nor a role name; its trust policy was not checked.`
  }
}

function finish(findings: Finding[], denied: Map<string, string>): Finding[] {
  return [...findings, ...[...denied].map(([permission, what]) => deniedFinding(permission, what))]
}
