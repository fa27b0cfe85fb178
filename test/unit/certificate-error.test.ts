import { describe, expect, test } from 'vitest'
import { CertificateError, EXIT, NetworkError } from '../../src/errors.js'
import { certificateError } from '../../src/hub/certificate-error.js'
import { connectError } from '../../src/hub/transport.js'
import { transient } from '../../src/retry/with-retry.js'

/** What Node's TLS socket throws when the certificate check fails: an Error with OpenSSL's verify code. */
function tlsError(code: string, message = 'unable to verify the first certificate'): Error {
  return Object.assign(new Error(message), { code })
}

const URL_ = 'https://cdn.example:8443/repos/models/acme/x/abc?Expires=1&Signature=secret'

describe('a certificate that did not check out', () => {
  test.for(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])(
    '%s: not trusted, exit 11, the hint names NODE_EXTRA_CA_CERTS',
    (code) => {
      const e = connectError(URL_, tlsError(code))
      expect(e).toBeInstanceOf(CertificateError)
      expect(e.exitCode).toBe(EXIT.tls)
      expect(e.code).toBe('TLS_CERTIFICATE')
      expect(e.message).toMatch(/^the TLS certificate of https:\/\/cdn\.example:8443 is not trusted: .+ \([A-Z_]+\)\.$/)
      expect(e.message).toContain(code)
      expect(e.hint).toMatch(/NODE_EXTRA_CA_CERTS/)
    },
  )

  test('the message names the origin only: no path, no signed query', () => {
    const e = connectError(URL_, tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))
    expect(e.message).not.toMatch(/repos|Signature|secret/)
  })

  test('an expired certificate points at the clock, a wrong name at the endpoint; neither at a CA', () => {
    const expired = certificateError(URL_, tlsError('CERT_HAS_EXPIRED', 'certificate has expired'))!
    expect(expired.message).toContain('it has expired (CERT_HAS_EXPIRED)')
    expect(expired.hint).toMatch(/clock/)
    const name = certificateError(URL_, tlsError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"))!
    expect(name.message).toContain('another host name')
    expect(name.hint).toMatch(/HF_ENDPOINT/)
    for (const e of [expired, name]) expect(e.hint).not.toMatch(/NODE_EXTRA_CA_CERTS/)
  })

  test('found down the cause chain, as fetch and proxies wrap it', () => {
    const wrapped = new TypeError('fetch failed', { cause: tlsError('SELF_SIGNED_CERT_IN_CHAIN') })
    expect(certificateError(URL_, wrapped)?.tlsCode).toBe('SELF_SIGNED_CERT_IN_CHAIN')
  })

  test('never retried: the same certificate would come back', () => {
    expect(transient(connectError(URL_, tlsError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'))).retry).toBe(false)
  })

  test('other failures, TLS ones included, stay network errors', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ERR_SSL_WRONG_VERSION_NUMBER', 'UND_ERR_SOCKET']) {
      expect(certificateError(URL_, tlsError(code, 'x'))).toBeUndefined()
      const e = connectError(URL_, tlsError(code, 'x'))
      expect(e).toBeInstanceOf(NetworkError)
      expect(e.exitCode).toBe(EXIT.network)
    }
  })
})
