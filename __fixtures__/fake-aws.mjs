// A loopback stand-in for the AWS APIs the actions call (ECS, SSM, Secrets Manager, CloudWatch Logs: AWS JSON 1.1;
// IAM: the AWS query protocol, form-encoded requests and XML answers) and for the Datadog API (key check, logs
// search). Plain ESM with node: imports only, so the bench can use it without a build.
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { randomUUID, createHash } from 'node:crypto'

const ACCOUNT = '111122223333'

// X-Amz-Target prefix -> the short service name used in `calls[].target`
const SERVICES = {
  AmazonEC2ContainerServiceV20141113: 'ECS',
  AmazonSSM: 'SSM',
  secretsmanager: 'SecretsManager',
  Logs_20140328: 'Logs'
}

// The exception each service uses for a 500: ECS models ServerException, the other two have their own names.
const SERVER_ERROR = {
  ECS: 'ServerException',
  SSM: 'InternalServerError',
  SecretsManager: 'InternalServiceError',
  Logs: 'ServiceUnavailableException'
}

const NOT_FOUND = {
  ECS: ['ClientException', 'The specified resource was not found.'],
  SSM: ['ParameterNotFound', undefined],
  SecretsManager: ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."],
  Logs: ['ResourceNotFoundException', 'The specified log group does not exist.']
}

export const IAM_ACTION = {
  'ECS.RegisterTaskDefinition': 'ecs:RegisterTaskDefinition',
  'SSM.GetParameter': 'ssm:GetParameter',
  'SSM.DescribeParameters': 'ssm:DescribeParameters',
  'SecretsManager.DescribeSecret': 'secretsmanager:DescribeSecret',
  'SecretsManager.GetSecretValue': 'secretsmanager:GetSecretValue',
  'IAM.GetRole': 'iam:GetRole',
  'STS.GetCallerIdentity': 'sts:GetCallerIdentity',
  'IAM.SimulatePrincipalPolicy': 'iam:SimulatePrincipalPolicy',
  'ECS.ListTasks': 'ecs:ListTasks',
  'ECS.DescribeTasks': 'ecs:DescribeTasks',
  'ECS.DescribeServices': 'ecs:DescribeServices',
  'ECS.ListClusters': 'ecs:ListClusters',
  'ECS.ListServices': 'ecs:ListServices',
  'ECS.DescribeTaskDefinition': 'ecs:DescribeTaskDefinition',
  'Logs.FilterLogEvents': 'logs:FilterLogEvents',
  'Logs.DescribeLogGroups': 'logs:DescribeLogGroups'
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
const IAM_VERSION = '2010-05-08'
// STS speaks the same query protocol, with its own version and namespace.
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/'
const STS_VERSION = '2011-06-15'
/** The identity the workflow's credentials stand for (GetCallerIdentity; the principal of access-denied messages). */
const CALLER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`
// IAM's RoleName pattern and length (API reference, GetRole).
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/
const DECISIONS = ['allowed', 'implicitDeny', 'explicitDeny']

class AwsError extends Error {
  constructor(type, message, status = 400) {
    super(message)
    this.type = type
    this.status = status
  }
}

const xmlEscape = value =>
  String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** IAM's wildcard match: `*` any run, `?` one character; actions ignore case, resources do not. */
function globMatch(pattern, value, ignoreCase) {
  const source = String(pattern)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value)
}

const asList = value => (value === undefined ? [] : Array.isArray(value) ? value : [value])

/** Query-protocol lists: Name.member.1, Name.member.2 … (contiguous from 1), undefined when absent. */
function memberList(params, name) {
  const values = []
  for (let i = 1; params[`${name}.member.${i}`] !== undefined; i++) values.push(params[`${name}.member.${i}`])
  const stray = Object.keys(params).find(k => k.startsWith(`${name}.member.`) && !/\.member\.\d+$/.test(k))
  if (stray) throw new AwsError('MalformedQueryString', `Invalid query parameter ${stray}`)
  return values.length > 0 ? values : undefined
}

/** IAM's message for a missing required member (the model's member name, lower camel case). */
function notNull(params, name) {
  const value = params[name]
  if (value === undefined || value === '') {
    const member = name[0].toLowerCase() + name.slice(1)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`
    )
  }
  return value
}
const SSM_ARN = /^arn:aws[\w-]*:ssm:([^:]*):(\d*):parameter(\/.*)$/

/** SSM accepts a name or an ARN; ARNs of hierarchical names keep their leading slash. */
function ssmName(nameOrArn) {
  const m = SSM_ARN.exec(nameOrArn)
  if (!m) return nameOrArn
  const rest = m[3]
  return rest.indexOf('/', 1) === -1 ? rest.slice(1) : rest
}

/** The account of an SSM ARN, or undefined for a plain name. */
function ssmAccount(nameOrArn) {
  return SSM_ARN.exec(nameOrArn)?.[2]
}

/** A page a proxy or captive portal answers with instead of AWS. */
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in to continue</title></head><body><form action="/login">Corporate proxy: sign in</form></body></html>'

/** Secrets Manager ARNs end in '-' plus 6 random characters after the name. */
function secretFromKey(key, region) {
  const m = /^arn:aws[\w-]*:secretsmanager:[^:]*:\d*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(key)
  if (m) return { arn: key, name: m[1] }
  const suffix = createHash('sha256').update(key).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6)
  return { arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${key}-${suffix}`, name: key }
}

function regionOf(headers) {
  // SigV4: Credential=AKID/20261125/<region>/<service>/aws4_request
  const m = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(headers.authorization ?? '')
  return m ? m[1] : 'us-east-1'
}

const epoch = () => Math.floor(Date.now() / 1000)

/**
 * @param {import('./fake-aws.d.mts').FakeAwsOptions} [opts]
 * @returns {Promise<import('./fake-aws.d.mts').FakeAws>}
 */
export async function startFakeAws(opts = {}) {
  const region0 = 'us-east-1'
  const parameters = new Map(Object.entries(opts.parameters ?? {}).map(([k, v]) => [ssmName(k), v]))
  const parameterKeyIds = new Map(Object.entries(opts.parameterKeyIds ?? {}).map(([k, v]) => [ssmName(k), v]))
  // Parameters of other accounts shared with this one (AWS RAM): read by full ARN, listed by DescribeParameters with
  // Shared: true, never by a plain name.
  const shared = Object.entries(opts.sharedParameters ?? {}).map(([arn, value]) => {
    const m = SSM_ARN.exec(arn)
    if (!m || m[2] === ACCOUNT) throw new Error(`fake-aws: sharedParameters takes ARNs of other accounts, not ${arn}`)
    return { arn, name: ssmName(arn), value }
  })
  const secrets = Object.entries(opts.secrets ?? {}).map(([k, v]) => ({ ...secretFromKey(k, region0), value: v }))
  for (const [k, keyId] of Object.entries(opts.secretKmsKeyIds ?? {})) {
    const s = secrets.find(x => x.arn === k || x.name === k)
    if (!s) throw new Error(`fake-aws: secretKmsKeyIds names ${k}, which is not in secrets`)
    s.kmsKeyId = keyId
  }
  const roles = Object.entries(opts.roles ?? {}).map(([name, role]) => iamRole(name, role))
  const validKeys = new Set(opts.validKeys ?? [])
  const validKeysByDomain = new Map(Object.entries(opts.validKeysByDomain ?? {}).map(([d, keys]) => [d, new Set(keys)]))
  const revisions = new Map()
  const ecs = createEcsState(opts, region0)
  const logs = createLogsState(opts)
  const datadog = createDatadogState(opts)
  const faults = new Map()
  const sockets = new Set()
  const calls = []
  const registered = []

  const findSecret = id =>
    secrets.find(
      s => s.arn === id || s.name === id || s.arn.slice(0, -7) === id // partial ARN (no random suffix)
    )

  const handlers = {
    'ECS.RegisterTaskDefinition'(body, region) {
      validateTaskDefinition(body)
      registered.push(body)
      const n = Math.max(revisions.get(body.family) ?? 0, ecs.latestRevision(body.family)) + 1
      revisions.set(body.family, n)
      const prefix = opts.taskDefinitionArnPrefix ?? `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/`
      const { tags, ...request } = body
      const taskDefinition = {
        ...request,
        taskDefinitionArn: `${prefix}${body.family}:${n}`,
        revision: n,
        status: 'ACTIVE',
        registeredAt: Date.now() / 1000,
        registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`
      }
      ecs.taskDefinitions.push(taskDefinition)
      return { taskDefinition, tags: tags ?? [] }
    },
    'ECS.ListTasks'(body) {
      return ecs.listTasks(body)
    },
    'ECS.DescribeTasks'(body) {
      return ecs.describeTasks(body)
    },
    'ECS.DescribeServices'(body, region) {
      return ecs.describeServices(body, region)
    },
    'ECS.ListClusters'(body) {
      return ecs.listClusters(body)
    },
    'ECS.ListServices'(body) {
      return ecs.listServices(body)
    },
    'ECS.DescribeTaskDefinition'(body) {
      return ecs.describeTaskDefinition(body)
    },
    'Logs.FilterLogEvents'(body) {
      return logs.filterLogEvents(body)
    },
    'Logs.DescribeLogGroups'(body, region) {
      return logs.describeLogGroups(body, region)
    },
    'SSM.GetParameter'(body, region) {
      const name = ssmName(String(body.Name ?? ''))
      const ref = '/aws/reference/secretsmanager/'
      if (name.startsWith(ref)) {
        // SSM only reads a Secrets Manager secret through this path with decryption on.
        if (body.WithDecryption !== true) {
          throw new AwsError(
            'ValidationException',
            'WithDecryption flag must be True for retrieving a Secret Manager secret.'
          )
        }
        const s = findSecret(name.slice(ref.length))
        if (!s) throw new AwsError('ParameterNotFound', undefined)
        return {
          Parameter: {
            Name: name,
            Type: 'SecureString',
            Value: s.value,
            Version: 0,
            SourceResult: JSON.stringify({ ARN: s.arn, Name: s.name }),
            LastModifiedDate: epoch(),
            ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name}`,
            DataType: 'text'
          }
        }
      }
      const account = ssmAccount(String(body.Name ?? ''))
      if (account !== undefined && account !== ACCOUNT) {
        const p = shared.find(sp => sp.arn === body.Name)
        if (!p) throw new AwsError('ParameterNotFound', undefined)
        const value =
          body.WithDecryption === true ? p.value : Buffer.from(`AQICAHfake-ciphertext:${p.arn}`).toString('base64')
        return { Parameter: { ...sharedMeta(p), Value: value } }
      }
      if (!parameters.has(name)) throw new AwsError('ParameterNotFound', undefined)
      // Every parameter here is a SecureString (it holds an API key): without decryption SSM returns the
      // ciphertext, base64, never the plaintext.
      const value =
        body.WithDecryption === true
          ? parameters.get(name)
          : Buffer.from(`AQICAHfake-ciphertext:${name}`).toString('base64')
      return { Parameter: { ...paramMeta(name, region), Value: value } }
    },
    'SSM.DescribeParameters'(body, region) {
      // Shared: true lists only what other accounts share with this one; without it, only this account's own.
      let found = body.Shared === true ? shared.map(sharedMeta) : [...parameters.keys()].map(n => paramMeta(n, region))
      for (const f of body.ParameterFilters ?? []) {
        if (f.Key !== 'Name') continue
        const values = (f.Values ?? []).map(String)
        if (values.some(v => v.startsWith('arn:'))) {
          throw new AwsError('ValidationException', 'Parameter name: can\'t be prefixed with "arn:"')
        }
        const option = f.Option ?? 'Equals'
        found = found.filter(p => values.some(v => (option === 'BeginsWith' ? p.Name.startsWith(v) : p.Name === v)))
      }
      for (const f of body.Filters ?? []) {
        if (f.Key === 'Name') found = found.filter(p => (f.Values ?? []).includes(p.Name))
      }
      if (typeof body.MaxResults === 'number') found = found.slice(0, body.MaxResults)
      return { Parameters: found }
    },
    'SecretsManager.DescribeSecret'(body) {
      const s = findSecret(String(body.SecretId ?? ''))
      if (!s) throw new AwsError(...NOT_FOUND.SecretsManager)
      return {
        ARN: s.arn,
        Name: s.name,
        // Omitted for the AWS-managed key aws/secretsmanager, as Secrets Manager does.
        ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
        LastChangedDate: epoch(),
        CreatedDate: epoch(),
        RotationEnabled: false,
        VersionIdsToStages: { [versionId(s.arn)]: ['AWSCURRENT'] }
      }
    },
    'SecretsManager.GetSecretValue'(body) {
      const s = findSecret(String(body.SecretId ?? ''))
      if (!s) throw new AwsError(...NOT_FOUND.SecretsManager)
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: versionId(s.arn),
        SecretString: s.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: epoch()
      }
    }
  }

  const findRoleByName = name => roles.find(r => r.name === name)

  // IAM (query protocol): each handler returns the inner XML of <Action>Result.
  const iamHandlers = {
    GetRole(params) {
      const name = notNull(params, 'RoleName')
      if (!ROLE_NAME.test(name)) {
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`
        )
      }
      const role = findRoleByName(name)
      if (!role) throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404)
      return roleXml(role)
    },
    SimulatePrincipalPolicy(params) {
      const source = notNull(params, 'PolicySourceArn')
      const actions = memberList(params, 'ActionNames')
      if (!actions) notNull({}, 'ActionNames')
      const given = memberList(params, 'ResourceArns')
      const resources = given ?? ['*']
      for (const key of ['CallerArn', 'ResourcePolicy', 'PolicyInputList.member.1', 'ContextEntries.member.1']) {
        if (params[key] !== undefined) throw new Error(`fake-aws: SimulatePrincipalPolicy ${key} is not modelled`)
      }
      if (!/^arn:aws[\w-]*:iam::\d{12}:(role|user|group)\/.+/.test(source)) {
        throw new AwsError('InvalidInput', `Invalid ARN: ${source}`)
      }
      for (const a of actions) {
        if (!/^[\w-]+:[\w*?]+$/.test(a)) throw new AwsError('InvalidInput', `Invalid action name: ${a}`)
      }
      const role = roles.find(r => r.arn === source)
      if (!role) {
        const name = source.slice(source.lastIndexOf('/') + 1)
        throw new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404)
      }
      const members = actions.map(action => simulationXml(role, action, resources, given !== undefined))
      return `<IsTruncated>false</IsTruncated><EvaluationResults>${members.join('')}</EvaluationResults>`
    }
  }

  // STS: GetCallerIdentity takes no parameters and needs no permission (AWS: even an explicit Deny cannot stop it).
  const stsHandlers = {
    GetCallerIdentity(params) {
      const extra = Object.keys(params).filter(k => k !== 'Action' && k !== 'Version')
      if (extra.length > 0) throw new AwsError('InvalidParameterValue', `Unknown parameter ${extra[0]}`)
      return `<Arn>${CALLER_ARN}</Arn><UserId>AROAFAKEDEPLOYER0000:ci</UserId><Account>${ACCOUNT}</Account>`
    }
  }

  function paramMeta(name, region) {
    return {
      Name: name,
      ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      Type: 'SecureString',
      KeyId: parameterKeyIds.get(name) ?? 'alias/aws/ssm',
      LastModifiedDate: epoch(),
      LastModifiedUser: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/setup`,
      Version: 1,
      Tier: 'Standard',
      Policies: [],
      DataType: 'text'
    }
  }

  function sharedMeta(p) {
    const [, region, owner] = SSM_ARN.exec(p.arn)
    return {
      Name: p.name,
      ARN: p.arn,
      Type: 'SecureString',
      KeyId: `arn:aws:kms:${region}:${owner}:key/0d5e1c2a-3f4b-4c5d-8e9f-0a1b2c3d4e5f`,
      LastModifiedDate: epoch(),
      LastModifiedUser: `arn:aws:sts::${owner}:assumed-role/admin/setup`,
      Version: 1,
      Tier: 'Advanced',
      Policies: [],
      DataType: 'text'
    }
  }

  // Token buckets per target, as ECS throttles (opts.throttle): a call finding its bucket empty is throttled.
  const buckets = new Map()
  function rateFault(target) {
    const rate = opts.throttle?.[target]
    if (!rate) return undefined
    const now = Date.now()
    const b = buckets.get(target) ?? { tokens: rate.burst, at: now }
    b.tokens = Math.min(rate.burst, b.tokens + ((now - b.at) / 1000) * rate.perSecond)
    b.at = now
    buckets.set(target, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return undefined
    }
    throttled.push(target)
    return { kind: 'throttle' }
  }

  // A cluster this caller may not read (opts.deniedClusters): every ECS call naming it is denied, as IAM denies a
  // policy whose Resource leaves that cluster out.
  function deniedClusterFault(service, target, body) {
    if (service !== 'ECS' || !body || typeof body !== 'object' || body.cluster === undefined) return undefined
    const name = clusterNameOf(String(body.cluster))
    if (!(opts.deniedClusters ?? []).includes(name)) return undefined
    const action = IAM_ACTION[target] ?? target
    return {
      kind: 'accessDenied',
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/ci is not authorized to perform: ${action} on resource: arn:aws:ecs:${region0}:${ACCOUNT}:cluster/${name} because no identity-based policy allows the ${action} action`
    }
  }
  const throttled = []

  function takeFault(target) {
    const queue = faults.get(target)
    return queue && queue.length > 0 ? queue.shift() : undefined
  }

  function sendJson(res, status, payload, headers = {}) {
    const body = JSON.stringify(payload)
    res.writeHead(status, {
      'content-type': headers['content-type'] ?? 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID(),
      ...headers
    })
    res.end(body)
  }

  function sendAwsError(res, err) {
    const payload = { __type: err.type }
    if (err.message) payload.message = err.message
    sendJson(res, err.status, payload, { 'x-amzn-errortype': err.type })
  }

  function sendHtml(res, status) {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(LOGIN_PAGE)
    })
    res.end(LOGIN_PAGE)
  }

  /** The headers at once, then the body one byte every `intervalMs` (default 2 s): alive, never idle, never done. */
  function trickle(res, status, body, contentType, fault) {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID()
    })
    let i = 0
    const bytes = Buffer.from(body)
    const timer = setInterval(() => {
      if (res.destroyed || i >= bytes.length) {
        clearInterval(timer)
        if (!res.destroyed) res.end()
        return
      }
      res.write(bytes.subarray(i, i + 1))
      i++
    }, fault.intervalMs ?? 2000)
    res.on('close', () => clearInterval(timer))
  }

  function faultError(service, target, fault) {
    switch (fault.kind) {
      case 'throttle':
        return new AwsError('ThrottlingException', 'Rate exceeded')
      case 'accessDenied':
        return new AwsError(
          'AccessDeniedException',
          fault.message ??
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci is not authorized to perform: ${IAM_ACTION[target] ?? target} on resource: * because no identity-based policy allows the ${IAM_ACTION[target] ?? target} action`
        )
      case 'serverError':
        return new AwsError(
          SERVER_ERROR[service] ?? 'ServerException',
          'We encountered an internal error. Please try again.',
          fault.status ?? 500
        )
      case 'clientException':
        return new AwsError('ClientException', fault.message)
      case 'notFound':
        return new AwsError(...(NOT_FOUND[service] ?? ['ResourceNotFoundException', 'Not found']))
      default:
        throw new Error(`fake-aws: unknown fault kind ${JSON.stringify(fault)}`)
    }
  }

  /** `domain` is set for /<domain>/api/v1/validate (one fake playing every site), undefined for /api/v1/validate. */
  function handleDatadog(req, res, headers, domain) {
    const target = 'Datadog.validate'
    calls.push(
      domain === undefined ? { target, body: undefined, headers } : { target, body: undefined, headers, domain }
    )
    const fault = takeFault(target)
    const send = (status, payload) => {
      const body = JSON.stringify(payload)
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'trickle') return trickle(res, 200, JSON.stringify({ valid: true }), 'application/json', fault)
    if (fault?.kind === 'html') return sendHtml(res, fault.status ?? 200)
    if (fault?.kind === 'throttle') return send(429, { errors: ['Rate limit exceeded'] })
    if (fault?.kind === 'serverError') return send(fault.status ?? 500, { errors: ['Internal Server Error'] })
    if (fault?.kind === 'notFound') return send(404, { errors: ['Not Found'] })
    if (fault) return send(403, { errors: ['Forbidden'] })
    const accepted = domain === undefined ? validKeys : (validKeysByDomain.get(domain) ?? new Set())
    if (accepted.has(headers['dd-api-key'] ?? '')) return send(200, { valid: true })
    return send(403, { errors: ['Forbidden'] })
  }

  function sendXml(res, status, body) {
    res.writeHead(status, {
      'content-type': 'text/xml',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID()
    })
    res.end(body)
  }

  function sendIamError(res, err, ns = IAM_NS) {
    const type = err.status >= 500 ? 'Receiver' : 'Sender'
    const message = err.message ? `<Message>${xmlEscape(err.message)}</Message>` : ''
    sendXml(
      res,
      err.status,
      `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${err.type}</Code>${message}</Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
    )
  }

  /** The IAM error a queued fault stands for. */
  function iamFault(target, fault, params) {
    const action = IAM_ACTION[target] ?? target
    switch (fault.kind) {
      case 'throttle':
        return new AwsError('Throttling', 'Rate exceeded')
      case 'accessDenied': {
        const resource = params.RoleName ? `role ${params.RoleName}` : (params.PolicySourceArn ?? '*')
        return new AwsError(
          'AccessDenied',
          fault.message ??
            `User: arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
          403
        )
      }
      case 'serverError':
        return new AwsError('ServiceFailure', 'Service Failure', fault.status ?? 500)
      case 'clientException':
        return new AwsError('InvalidInput', fault.message)
      case 'notFound':
        return new AwsError('NoSuchEntity', `The role with name ${params.RoleName ?? '?'} cannot be found.`, 404)
      default:
        throw new Error(`fake-aws: unknown fault kind ${JSON.stringify(fault)}`)
    }
  }

  /**
   * AWS query protocol (IAM, STS): POST / with Action=…&Version=… form-encoded, SigV4 for the iam or sts service.
   * Each service checks its own Version and answers in its own namespace.
   */
  function handleQuery(req, res, headers, path, raw) {
    const params = Object.fromEntries(new URLSearchParams(raw))
    const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1]
    const service = {
      iam: { prefix: 'IAM', ns: IAM_NS, version: IAM_VERSION, handlers: iamHandlers },
      sts: { prefix: 'STS', ns: STS_NS, version: STS_VERSION, handlers: stsHandlers }
    }[scope ?? '']
    const target = service
      ? `${service.prefix}.${params.Action ?? ''}`
      : `${req.method} ${path} (${scope ?? 'unsigned'})`
    calls.push({ target, body: params, headers })
    if (!service) {
      return sendIamError(res, new AwsError('InvalidClientTokenId', `fake-aws: no query service ${scope}`, 403))
    }
    const fault = takeFault(target)
    if (fault?.kind === 'hang') return
    try {
      if (fault) throw iamFault(target, fault, params)
      if (req.method !== 'POST' || path !== '/') throw new AwsError('InvalidAction', `fake-aws: ${req.method} ${path}`)
      if (params.Version !== service.version) {
        throw new AwsError('InvalidParameterValue', `Invalid Version: ${params.Version ?? 'null'}`)
      }
      const action = params.Action ?? ''
      const handler = service.handlers[action]
      if (!handler)
        throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${service.version}`)
      sendXml(
        res,
        200,
        `<${action}Response xmlns="${service.ns}"><${action}Result>${handler(params)}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
      )
    } catch (err) {
      if (err instanceof AwsError) sendIamError(res, err, service.ns)
      else sendIamError(res, new AwsError('ServiceFailure', String(err?.stack ?? err), 500), service.ns)
    }
  }

  /** POST /api/v2/logs/events/search (or /<domain>/api/v2/…, one fake playing every site), as Datadog answers it. */
  function handleLogsSearch(req, res, headers, raw, domain) {
    const target = 'Datadog.logsSearch'
    let body
    try {
      body = raw ? JSON.parse(raw) : {}
    } catch {
      body = raw
    }
    calls.push(domain === undefined ? { target, body, headers } : { target, body, headers, domain })
    const send = (status, payload, extra = {}) => {
      const text = JSON.stringify(payload)
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...extra
      })
      res.end(text)
    }
    if (req.method !== 'POST') return send(405, { errors: ['Method Not Allowed'] })
    const fault = takeFault(target)
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'throttle') {
      return send(
        429,
        { errors: ['Too many requests'] },
        {
          'x-ratelimit-limit': '300',
          'x-ratelimit-period': '3600',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(fault.resetSeconds ?? 1),
          'x-ratelimit-name': 'logs_query'
        }
      )
    }
    if (fault?.kind === 'serverError') return send(fault.status ?? 500, { errors: ['Internal Server Error'] })
    if (fault?.kind === 'notFound') return send(404, { errors: ['Not Found'] })
    if (fault) return send(403, { errors: ['Forbidden'] })
    const keys = datadog.keysFor(domain)
    if (!keys.api.has(headers['dd-api-key'] ?? '') || !keys.app.has(headers['dd-application-key'] ?? '')) {
      return send(403, { errors: ['Forbidden'] })
    }
    if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) {
      return send(415, { errors: ['Unsupported Media Type: use application/json'] })
    }
    try {
      return send(200, datadog.search(domain, body))
    } catch (err) {
      if (err instanceof DatadogError) return send(err.status, { errors: [err.message] })
      throw err
    }
  }

  const onRequest = (req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const headers = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v)
      const path = (req.url ?? '/').split('?')[0]
      if (req.method === 'GET' && path === '/api/v1/validate') return handleDatadog(req, res, headers)
      const perSite = /^\/([^/]+)\/api\/v1\/validate$/.exec(path)
      if (req.method === 'GET' && perSite) return handleDatadog(req, res, headers, perSite[1])
      const search = /^(?:\/([^/]+))?\/api\/v2\/logs\/events\/search$/.exec(path)
      if (search) return handleLogsSearch(req, res, headers, Buffer.concat(chunks).toString('utf8'), search[1])

      if (!headers['x-amz-target'] && /^application\/x-www-form-urlencoded/.test(headers['content-type'] ?? '')) {
        return handleQuery(req, res, headers, path, Buffer.concat(chunks).toString('utf8'))
      }

      const amzTarget = headers['x-amz-target'] ?? ''
      const [prefix, op] = amzTarget.split('.')
      const service = SERVICES[prefix ?? '']
      const target = service && op ? `${service}.${op}` : amzTarget || `${req.method} ${path}`
      const raw = Buffer.concat(chunks).toString('utf8')
      let body
      try {
        body = raw ? JSON.parse(raw) : {}
      } catch {
        body = raw
      }
      calls.push({ target, body, headers })

      if (req.method !== 'POST' || !service) {
        return sendJson(
          res,
          404,
          { __type: 'UnknownOperationException', message: `fake-aws: no route for ${target}` },
          { 'x-amzn-errortype': 'UnknownOperationException' }
        )
      }
      const fault = takeFault(target) ?? rateFault(target) ?? deniedClusterFault(service, target, body)
      const request = { service, target, body, headers }
      // A per-request latency (opts.latencyMs), as a real endpoint has: the bench measures concurrency with it.
      if (opts.latencyMs) return void setTimeout(() => respond(fault, request), opts.latencyMs)
      respond(fault, request)
    })

    function respond(fault, { service, target, body, headers }) {
      if (res.destroyed) return
      if (fault?.kind === 'hang') return // keep the socket open; close() destroys it
      if (fault?.kind === 'html') return sendHtml(res, fault.status ?? 200)
      try {
        if (fault && !['trickle', 'noArn'].includes(fault.kind)) throw faultError(service, target, fault)
        const handler = handlers[target]
        if (!handler) throw new AwsError('UnknownOperationException', `fake-aws does not implement ${target}`)
        const answer = handler(body, regionOf(headers))
        if (fault?.kind === 'noArn') {
          // The request was handled (a revision exists), but the answer lost its ARN.
          if (answer.taskDefinition) delete answer.taskDefinition.taskDefinitionArn
        }
        if (fault?.kind === 'trickle')
          return trickle(res, 200, JSON.stringify(answer), 'application/x-amz-json-1.1', fault)
        sendJson(res, 200, answer)
      } catch (err) {
        if (err instanceof AwsError) sendAwsError(res, err)
        else sendAwsError(res, new AwsError(SERVER_ERROR[service], String(err?.stack ?? err), 500))
      }
    }
  }
  const server = opts.tls
    ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, onRequest)
    : createServer(onRequest)
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(undefined))
  })
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    calls,
    registered,
    /** Targets answered with ThrottlingException by opts.throttle, in order. */
    throttled,
    addTask(cluster, task) {
      ecs.addTask(cluster, task)
    },
    setTask(cluster, task, patch) {
      ecs.setTask(cluster, task, patch)
    },
    appendLogEvents(group, stream, events) {
      logs.append(group, stream, events)
    },
    addDatadogLogs(domain, records) {
      datadog.add(domain, records)
    },
    fault(target, ...responses) {
      const queue = faults.get(target) ?? []
      queue.push(...responses)
      faults.set(target, queue)
    },
    close() {
      return new Promise(resolve => {
        server.close(() => resolve(undefined))
        // Hung requests and keep-alive sockets would otherwise hold close() open.
        for (const s of sockets) s.destroy()
      })
    }
  }
}

/** A seeded role: its ARN (with path), a stable RoleId, the trust policy and the identity policies to simulate. */
function iamRole(name, role) {
  if (!ROLE_NAME.test(name)) throw new Error(`fake-aws: ${name} is not a role name`)
  const path = role.path ?? '/'
  if (!/^\/(.*\/)?$/.test(path)) throw new Error(`fake-aws: role path ${path} must start and end with /`)
  const trust = role.trustPolicy
  if (trust === undefined) throw new Error(`fake-aws: role ${name} needs a trustPolicy`)
  const id = createHash('sha256')
    .update(name)
    .digest('hex')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 17)
  return {
    name,
    path,
    arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
    id: `AROA${id}`,
    trustPolicy: typeof trust === 'string' ? trust : JSON.stringify(trust),
    policies: Object.entries(role.policies ?? {}).map(([policyName, doc]) => ({
      name: policyName,
      statements: asList(Array.isArray(doc) ? doc : doc.Statement)
    }))
  }
}

function roleXml(role) {
  // IAM returns policy documents URL-encoded (RFC 3986).
  return [
    '<Role>',
    `<Path>${xmlEscape(role.path)}</Path>`,
    `<RoleName>${xmlEscape(role.name)}</RoleName>`,
    `<RoleId>${role.id}</RoleId>`,
    `<Arn>${xmlEscape(role.arn)}</Arn>`,
    '<CreateDate>2026-01-15T09:30:00Z</CreateDate>',
    `<AssumeRolePolicyDocument>${encodeURIComponent(role.trustPolicy)}</AssumeRolePolicyDocument>`,
    '<MaxSessionDuration>3600</MaxSessionDuration>',
    '<RoleLastUsed/>',
    '</Role>'
  ].join('')
}

function statementMatches(statement, action, resource) {
  const actionHit = patterns => asList(patterns).some(p => globMatch(p, action, true))
  const resourceHit = patterns => asList(patterns).some(p => globMatch(p, resource, false))
  const actionOk = statement.Action !== undefined ? actionHit(statement.Action) : !actionHit(statement.NotAction)
  const resourceOk =
    statement.Resource !== undefined ? resourceHit(statement.Resource) : !resourceHit(statement.NotResource)
  return actionOk && resourceOk
}

/**
 * The simulator's decision for one action on one resource from the role's identity policies: an explicit Deny wins,
 * then any Allow; else implicitDeny. A statement with a Condition cannot match without context values: its keys are
 * reported as missing, as IAM does.
 */
function evaluate(role, action, resource) {
  let decision = 'implicitDeny'
  let matched = []
  const missing = new Set()
  for (const policy of role.policies) {
    for (const statement of policy.statements) {
      if (!statementMatches(statement, action, resource)) continue
      if (statement.Condition) {
        for (const block of Object.values(statement.Condition)) for (const key of Object.keys(block)) missing.add(key)
        continue
      }
      if (statement.Effect === 'Deny') {
        if (decision !== 'explicitDeny') matched = []
        decision = 'explicitDeny'
        matched.push(policy.name)
      } else if (statement.Effect === 'Allow' && decision !== 'explicitDeny') {
        decision = 'allowed'
        matched.push(policy.name)
      }
    }
  }
  return { decision, matched: [...new Set(matched)], missing: [...missing] }
}

const statementsXml = names =>
  `<MatchedStatements>${names.map(n => `<member><SourcePolicyId>${xmlEscape(n)}</SourcePolicyId><SourcePolicyType>role</SourcePolicyType></member>`).join('')}</MatchedStatements>`
const missingXml = keys =>
  `<MissingContextValues>${keys.map(k => `<member>${xmlEscape(k)}</member>`).join('')}</MissingContextValues>`

/**
 * One EvaluationResult per action (the simulator's current shape): the aggregate decision across the resources
 * (the most restrictive), and with ResourceArns given, one ResourceSpecificResult per resource, which is where
 * missing context values go.
 */
function simulationXml(role, action, resources, resourcesGiven) {
  const results = resources.map(resource => ({ resource, ...evaluate(role, action, resource) }))
  // DECISIONS is ordered from the least to the most restrictive.
  const worst = results.reduce(
    (a, r) => (DECISIONS.indexOf(r.decision) > DECISIONS.indexOf(a) ? r.decision : a),
    'allowed'
  )
  const specific = resourcesGiven
    ? `<ResourceSpecificResults>${results
        .map(
          r =>
            `<member><EvalResourceName>${xmlEscape(r.resource)}</EvalResourceName><EvalResourceDecision>${r.decision}</EvalResourceDecision>${statementsXml(r.matched)}${missingXml(r.missing)}</member>`
        )
        .join('')}</ResourceSpecificResults>`
    : ''
  return [
    '<member>',
    `<EvalActionName>${xmlEscape(action)}</EvalActionName>`,
    `<EvalResourceName>${xmlEscape(resources.length === 1 ? resources[0] : '*')}</EvalResourceName>`,
    `<EvalDecision>${worst}</EvalDecision>`,
    statementsXml([...new Set(results.flatMap(r => r.matched))]),
    missingXml(resourcesGiven ? [] : results.flatMap(r => r.missing)),
    resourcesGiven ? '<EvalDecisionDetails/>' : '',
    specific,
    '</member>'
  ].join('')
}

function versionId(arn) {
  const h = createHash('sha256').update(arn).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * The ECS rules the action must respect (see notes/facts.md). The messages are modelled on ECS's ClientException
 * wording, not copied verbatim.
 */
function validateTaskDefinition(td) {
  if (!td || typeof td !== 'object') throw new AwsError('ClientException', 'Request body is not a task definition.')
  // ECS's size limit, in its words (awsdocs/amazon-ecs-developer-guide#149); the SDK sends compact JSON.
  const length = Buffer.byteLength(JSON.stringify(td))
  if (length > 65536)
    throw new AwsError('ClientException', `Actual length: '${length}'. Max allowed length is '65536' bytes.`)
  if (!td.family) throw new AwsError('ClientException', 'Family name should not be null or empty.')
  const containers = td.containerDefinitions
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new AwsError('ClientException', 'Container list cannot be empty.')
  }
  if (containers.length > 10) {
    throw new AwsError('ClientException', 'Too many containers in the task definition. The maximum is 10.')
  }
  const names = new Set()
  for (const c of containers) {
    if (!c.name) throw new AwsError('ClientException', 'Container.name should not be null or empty.')
    if (!c.image) throw new AwsError('ClientException', 'Container.image should not be null or empty.')
    if (names.has(c.name)) throw new AwsError('ClientException', `Duplicate container name: ${c.name}.`)
    names.add(c.name)
  }
  const routers = containers.filter(c => c.firelensConfiguration)
  const routed = containers.filter(c => c.logConfiguration?.logDriver === 'awsfirelens')
  if (routers.length > 1) {
    throw new AwsError('ClientException', 'Only one container can have a firelensConfiguration in a task definition.')
  }
  if (routed.length > 0 && routers.length === 0) {
    throw new AwsError(
      'ClientException',
      'When a container uses the awsfirelens log driver, a firelensConfiguration must be specified in one container.'
    )
  }
  if (routers.length === 1 && routed.length === 0) {
    throw new AwsError(
      'ClientException',
      'When a firelensConfiguration object is specified, at least one container has to be configured with the awsfirelens log driver.'
    )
  }
  if (routers[0]?.logConfiguration?.logDriver === 'awsfirelens') {
    throw new AwsError('ClientException', 'The firelens container cannot use the awsfirelens log driver.')
  }
  const usesSecrets = containers.some(
    c => (c.secrets?.length ?? 0) > 0 || (c.logConfiguration?.secretOptions?.length ?? 0) > 0
  )
  if (usesSecrets && !td.executionRoleArn) {
    throw new AwsError(
      'ClientException',
      "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'."
    )
  }
  checkMemory(td, containers)
  // Task-level memory is a hard ceiling for the containers' reservations (hard limit when no reservation).
  const taskMemory = Number(td.memory)
  if (td.memory !== undefined && Number.isFinite(taskMemory)) {
    const reserved = containers.reduce((sum, c) => sum + Number(c.memoryReservation ?? c.memory ?? 0), 0)
    if (reserved > taskMemory) {
      throw new AwsError(
        'ClientException',
        `The sum of the containers' memory (${reserved} MiB) exceeds the task memory (${taskMemory} MiB).`
      )
    }
  }
  for (const c of containers) {
    for (const [k, v] of Object.entries(c.logConfiguration?.options ?? {})) {
      if (typeof v !== 'string')
        throw new AwsError('ClientException', `Log configuration option ${k} must be a string.`)
    }
  }
}

/** Fargate's task sizes: cpu units -> the valid memory values (MiB), as in the ECS developer guide. */
const FARGATE_SIZES = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: Array.from({ length: 7 }, (_, i) => 2048 + i * 1024),
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
  8192: Array.from({ length: 12 }, (_, i) => 16384 + i * 4096),
  16384: Array.from({ length: 12 }, (_, i) => 32768 + i * 8192)
}

/** ECS's memory rules at registration, in its words (the container-level ones, and Fargate's task sizes). */
function checkMemory(td, containers) {
  const fargate = Array.isArray(td.requiresCompatibilities) && td.requiresCompatibilities.includes('FARGATE')
  if (fargate) {
    if (td.cpu === undefined || td.memory === undefined)
      throw new AwsError('ClientException', "Fargate requires that 'cpu' be defined at the task level.")
    const valid = FARGATE_SIZES[Number(td.cpu)]
    if (!valid || !valid.includes(Number(td.memory)))
      throw new AwsError(
        'ClientException',
        `No Fargate configuration exists for given values: ${td.cpu} CPU, ${td.memory} memory. See the Amazon ECS documentation for the valid values.`
      )
  }
  for (const c of containers) {
    const memory = c.memory === undefined ? undefined : Number(c.memory)
    const reservation = c.memoryReservation === undefined ? undefined : Number(c.memoryReservation)
    if (td.memory === undefined && memory === undefined && reservation === undefined)
      throw new AwsError(
        'ClientException',
        `Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`
      )
    if (memory !== undefined && reservation !== undefined && memory < reservation)
      throw new AwsError(
        'ClientException',
        `Invalid setting for container '${c.name}'. 'memory' must be greater than or equal to 'memoryReservation'.`
      )
    if (td.memory !== undefined && memory !== undefined && memory > Number(td.memory))
      throw new AwsError(
        'ClientException',
        `Invalid 'memory' setting for container '${c.name}'. The container memory must be less than or equal to the task memory.`
      )
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ECS: clusters, services, tasks and task definitions, for ListTasks, DescribeTasks, DescribeServices and
// DescribeTaskDefinition. Times are seeded in epoch milliseconds and answered in epoch seconds, as the service does.

const TASK_STATUSES = ['RUNNING', 'PENDING', 'STOPPED']

function clusterNameOf(value) {
  const m = /^arn:aws[\w-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(value)
  return m ? m[1] : value
}

function serviceNameOf(value) {
  const m = /^arn:aws[\w-]*:ecs:[^:]*:\d*:service\/(?:[^/]+\/)?([^/]+)$/.exec(value)
  return m ? m[1] : value
}

function pageToken(offset) {
  return Buffer.from(JSON.stringify({ offset })).toString('base64')
}

function pageOffset(token, where) {
  if (token === undefined || token === null) return 0
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8'))
    if (Number.isInteger(offset) && offset >= 0) return offset
  } catch {
    // fall through
  }
  throw new AwsError('InvalidParameterException', `Invalid nextToken${where ? ` for ${where}` : ''}.`)
}

function seconds(ms) {
  return ms === undefined || ms === null ? undefined : ms / 1000
}

function createEcsState(opts, region) {
  const clusters = new Map()
  const taskDefinitions = (opts.taskDefinitions ?? []).map(td => {
    if (!td.family || !Number.isInteger(td.revision)) {
      throw new Error('fake-aws: a seeded task definition needs family and an integer revision')
    }
    return {
      status: 'ACTIVE',
      taskDefinitionArn: `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${td.family}:${td.revision}`,
      ...td
    }
  })

  function cluster(name, create = false) {
    const key = clusterNameOf(name ?? 'default')
    if (!clusters.has(key)) {
      if (!create) throw new AwsError('ClusterNotFoundException', 'Cluster not found.')
      clusters.set(key, {
        name: key,
        arn: `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${key}`,
        services: new Map(),
        tasks: []
      })
    }
    return clusters.get(key)
  }

  function normalizeTask(c, seed) {
    const id = seed.taskArn ? seed.taskArn.split('/').pop() : (seed.id ?? randomUUID().replace(/-/g, ''))
    const lastStatus = seed.lastStatus ?? 'RUNNING'
    return {
      taskArn: seed.taskArn ?? `arn:aws:ecs:${region}:${ACCOUNT}:task/${c.name}/${id}`,
      clusterArn: c.arn,
      taskDefinitionArn: seed.taskDefinitionArn,
      group: seed.service ? `service:${seed.service}` : (seed.group ?? `family:${familyOf(seed.taskDefinitionArn)}`),
      startedBy: seed.service ? `ecs-svc/${id.slice(0, 19)}` : undefined,
      lastStatus,
      desiredStatus: seed.desiredStatus ?? (lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING'),
      launchType: seed.launchType ?? 'FARGATE',
      createdAt: seed.createdAt,
      startedAt: seed.startedAt,
      stoppingAt: seed.stoppingAt,
      stoppedAt: seed.stoppedAt,
      stopCode: seed.stopCode,
      stoppedReason: seed.stoppedReason,
      containers: (seed.containers ?? []).map(ct => ({ lastStatus, ...ct }))
    }
  }

  function familyOf(arn) {
    const m = /task-definition\/([^:]+):\d+$/.exec(arn ?? '')
    return m ? m[1] : undefined
  }

  for (const [name, seed] of Object.entries(opts.clusters ?? {})) {
    const c = cluster(name, true)
    for (const [serviceName, svc] of Object.entries(seed.services ?? {})) c.services.set(serviceName, svc)
    for (const t of seed.tasks ?? []) c.tasks.push(normalizeTask(c, t))
  }

  function findTask(c, ref) {
    return c.tasks.find(t => t.taskArn === ref || t.taskArn.endsWith(`/${ref}`))
  }

  function taskOut(t) {
    return {
      taskArn: t.taskArn,
      clusterArn: t.clusterArn,
      taskDefinitionArn: t.taskDefinitionArn,
      group: t.group,
      ...(t.startedBy ? { startedBy: t.startedBy } : {}),
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      launchType: t.launchType,
      ...(t.createdAt !== undefined ? { createdAt: seconds(t.createdAt) } : {}),
      ...(t.startedAt !== undefined ? { startedAt: seconds(t.startedAt) } : {}),
      ...(t.stoppingAt !== undefined ? { stoppingAt: seconds(t.stoppingAt) } : {}),
      ...(t.stoppedAt !== undefined ? { stoppedAt: seconds(t.stoppedAt) } : {}),
      ...(t.stopCode ? { stopCode: t.stopCode } : {}),
      ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
      containers: t.containers.map(ct => ({
        containerArn: `${t.clusterArn.replace(':cluster/', ':container/')}/${t.taskArn.split('/').pop()}/${ct.name}`,
        taskArn: t.taskArn,
        ...ct
      })),
      version: 3
    }
  }

  return {
    taskDefinitions,
    latestRevision(family) {
      return Math.max(0, ...taskDefinitions.filter(td => td.family === family).map(td => td.revision))
    },
    addTask(name, seed) {
      const c = cluster(name, true)
      c.tasks.push(normalizeTask(c, seed))
    },
    setTask(name, ref, patch) {
      const c = cluster(name)
      const t = findTask(c, ref)
      if (!t) throw new Error(`fake-aws: no task ${ref} in ${name}`)
      const { containers, ...rest } = patch
      Object.assign(t, rest)
      if (containers) t.containers = containers.map(ct => ({ lastStatus: t.lastStatus, ...ct }))
    },
    listTasks(body) {
      const c = cluster(body.cluster)
      const max = body.maxResults ?? 100
      if (!Number.isInteger(max) || max < 1 || max > 100) {
        throw new AwsError('InvalidParameterException', 'maxResults must be between 1 and 100.')
      }
      const desired = body.desiredStatus ?? 'RUNNING'
      if (!TASK_STATUSES.includes(desired)) {
        throw new AwsError('InvalidParameterException', `Invalid desiredStatus: ${desired}`)
      }
      let tasks = c.tasks.filter(t => t.desiredStatus === desired)
      if (body.serviceName !== undefined) {
        const service = serviceNameOf(String(body.serviceName))
        if (!c.services.has(service)) throw new AwsError('ServiceNotFoundException', 'Service not found.')
        tasks = tasks.filter(t => t.group === `service:${service}`)
      }
      if (body.family !== undefined) tasks = tasks.filter(t => familyOf(t.taskDefinitionArn) === body.family)
      const offset = pageOffset(body.nextToken, 'ECS')
      const page = tasks.slice(offset, offset + max)
      return {
        taskArns: page.map(t => t.taskArn),
        ...(offset + max < tasks.length ? { nextToken: pageToken(offset + max) } : {})
      }
    },
    describeTasks(body) {
      const c = cluster(body.cluster)
      const refs = body.tasks
      if (!Array.isArray(refs) || refs.length === 0)
        throw new AwsError('InvalidParameterException', 'Tasks cannot be empty.')
      if (refs.length > 100)
        throw new AwsError('InvalidParameterException', 'Too many tasks were provided. The limit is 100.')
      const tasks = []
      const failures = []
      for (const ref of refs) {
        const t = findTask(c, String(ref))
        if (t) tasks.push(taskOut(t))
        else failures.push({ arn: String(ref), reason: 'MISSING' })
      }
      return { tasks, failures }
    },
    listClusters(body) {
      const asked = body.maxResults ?? 100
      if (!Number.isInteger(asked) || asked < 1 || asked > 100) {
        throw new AwsError('InvalidParameterException', 'maxResults must be between 1 and 100.')
      }
      // ECS may answer fewer than maxResults with a nextToken; opts.ecsPageLimit makes the fake do so.
      const max = Math.min(asked, opts.ecsPageLimit ?? asked)
      const all = [...clusters.values()]
      const offset = pageOffset(body.nextToken, 'ECS')
      return {
        clusterArns: all.slice(offset, offset + max).map(c => c.arn),
        ...(offset + max < all.length ? { nextToken: pageToken(offset + max) } : {})
      }
    },
    listServices(body) {
      const c = cluster(body.cluster)
      // ListServices answers 10 a page unless asked for more, at most 100 (API reference).
      const asked = body.maxResults ?? 10
      if (!Number.isInteger(asked) || asked < 1 || asked > 100) {
        throw new AwsError('InvalidParameterException', 'maxResults must be between 1 and 100.')
      }
      const max = Math.min(asked, opts.ecsPageLimit ?? asked)
      const names = [...c.services.entries()].filter(([, svc]) => svc.status !== 'INACTIVE').map(([name]) => name)
      const offset = pageOffset(body.nextToken, 'ECS')
      return {
        serviceArns: names
          .slice(offset, offset + max)
          .map(n => `arn:aws:ecs:${region}:${ACCOUNT}:service/${c.name}/${n}`),
        ...(offset + max < names.length ? { nextToken: pageToken(offset + max) } : {})
      }
    },
    describeServices(body, callRegion) {
      const c = cluster(body.cluster)
      const names = body.services
      if (!Array.isArray(names) || names.length === 0) {
        throw new AwsError('InvalidParameterException', 'Services cannot be empty.')
      }
      if (names.length > 10) throw new AwsError('InvalidParameterException', 'Too many services. The limit is 10.')
      const services = []
      const failures = []
      for (const ref of names) {
        const name = serviceNameOf(String(ref))
        const svc = c.services.get(name)
        const arn = `arn:aws:ecs:${callRegion}:${ACCOUNT}:service/${c.name}/${name}`
        if (!svc) {
          failures.push({ arn, reason: 'MISSING' })
          continue
        }
        const running = c.tasks.filter(t => t.group === `service:${name}` && t.lastStatus === 'RUNNING').length
        const deployments = svc.deployments ?? [
          {
            id: `ecs-svc/${createHash('sha256').update(name).digest('hex').slice(0, 19)}`,
            status: 'PRIMARY',
            taskDefinition: svc.taskDefinition,
            desiredCount: svc.desiredCount ?? 1,
            pendingCount: 0,
            runningCount: running,
            failedTasks: 0,
            createdAt: svc.deploymentCreatedAt,
            updatedAt: svc.deploymentCreatedAt,
            launchType: 'FARGATE',
            rolloutState: svc.rolloutState ?? 'COMPLETED'
          }
        ]
        services.push({
          serviceArn: arn,
          serviceName: name,
          clusterArn: c.arn,
          status: svc.status ?? 'ACTIVE',
          desiredCount: svc.desiredCount ?? 1,
          runningCount: running,
          pendingCount: 0,
          launchType: 'FARGATE',
          taskDefinition: svc.taskDefinition,
          deployments: deployments.map(d => ({
            ...d,
            createdAt: seconds(d.createdAt),
            updatedAt: seconds(d.updatedAt)
          })),
          // Newest first, as ECS lists them (it keeps the last 100).
          events: (svc.events ?? [])
            .map((e, i) => ({ id: `${name}-event-${i}`, createdAt: seconds(e.createdAt), message: e.message }))
            .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))
            .slice(0, 100)
        })
      }
      return { services, failures }
    },
    describeTaskDefinition(body) {
      const ref = body.taskDefinition
      if (typeof ref !== 'string' || ref === '') {
        throw new AwsError('ClientException', 'Task Definition can not be blank.')
      }
      let td
      const arn = /^arn:aws[\w-]*:ecs:[^:]*:\d*:task-definition\/([^:]+):(\d+)$/.exec(ref)
      const familyRevision = /^([^:]+):(\d+)$/.exec(ref)
      if (arn) td = taskDefinitions.find(d => d.family === arn[1] && d.revision === Number(arn[2]))
      else if (familyRevision) {
        td = taskDefinitions.find(d => d.family === familyRevision[1] && d.revision === Number(familyRevision[2]))
      } else {
        td = taskDefinitions
          .filter(d => d.family === ref && d.status === 'ACTIVE')
          .sort((a, b) => b.revision - a.revision)[0]
      }
      if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.')
      return {
        taskDefinition: td,
        ...(Array.isArray(body.include) && body.include.includes('TAGS') ? { tags: [] } : {})
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CloudWatch Logs: groups of streams of events, for FilterLogEvents (names or a prefix, time range, paging).

function createLogsState(opts) {
  const groups = new Map()
  const pageSize = opts.logsPageSize ?? 50
  let nextEventId = 1

  function append(group, stream, events) {
    if (!groups.has(group)) groups.set(group, new Map())
    const streams = groups.get(group)
    if (!streams.has(stream)) streams.set(stream, [])
    for (const e of events) {
      if (typeof e.timestamp !== 'number' || typeof e.message !== 'string') {
        throw new Error('fake-aws: a log event needs a numeric timestamp (epoch ms) and a message')
      }
      const id = String(nextEventId++).padStart(56, '3')
      streams.get(stream).push({ ...e, ingestionTime: e.ingestionTime ?? e.timestamp + 200, eventId: id })
    }
  }

  for (const [group, streams] of Object.entries(opts.logGroups ?? {})) {
    if (!groups.has(group)) groups.set(group, new Map())
    for (const [stream, events] of Object.entries(streams)) append(group, stream, events)
  }

  return {
    append,
    /** Names in order, a page at a time (the token is the next index), filtered by prefix as CloudWatch Logs does. */
    describeLogGroups(body, region) {
      if (body.logGroupNamePrefix !== undefined && body.logGroupNamePattern !== undefined) {
        throw new AwsError(
          'InvalidParameterException',
          'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.'
        )
      }
      const limit = body.limit ?? 50
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
        throw new AwsError('InvalidParameterException', 'limit must be between 1 and 50.')
      }
      const prefix = body.logGroupNamePrefix === undefined ? '' : String(body.logGroupNamePrefix)
      const names = [...groups.keys()].filter(n => n.startsWith(prefix)).sort()
      const from = body.nextToken === undefined ? 0 : Number(body.nextToken)
      if (!Number.isInteger(from) || from < 0) throw new AwsError('InvalidParameterException', 'Invalid nextToken')
      const page = names.slice(from, from + limit)
      return {
        logGroups: page.map(name => ({
          logGroupName: name,
          creationTime: 1764064800000,
          metricFilterCount: 0,
          arn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}:*`,
          logGroupArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}`,
          storedBytes: 0,
          logGroupClass: 'STANDARD'
        })),
        ...(from + limit < names.length ? { nextToken: String(from + limit) } : {})
      }
    },
    filterLogEvents(body) {
      const byName = body.logGroupName !== undefined
      const byId = body.logGroupIdentifier !== undefined
      if (byName === byId) {
        throw new AwsError(
          'InvalidParameterException',
          'Exactly one of logGroupName or logGroupIdentifier must be specified.'
        )
      }
      const group = String(byName ? body.logGroupName : body.logGroupIdentifier).replace(
        /^arn:aws[\w-]*:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/,
        '$1'
      )
      if (body.logStreamNames !== undefined && body.logStreamNamePrefix !== undefined) {
        throw new AwsError(
          'InvalidParameterException',
          'logStreamNames and logStreamNamePrefix are mutually exclusive.'
        )
      }
      if (body.filterPattern !== undefined && body.filterPattern !== '') {
        throw new AwsError('InvalidParameterException', 'fake-aws does not implement filterPattern.')
      }
      const limit = body.limit ?? 10000
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
        throw new AwsError('InvalidParameterException', 'limit must be between 1 and 10000.')
      }
      const streams = groups.get(group)
      if (!streams) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.')
      let names = [...streams.keys()]
      if (body.logStreamNames !== undefined) {
        if (
          !Array.isArray(body.logStreamNames) ||
          body.logStreamNames.length === 0 ||
          body.logStreamNames.length > 100
        ) {
          throw new AwsError('InvalidParameterException', 'logStreamNames must hold 1 to 100 names.')
        }
        for (const n of body.logStreamNames) {
          if (!streams.has(n))
            throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.')
        }
        names = body.logStreamNames
      } else if (body.logStreamNamePrefix !== undefined) {
        names = names.filter(n => n.startsWith(body.logStreamNamePrefix))
      }
      const events = names
        .flatMap(n => streams.get(n).map(e => ({ ...e, logStreamName: n })))
        .filter(
          e =>
            (body.startTime === undefined || e.timestamp >= body.startTime) &&
            (body.endTime === undefined || e.timestamp <= body.endTime)
        )
        .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId))
      const offset = pageOffset(body.nextToken, 'Logs')
      const size = Math.min(limit, pageSize)
      const page = events.slice(offset, offset + size)
      return {
        events: page.map(e => ({
          logStreamName: e.logStreamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: e.eventId
        })),
        searchedLogStreams: names.map(n => ({ logStreamName: n, searchedCompletely: true })),
        ...(offset + size < events.length ? { nextToken: pageToken(offset + size) } : {})
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Datadog logs search: records per site domain, visible after their indexing delay, matched by `key:value` terms.

class DatadogError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

/** ISO 8601, epoch milliseconds (number or digits), `now` or `now-<n><s|m|h|d>`, as the search API accepts. */
function parseSearchTime(value, fallback, now) {
  if (value === undefined || value === null) return fallback
  if (typeof value === 'number') return value
  const text = String(value).trim()
  if (/^\d+$/.test(text)) return Number(text)
  const relative = /^now(?:-(\d+)([smhd]))?$/.exec(text)
  if (relative) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[relative[2] ?? 's']
    return now - Number(relative[1] ?? 0) * unit
  }
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed)) throw new DatadogError(400, `Invalid time: ${text}`)
  return parsed
}

function createDatadogState(opts) {
  const records = new Map()
  const apiKeys = new Map(Object.entries(opts.validKeysByDomain ?? {}).map(([d, keys]) => [d, new Set(keys)]))
  const appKeys = new Map(Object.entries(opts.applicationKeysByDomain ?? {}).map(([d, keys]) => [d, new Set(keys)]))
  let nextId = 1

  function add(domain, list) {
    if (!records.has(domain)) records.set(domain, [])
    for (const r of list) {
      if (typeof r.timestamp !== 'number' || !Array.isArray(r.tags)) {
        throw new Error('fake-aws: a Datadog record needs a timestamp (epoch ms) and tags')
      }
      records
        .get(domain)
        .push({ ...r, id: `AQAAAZ${String(nextId++).padStart(10, '0')}`, visibleAt: Date.now() + (r.delayMs ?? 0) })
    }
  }
  for (const [domain, list] of Object.entries(opts.datadogLogs ?? {})) add(domain, list)

  return {
    add,
    keysFor(domain) {
      return {
        api: domain === undefined ? new Set(opts.validKeys ?? []) : (apiKeys.get(domain) ?? new Set()),
        app: domain === undefined ? new Set(opts.applicationKeys ?? []) : (appKeys.get(domain) ?? new Set())
      }
    },
    search(domain, body) {
      if (!body || typeof body !== 'object') throw new DatadogError(400, 'Invalid JSON body')
      const filter = body.filter ?? {}
      const now = Date.now()
      const from = parseSearchTime(filter.from, now - 15 * 60_000, now)
      const to = parseSearchTime(filter.to, now, now)
      if (from > to) throw new DatadogError(400, 'The time range is empty: from is after to')
      const limit = body.page?.limit ?? 10
      if (!Number.isInteger(limit) || limit < 1 || limit > 5000) {
        throw new DatadogError(400, 'page[limit] must be between 1 and 5000')
      }
      const sort = body.sort ?? 'timestamp'
      if (sort !== 'timestamp' && sort !== '-timestamp') throw new DatadogError(400, `Invalid sort: ${sort}`)
      const query = String(filter.query ?? '*').trim()
      const terms = query === '*' || query === '' ? [] : query.split(/\s+/)
      for (const term of terms) {
        if (!/^[A-Za-z][\w.-]*:[^\s:"()*]+$/.test(term)) {
          throw new DatadogError(400, `fake-aws: unsupported query term ${JSON.stringify(term)}`)
        }
      }
      const matches = (records.get(domain ?? '') ?? [])
        .filter(r => r.visibleAt <= now && r.timestamp >= from && r.timestamp <= to)
        .filter(r =>
          terms.every(term => {
            const [key] = term.split(':', 1)
            if (key === 'service') return `service:${r.service ?? ''}` === term
            return r.tags.includes(term)
          })
        )
        .sort((a, b) => (sort === '-timestamp' ? b.timestamp - a.timestamp : a.timestamp - b.timestamp))
      const offset = body.page?.cursor ? pageOffsetDatadog(body.page.cursor) : 0
      const page = matches.slice(offset, offset + limit)
      const after = offset + limit < matches.length ? pageToken(offset + limit) : undefined
      return {
        data: page.map(r => ({
          id: r.id,
          type: 'log',
          attributes: {
            timestamp: new Date(r.timestamp).toISOString(),
            service: r.service,
            status: r.status ?? 'info',
            message: r.message ?? '',
            tags: r.tags,
            attributes: r.attributes ?? {}
          }
        })),
        meta: {
          elapsed: Math.max(1, Date.now() - now),
          request_id: randomUUID(),
          status: 'done',
          ...(after ? { page: { after } } : {})
        },
        ...(after ? { links: { next: `/api/v2/logs/events/search?page[cursor]=${after}` } } : {})
      }
    }
  }
}

function pageOffsetDatadog(cursor) {
  try {
    const { offset } = JSON.parse(Buffer.from(String(cursor), 'base64').toString('utf8'))
    if (Number.isInteger(offset) && offset >= 0) return offset
  } catch {
    // fall through
  }
  throw new DatadogError(400, 'Invalid page cursor')
}
