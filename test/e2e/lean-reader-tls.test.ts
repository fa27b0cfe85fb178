// File bytes over TLS through the lean reader itself: Node's default CAs plus NODE_EXTRA_CA_CERTS, SNI, and
// a certificate that does not verify refused (pull-https.test.ts covers pulls from the emulator over HTTPS). A throwaway CA made with the openssl CLI; a TLS front on
// 127.0.0.1 passes the bytes on to the emulator's hub origin, which serves non-LFS files' bytes itself.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import net, { type AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { collect, describe, expect, test as base } from '../helpers/test.js'

interface Tls {
  /** The CA's certificate, for NODE_EXTRA_CA_CERTS. */
  ca: string
  key: Buffer
  cert: Buffer
}

/** A CA and a certificate it signed for localhost, in a temp folder removed after the test. */
const test = base.extend<{ certs: Tls }>({
  certs: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-tls-'))
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=hfx test CA', '-days', '1')
    ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost')
    // Clients match the name in subjectAltName, not in CN.
    await writeFile(path.join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost\n')
    ssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'leaf.ext')
    await use({ ca: path.join(dir, 'ca.pem'), key: await readFile(path.join(dir, 'leaf.key')), cert: await readFile(path.join(dir, 'leaf.pem')) })
    await rm(dir, { recursive: true, force: true })
  },
})

/** A TLS front for `target` (http://127.0.0.1:PORT) on 127.0.0.1; records the server names clients sent. */
async function tlsFront(certs: Tls, target: string) {
  const names: (string | false | null)[] = []
  const sockets = new Set<net.Socket>()
  const server = tls.createServer({ key: certs.key, cert: certs.cert }, (front) => {
    names.push(front.servername)
    const back = net.connect(Number(new URL(target).port), '127.0.0.1')
    for (const s of [front, back]) {
      sockets.add(s)
      s.on('error', () => {
        front.destroy()
        back.destroy()
      })
      s.on('close', () => sockets.delete(s))
    }
    front.pipe(back).pipe(front)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}`,
    names,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

describe('file bytes over TLS', () => {
  test('a pull from an https endpoint trusted through NODE_EXTRA_CA_CERTS, with SNI', async ({ certs, hub, home, hfx }) => {
    const repo = hub.addRepo('acme/tls', { 'model.bin': { content: bytes(1, 3 * 1024 * 1024), lfs: false } })
    const front = await tlsFront(certs, hub.url)
    try {
      const run = await hfx.with({ env: { HF_ENDPOINT: front.url, NODE_EXTRA_CA_CERTS: certs.ca } })('pull', 'acme/tls', '--chunk-size', '1M', '--connections', '2')
      expect(run.code, run.stderr).toBe(0)
      const file = path.join(repoDir(home.cache, 'acme/tls'), 'snapshots', repo.head, 'model.bin')
      expect(await sha256File(file)).toBe(repo.sha256('model.bin'))
      expect(hub.requests.filter((r) => r.method === 'GET' && r.range).length).toBeGreaterThanOrEqual(3)
      expect(new Set(front.names)).toEqual(new Set(['localhost']))
    } finally {
      await front.close()
    }
  })

  // The lean reader alone, in a process of its own: NODE_EXTRA_CA_CERTS is read when Node starts.
  const leanGet = (url: string, env: Record<string, string>) =>
    collect(
      spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { LeanClient } from ${JSON.stringify(path.resolve('dist/hub/lean-client.js'))}
           const c = new LeanClient(2000)
           try {
             const a = await c.get({ url: ${JSON.stringify(url)}, headers: {}, timeoutMs: 2000 })
             let n = 0
             await a.read({ data: (chunk) => (n += chunk.length) })
             console.log(a.status, n)
           } catch (err) { console.log('error', err.code) }
           c.close()`,
        ],
        { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    )

  test('the lean reader trusts the extra CA, and refuses the same server without it', async ({ certs, hub }) => {
    hub.addRepo('acme/tls', { 'config.json': '{"a": 1}' })
    const front = await tlsFront(certs, hub.url)
    try {
      const url = `${front.url}/acme/tls/resolve/main/config.json`
      expect((await leanGet(url, { NODE_EXTRA_CA_CERTS: certs.ca })).stdout.trim()).toBe('200 8')
      expect((await leanGet(url, {})).stdout.trim()).toBe('error UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    } finally {
      await front.close()
    }
  })
})
