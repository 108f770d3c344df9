// A loopback stand-in for the AWS APIs the action calls (ECS, SSM, Secrets Manager: AWS JSON 1.1; IAM: the AWS query
// protocol, form-encoded requests and XML answers) and for the Datadog key check. Plain ESM with node: imports only,
// so the bench can use it without a build.
import { createServer } from 'node:http'
import { randomUUID, createHash } from 'node:crypto'

const ACCOUNT = '111122223333'

// X-Amz-Target prefix -> the short service name used in `calls[].target`
const SERVICES = {
  AmazonEC2ContainerServiceV20141113: 'ECS',
  AmazonSSM: 'SSM',
  secretsmanager: 'SecretsManager'
}

// The exception each service uses for a 500: ECS models ServerException, the other two have their own names.
const SERVER_ERROR = {
  ECS: 'ServerException',
  SSM: 'InternalServerError',
  SecretsManager: 'InternalServiceError'
}

const NOT_FOUND = {
  ECS: ['ClientException', 'The specified resource was not found.'],
  SSM: ['ParameterNotFound', undefined],
  SecretsManager: ['ResourceNotFoundException', "Secrets Manager can't find the specified secret."]
}

const IAM_ACTION = {
  'ECS.RegisterTaskDefinition': 'ecs:RegisterTaskDefinition',
  'SSM.GetParameter': 'ssm:GetParameter',
  'SSM.DescribeParameters': 'ssm:DescribeParameters',
  'SecretsManager.DescribeSecret': 'secretsmanager:DescribeSecret',
  'SecretsManager.GetSecretValue': 'secretsmanager:GetSecretValue',
  'IAM.GetRole': 'iam:GetRole',
  'IAM.SimulatePrincipalPolicy': 'iam:SimulatePrincipalPolicy'
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
const IAM_VERSION = '2010-05-08'
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

/** SSM accepts a name or an ARN; ARNs of hierarchical names keep their leading slash. */
function ssmName(nameOrArn) {
  const m = /^arn:aws[\w-]*:ssm:[^:]*:\d*:parameter(\/.*)$/.exec(nameOrArn)
  if (!m) return nameOrArn
  const rest = m[1]
  return rest.indexOf('/', 1) === -1 ? rest.slice(1) : rest
}

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
      const n = (revisions.get(body.family) ?? 0) + 1
      revisions.set(body.family, n)
      const prefix = opts.taskDefinitionArnPrefix ?? `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/`
      const { tags, ...request } = body
      return {
        taskDefinition: {
          ...request,
          taskDefinitionArn: `${prefix}${body.family}:${n}`,
          revision: n,
          status: 'ACTIVE',
          registeredAt: Date.now() / 1000,
          registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci`
        },
        tags: tags ?? []
      }
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
      let names = [...parameters.keys()]
      for (const f of body.ParameterFilters ?? []) {
        if (f.Key !== 'Name') continue
        const values = (f.Values ?? []).map(String)
        const option = f.Option ?? 'Equals'
        names = names.filter(n => values.some(v => (option === 'BeginsWith' ? n.startsWith(v) : n === v)))
      }
      for (const f of body.Filters ?? []) {
        if (f.Key === 'Name') names = names.filter(n => (f.Values ?? []).includes(n))
      }
      return { Parameters: names.map(n => paramMeta(n, region)) }
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

  function sendIamError(res, err) {
    const type = err.status >= 500 ? 'Receiver' : 'Sender'
    const message = err.message ? `<Message>${xmlEscape(err.message)}</Message>` : ''
    sendXml(
      res,
      err.status,
      `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>${type}</Type><Code>${err.type}</Code>${message}</Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
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

  /** AWS query protocol (IAM): POST / with Action=…&Version=… form-encoded, SigV4 for the iam service. */
  function handleQuery(req, res, headers, path, raw) {
    const params = Object.fromEntries(new URLSearchParams(raw))
    const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1]
    const target = scope === 'iam' ? `IAM.${params.Action ?? ''}` : `${req.method} ${path} (${scope ?? 'unsigned'})`
    calls.push({ target, body: params, headers })
    if (scope !== 'iam') {
      return sendIamError(res, new AwsError('InvalidClientTokenId', `fake-aws: no query service ${scope}`, 403))
    }
    const fault = takeFault(target)
    if (fault?.kind === 'hang') return
    try {
      if (fault) throw iamFault(target, fault, params)
      if (req.method !== 'POST' || path !== '/') throw new AwsError('InvalidAction', `fake-aws: ${req.method} ${path}`)
      if (params.Version !== IAM_VERSION) {
        throw new AwsError('InvalidParameterValue', `Invalid Version: ${params.Version ?? 'null'}`)
      }
      const action = params.Action ?? ''
      const handler = iamHandlers[action]
      if (!handler) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${IAM_VERSION}`)
      sendXml(
        res,
        200,
        `<${action}Response xmlns="${IAM_NS}"><${action}Result>${handler(params)}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
      )
    } catch (err) {
      if (err instanceof AwsError) sendIamError(res, err)
      else sendIamError(res, new AwsError('ServiceFailure', String(err?.stack ?? err), 500))
    }
  }

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const headers = {}
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v)
      const path = (req.url ?? '/').split('?')[0]
      if (req.method === 'GET' && path === '/api/v1/validate') return handleDatadog(req, res, headers)
      const perSite = /^\/([^/]+)\/api\/v1\/validate$/.exec(path)
      if (req.method === 'GET' && perSite) return handleDatadog(req, res, headers, perSite[1])

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
      const fault = takeFault(target)
      if (fault?.kind === 'hang') return // keep the socket open; close() destroys it
      try {
        if (fault) throw faultError(service, target, fault)
        const handler = handlers[target]
        if (!handler) throw new AwsError('UnknownOperationException', `fake-aws does not implement ${target}`)
        sendJson(res, 200, handler(body, regionOf(headers)))
      } catch (err) {
        if (err instanceof AwsError) sendAwsError(res, err)
        else sendAwsError(res, new AwsError(SERVER_ERROR[service], String(err?.stack ?? err), 500))
      }
    })
  })
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
    url: `http://127.0.0.1:${port}`,
    calls,
    registered,
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
