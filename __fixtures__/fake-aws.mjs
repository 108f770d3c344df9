// A loopback stand-in for the AWS APIs the action calls (ECS, SSM, Secrets Manager, all AWS JSON 1.1)
// and for the Datadog key check. Plain ESM with node: imports only, so the bench can use it without a build.
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
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
  'SecretsManager.GetSecretValue': 'secretsmanager:GetSecretValue'
}

class AwsError extends Error {
  constructor(type, message, status = 400) {
    super(message)
    this.type = type
    this.status = status
  }
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
  // Parameters of other accounts shared with this one (AWS RAM): read by full ARN, listed by DescribeParameters with
  // Shared: true, never by a plain name.
  const shared = Object.entries(opts.sharedParameters ?? {}).map(([arn, value]) => {
    const m = SSM_ARN.exec(arn)
    if (!m || m[2] === ACCOUNT) throw new Error(`fake-aws: sharedParameters takes ARNs of other accounts, not ${arn}`)
    return { arn, name: ssmName(arn), value }
  })
  const secrets = Object.entries(opts.secrets ?? {}).map(([k, v]) => ({ ...secretFromKey(k, region0), value: v }))
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

  function paramMeta(name, region) {
    return {
      Name: name,
      ARN: `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
      Type: 'SecureString',
      KeyId: 'alias/aws/ssm',
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
    })
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
