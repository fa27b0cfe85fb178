// Which reader a request for file bytes takes: the lean one (hub/lean-client.ts) or undici. Written down as
// one rule so it is read, and tested, in one place. Pure: the URL and the environment in, a reason out.

/**
 * Why `url` must go through undici, or undefined when the lean reader may take it:
 * - HFX_LEAN_READER=0 turns the lean reader off (a way out, and the "before" of BENCHMARKS.md);
 * - a scheme other than http/https (undici says what is wrong with it);
 * - a proxy for the URL's scheme, read as undici's EnvHttpProxyAgent reads it (https falls back to
 *   HTTP_PROXY). NO_PROXY is not consulted: a proxied host is never read directly, and an excluded host going
 *   through undici costs only CPU.
 */
export function undiciOnlyBecause(url: string, env: Record<string, string | undefined>): string | undefined {
  if (env.HFX_LEAN_READER === '0') return 'HFX_LEAN_READER=0'
  const { protocol } = new URL(url)
  if (protocol !== 'http:' && protocol !== 'https:') return `the scheme ${protocol}`
  const http = env.http_proxy || env.HTTP_PROXY
  const proxy = protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY || http : http
  return proxy ? 'a proxy is configured' : undefined
}
