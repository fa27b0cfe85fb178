// Plain HTTP or HTTPS between the contenders and the emulator. The Hub and its CDN are HTTPS, so HTTPS is the
// figure that counts: it adds TLS decryption to every byte a contender receives. HTTP stays as the baseline
// that shows what TLS costs. Over HTTPS both origins use the emulator's throwaway certificate, and every
// contender is given its CA (never told to skip the check): hfx through NODE_EXTRA_CA_CERTS, curl
// through --cacert, aria2c through --ca-certificate.
import type { HubOptions } from '../test/emulator/index.js'

export type Transport = 'http' | 'https'

/** `--transport both` (the default) runs HTTPS first, as the figure that counts. */
export function parseTransports(value: string): Transport[] {
  if (value === 'both') return ['https', 'http']
  if (value === 'http' || value === 'https') return [value]
  throw new Error(`--transport takes http, https or both, not ${JSON.stringify(value)}`)
}

/** The transport the single-figure measurements (resume, main thread, info) use: HTTPS unless left out. */
export function countingTransport(transports: Transport[]): Transport {
  return transports.includes('https') ? 'https' : 'http'
}

export function hubOptions(transport: Transport): HubOptions {
  return transport === 'https' ? { tls: 'both' } : {}
}

/** hfx's environment for a hub: its CA added to Node's trusted ones when it has one. */
export function trustEnv(caFile: string | undefined): NodeJS.ProcessEnv {
  return caFile ? { ...process.env, NODE_EXTRA_CA_CERTS: caFile } : { ...process.env }
}
