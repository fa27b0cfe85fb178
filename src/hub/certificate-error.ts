// Which TLS errors mean "the server's certificate did not check out", and what the user can do about each:
// the codes are OpenSSL's verify results as Node names them (plus Node's own name check), found on the error
// or down its cause chain. Such a failure is no network trouble: retrying brings back the same certificate.
// The fix is the user's (a private CA given through NODE_EXTRA_CA_CERTS, the clock, the endpoint), and
// hfx offers no switch that turns the check off: that would hand the token and the bytes to whoever asks.
import { CertificateError } from '../errors.js'
import { errorCodes } from '../retry/policy.js'

const TRUST_HINT =
  'If this server, a mirror (HF_ENDPOINT) or a proxy that inspects HTTPS on your network uses a private certificate authority, set NODE_EXTRA_CA_CERTS to its PEM file and run the same command again (a pull resumes where it stopped).'
const CLOCK_HINT = "Check this machine's clock and date; if they are right, the server's certificate is out of date and only its operator can renew it."
const NAME_HINT = 'Check the endpoint (HF_ENDPOINT) and proxy variables (HTTPS_PROXY): something answered with a certificate for another host.'

/** Why, in a few words, and the hint; one entry per code Node gives a failed certificate check. */
const CERT_CODES: Record<string, { why: string; hint: string }> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { why: 'it is signed by a certificate authority this machine does not trust', hint: TRUST_HINT },
  UNABLE_TO_GET_ISSUER_CERT: { why: 'it is signed by a certificate authority this machine does not trust', hint: TRUST_HINT },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { why: 'it is signed by a certificate authority this machine does not trust', hint: TRUST_HINT },
  // What an HTTPS-inspecting proxy usually causes: its own root, sent along with the chain.
  SELF_SIGNED_CERT_IN_CHAIN: { why: 'its chain ends in a self-signed certificate this machine does not trust', hint: TRUST_HINT },
  DEPTH_ZERO_SELF_SIGNED_CERT: { why: 'it is self-signed', hint: TRUST_HINT },
  CERT_UNTRUSTED: { why: 'its certificate authority is not trusted for it', hint: TRUST_HINT },
  INVALID_CA: { why: 'a certificate in its chain is not a valid certificate authority', hint: TRUST_HINT },
  CERT_HAS_EXPIRED: { why: 'it has expired', hint: CLOCK_HINT },
  CERT_NOT_YET_VALID: { why: 'it is not valid yet', hint: CLOCK_HINT },
  ERR_TLS_CERT_ALTNAME_INVALID: { why: 'it was issued for another host name', hint: NAME_HINT },
  HOSTNAME_MISMATCH: { why: 'it was issued for another host name', hint: NAME_HINT },
  CERT_REVOKED: { why: 'it has been revoked', hint: NAME_HINT },
  CERT_SIGNATURE_FAILURE: { why: 'its signature does not verify', hint: NAME_HINT },
  CERT_REJECTED: { why: 'it is marked as rejected', hint: TRUST_HINT },
  INVALID_PURPOSE: { why: 'it is not meant for a server', hint: NAME_HINT },
  CERT_CHAIN_TOO_LONG: { why: 'its chain is too long', hint: NAME_HINT },
  PATH_LENGTH_EXCEEDED: { why: 'its chain is longer than its authority allows', hint: NAME_HINT },
}
// Not here: a handshake that fails for other reasons (ECONNRESET from a middlebox, ERR_SSL_WRONG_VERSION_NUMBER
// when the server speaks plain HTTP, no shared cipher) stays a NetworkError; the certificate was never judged.

/** A CertificateError when `err` is a failed certificate check on the way to `url`; otherwise undefined. */
export function certificateError(url: string, err: unknown): CertificateError | undefined {
  const code = errorCodes(err).find((c) => Object.hasOwn(CERT_CODES, c))
  if (code === undefined) return undefined
  const { why, hint } = CERT_CODES[code] as { why: string; hint: string }
  return new CertificateError(new URL(url).origin, why, code, hint, { cause: err })
}
