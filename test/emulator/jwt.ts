// Just enough of JWT (HS256) for keyless-auth tests: the fake GitHub Actions runtime (test/helpers/
// actions-runtime.ts) signs id tokens with its key, and the Hub's /oauth/token (oauth-routes.ts) checks them
// with the key of the trusted publisher registered for that issuer.
import { createHmac, timingSafeEqual } from 'node:crypto'

export type Claims = Record<string, unknown> & { iss?: string; aud?: string; exp?: number; sub?: string }

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

function mac(key: Buffer, signingInput: string): Buffer {
  return createHmac('sha256', key).update(signingInput).digest()
}

export function signJwt(claims: Claims, key: Buffer): string {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
  return `${input}.${b64url(mac(key, input))}`
}

/** The claims, read without checking the signature (to find the issuer, hence the key). */
export function peekClaims(jwt: string): Claims | undefined {
  const parts = jwt.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' ? (claims as Claims) : undefined
  } catch {
    return undefined
  }
}

export function verifyJwt(jwt: string, key: Buffer): boolean {
  const parts = jwt.split('.')
  if (parts.length !== 3) return false
  const expected = mac(key, `${parts[0]}.${parts[1]}`)
  const given = Buffer.from(parts[2]!, 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
