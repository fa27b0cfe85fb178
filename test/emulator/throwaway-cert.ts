// A throwaway certificate authority and one server certificate it signed, for 127.0.0.1 and localhost, made
// with the openssl CLI in a fresh temp folder (no network, no npm dependency; Node can check certificates but
// not make them). Clients are given the CA, never a "trust anything" switch: hfx through NODE_EXTRA_CA_CERTS,
// curl through --cacert, aria2c through --ca-certificate, so a run over it checks the chain and the name as
// against the real CDN.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface ThrowawayCert {
  /** The CA certificate (PEM) clients are told to trust. */
  caFile: string
  /** The server's private key and certificate (PEM), for https.createServer. */
  key: Buffer
  cert: Buffer
  /** Deletes the folder (CA key included); the servers keep their copies in memory. */
  remove(): Promise<void>
}

// P-256 keys: made in milliseconds (RSA takes up to a second) and what most CDNs present today.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

// What a verifier checks on a server certificate: the names (the emulator's CDN may be named localhost,
// HubOptions.cdnHost), not a CA, and for server use (an EC key signs; it never enciphers a key).
const LEAF_EXTENSIONS = [
  'subjectAltName = IP:127.0.0.1, DNS:localhost',
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature',
  'extendedKeyUsage = serverAuth',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid, issuer',
].join('\n')

export async function makeThrowawayCert(): Promise<ThrowawayCert> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-emulator-tls-'))
  const at = (name: string) => path.join(dir, name)
  try {
    await run('openssl', ['req', '-x509', ...EC_KEY, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2',
      '-subj', '/CN=hfx emulator throwaway CA', '-addext', 'basicConstraints = critical, CA:TRUE', '-addext', 'keyUsage = critical, keyCertSign, cRLSign'])
    await run('openssl', ['req', '-new', ...EC_KEY, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1'])
    await writeFile(at('server.ext'), `${LEAF_EXTENSIONS}\n`)
    await run('openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'),
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', at('server.ext'), '-out', at('server.pem')])
    const [key, cert] = await Promise.all([readFile(at('server.key')), readFile(at('server.pem'))])
    return { caFile: at('ca.pem'), key, cert, remove: () => rm(dir, { recursive: true, force: true }) }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    const stderr = (err as { stderr?: string }).stderr?.trim()
    throw new Error(`could not make the emulator's throwaway certificate with openssl${stderr ? `: ${stderr}` : ''}`, { cause: err })
  }
}
