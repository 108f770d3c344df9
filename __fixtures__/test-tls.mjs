// A throwaway self-signed certificate for loopback HTTPS fakes, made with the openssl CLI when a test asks for it
// (nothing is committed). A child process trusts it through NODE_EXTRA_CA_CERTS=<certFile>.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @param {string[]} hostnames DNS names the certificate is valid for (the first is also its CN)
 * @returns {{ key: string, cert: string, certFile: string }}
 */
export function makeTestCertificate(hostnames) {
  const dir = mkdtempSync(join(tmpdir(), 'dd-firelens-tls-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${hostnames[0]}`,
      '-addext',
      `subjectAltName=${hostnames.map(h => `DNS:${h}`).join(',')}`,
      '-keyout',
      keyFile,
      '-out',
      certFile
    ],
    { stdio: 'ignore' }
  )
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile }
}
