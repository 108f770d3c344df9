// Types for test-tls.mjs (a throwaway self-signed certificate for loopback HTTPS fakes).

export interface TestCertificate {
  /** PEM private key. */
  key: string
  /** PEM certificate. */
  cert: string
  /** The certificate's file: NODE_EXTRA_CA_CERTS for a child process that must trust it. */
  certFile: string
}

export function makeTestCertificate(hostnames: string[]): TestCertificate
