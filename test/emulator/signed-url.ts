// Presigned CDN URLs: an expiry and an HMAC over path and expiry, like S3/CloudFront presigning.
import { createHmac, timingSafeEqual } from 'node:crypto'

function signature(secret: Buffer, path: string, expires: string): string {
  return createHmac('sha256', secret).update(`${path}\n${expires}`).digest('hex')
}

export function signUrl(base: string, path: string, secret: Buffer, ttlMs: number, filename: string): string {
  const expires = String(Date.now() + ttlMs)
  const query = new URLSearchParams({ expires, sig: signature(secret, path, expires), filename })
  return `${base}${path}?${query}`
}

/** True when the URL carries a valid signature for its path and has not expired. */
export function verifyUrl(url: URL, secret: Buffer): boolean {
  const expires = url.searchParams.get('expires') ?? ''
  const sig = url.searchParams.get('sig') ?? ''
  if (!/^\d+$/.test(expires) || Number(expires) <= Date.now()) return false
  const expected = Buffer.from(signature(secret, url.pathname, expires))
  const given = Buffer.from(sig)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
