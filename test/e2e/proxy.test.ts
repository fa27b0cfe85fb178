// HTTP(S)_PROXY and NO_PROXY are honoured through undici's environment proxy agent.
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

/** A minimal forward proxy (CONNECT tunnels and absolute-URI requests) that records what it carried. */
async function startProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '')
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = (req.url ?? '').split(':')
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.on('connection', (s) => sockets.add(s))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((r) => server.close(() => r()))
    },
  }
}

describe('proxies', () => {
  test('HTTP_PROXY carries both the Hub and the CDN traffic; NO_PROXY bypasses it', async ({ hub, hfx }) => {
    hub.addRepo('acme/viaproxy', { 'config.json': '{}', 'w.safetensors': bytes(1, 200_000) })
    const proxy = await startProxy()
    try {
      const run = await hfx.with({ env: { HTTP_PROXY: proxy.url } })('pull', 'acme/viaproxy')
      expect(run.code, run.stderr).toBe(0)
      const hubPort = new URL(hub.url).port
      const cdnPort = new URL(hub.cdnUrl).port
      expect(proxy.seen.some((l) => l.includes(`:${hubPort}`))).toBe(true)
      expect(proxy.seen.some((l) => l.includes(`:${cdnPort}`))).toBe(true)

      proxy.seen.length = 0
      const bypass = await hfx.with({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } })('ls', 'acme/viaproxy')
      expect(bypass.code, bypass.stderr).toBe(0)
      expect(proxy.seen).toEqual([])
    } finally {
      await proxy.close()
    }
  })
})
