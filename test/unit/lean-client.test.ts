// The lean reader against scripted servers on 127.0.0.1: keep-alive, a stale pooled connection, the
// timeouts and the abort, the fallbacks, and the undici error codes the retry table reads.
import net, { type AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { LeanClient, type LeanAnswer, type LeanResult } from '../../src/hub/lean-client.js'

interface Seen {
  line: string
  headers: Record<string, string>
}
type Script = (req: Seen, socket: net.Socket, index: number) => void

const servers: net.Server[] = []
const clients: LeanClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
})

/** A server that hands each request (its head parsed) to `script`; counts connections. */
async function rawServer(script: Script) {
  const seen: Seen[] = []
  const state = { connections: 0, url: '' }
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    state.connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let pending = ''
    socket.on('data', (d) => {
      pending += d.toString('latin1')
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const [line = '', ...rest] = pending.slice(0, end).split('\r\n')
        pending = pending.slice(end + 4)
        const req = { line, headers: Object.fromEntries(rest.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()])) }
        seen.push(req)
        script(req, socket, seen.length - 1)
      }
    })
  })
  servers.push(server)
  server.on('close', () => {
    for (const s of sockets) s.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { state, seen }
}

function client(): LeanClient {
  const c = new LeanClient(1000)
  clients.push(c)
  return c
}

const ok = (body: string, extra = '') => `HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-${body.length - 1}/1000\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`

function answer(r: LeanResult): LeanAnswer {
  if ('fallback' in r) throw new Error(`fell back: ${r.fallback}`)
  return r
}

async function text(a: LeanAnswer): Promise<string> {
  let s = ''
  await a.read({ data: (chunk) => (s += chunk.toString('latin1')) })
  return s
}

const get = (c: LeanClient, url: string, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
  c.get({ url, headers: { range: 'bytes=0-9' }, timeoutMs: extra.timeoutMs ?? 2000, signal: extra.signal })

describe('LeanClient', () => {
  test('sends one HTTP/1.1 GET with Host and the given headers, and reuses the connection', async () => {
    const { state, seen } = await rawServer((_req, s) => s.write(ok('0123456789')))
    const c = client()
    const first = answer(await get(c, `${state.url}/a/b?x=1&y=%2F`))
    expect(first.status).toBe(206)
    expect(first.headers['content-range']).toBe('bytes 0-9/1000')
    expect(await text(first)).toBe('0123456789')
    expect(await text(answer(await get(c, `${state.url}/c`)))).toBe('0123456789')
    expect(seen.map((r) => r.line)).toEqual(['GET /a/b?x=1&y=%2F HTTP/1.1', 'GET /c HTTP/1.1'])
    expect(seen[0]!.headers).toMatchObject({ host: state.url.slice('http://'.length), range: 'bytes=0-9' })
    expect(state.connections).toBe(1)
  })

  test('a pooled connection the server closed meanwhile is replaced, and the request sent again', async () => {
    const { state } = await rawServer((_req, s) => s.end(ok('0123456789')))
    const c = client()
    expect(await text(answer(await get(c, state.url)))).toBe('0123456789')
    await new Promise((r) => setTimeout(r, 50)) // the FIN arrives while the connection is idle, or as it is reused
    expect(await text(answer(await get(c, state.url)))).toBe('0123456789')
    expect(state.connections).toBe(2)
  })

  test('reads straight into memory the sink lends, and the body arrives whole and in order', async () => {
    const body = Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7 + (i >> 12)) & 255))
    const { state } = await rawServer((_req, s) => {
      s.write(`HTTP/1.1 206 Partial Content\r\nContent-Length: ${body.length}\r\n\r\n`)
      s.write(body)
    })
    const a = answer(await get(client(), state.url))
    const into = Buffer.alloc(body.length)
    let at = 0
    let copied = 0
    let inPlace = 0
    await a.read({
      data: (chunk) => {
        chunk.copy(into, at)
        at += chunk.length
        copied += chunk.length
      },
      room: () => into.subarray(at, at + 100_000),
      landed: (n) => {
        at += n
        inPlace += n
      },
    })
    expect(into.equals(body)).toBe(true)
    expect(inPlace).toBeGreaterThan(copied)
  })

  test('a pooled connection that closes as the request reaches it: sent again once, on a new connection', async () => {
    const { state, seen } = await rawServer((_req, s, i) => (i === 1 ? s.destroy() : s.write(ok('0123456789'))))
    const c = client()
    expect(await text(answer(await get(c, state.url)))).toBe('0123456789')
    expect(await text(answer(await get(c, state.url)))).toBe('0123456789')
    expect([seen.length, state.connections]).toEqual([3, 2])
  })

  test('a new connection that closes before answering is an error, not sent again', async () => {
    const { state, seen } = await rawServer((_req, s) => s.destroy())
    await expect(get(client(), state.url)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' })
    expect(seen).toHaveLength(1)
  })

  test('Connection: close and bytes past Content-Length: the connection is not used again', async () => {
    const { state } = await rawServer((_req, s, i) => s.write(i === 0 ? ok('0123456789', 'Connection: close\r\n') : i === 1 ? `${ok('0123456789')}junk` : ok('0123456789')))
    const c = client()
    for (let i = 0; i < 3; i++) expect(await text(answer(await get(c, state.url)))).toBe('0123456789')
    expect(state.connections).toBe(3)
  })

  test('a close mid-body is undici\'s "other side closed" (UND_ERR_SOCKET), which the retry table retries', async () => {
    const { state } = await rawServer((_req, s) => s.end(ok('0123456789').slice(0, -4)))
    const a = answer(await get(client(), state.url))
    await expect(text(a)).rejects.toMatchObject({ code: 'UND_ERR_SOCKET', message: 'other side closed' })
  })

  test('no head within the timeout is UND_ERR_HEADERS_TIMEOUT; a stalled body is UND_ERR_BODY_TIMEOUT', async () => {
    const { state } = await rawServer((_req, s, i) => (i === 0 ? undefined : s.write(ok('0123456789').slice(0, -4))))
    const c = client()
    await expect(get(c, state.url, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' })
    const a = answer(await get(c, state.url, { timeoutMs: 100 }))
    await expect(text(a)).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' })
  })

  test('while the reader holds the body, its inactivity timeout does not run', async () => {
    const { state } = await rawServer((_req, s) => {
      s.write(ok('0123456789').slice(0, -5))
      setTimeout(() => s.write('56789'), 50)
    })
    const a = answer(await get(client(), state.url, { timeoutMs: 100 }))
    let got = ''
    await a.read({
      data: (chunk) => {
        got += chunk.toString('latin1')
        if (got.length === 5) {
          const release = a.hold()
          setTimeout(release, 400) // four timeouts long
        }
      },
    })
    expect(got).toBe('0123456789')
  })

  test('an abort ends the answer with UND_ERR_ABORTED, mid-head or mid-body', async () => {
    const { state } = await rawServer((_req, s, i) => (i === 0 ? undefined : s.write(ok('0123456789').slice(0, -4))))
    const c = client()
    const early = new AbortController()
    const pending = get(c, state.url, { signal: early.signal })
    setTimeout(() => early.abort(), 20)
    await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' })
    const late = new AbortController()
    const a = answer(await get(c, state.url, { signal: late.signal }))
    const reading = text(a)
    setTimeout(() => late.abort(), 20)
    await expect(reading).rejects.toMatchObject({ code: 'UND_ERR_ABORTED' })
  })

  test.for([
    ['chunked', 'HTTP/1.1 206 Partial Content\r\nTransfer-Encoding: chunked\r\n\r\n', 'Transfer-Encoding'],
    ['HTTP/1.0', 'HTTP/1.0 206 Partial Content\r\nContent-Length: 10\r\n\r\n0123456789', 'HTTP/1.0'],
    ['no Content-Length', 'HTTP/1.1 206 Partial Content\r\n\r\n0123456789', 'no Content-Length'],
    ['100 Continue', 'HTTP/1.1 100 Continue\r\n\r\n', 'an interim 100 answer'],
  ])('%s: left to undici, and so is every later request to that origin', async ([, raw, why]) => {
    const { state, seen } = await rawServer((_req, s) => s.write(raw))
    const c = client()
    expect(await get(c, state.url)).toEqual({ fallback: why })
    expect(await get(c, `${state.url}/other`)).toEqual({ fallback: why })
    expect(seen).toHaveLength(1)
  })

  test('an error answer gives its status and headers; its body is never read and its connection is closed', async () => {
    const { state } = await rawServer((_req, s) => s.write('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 5\r\n\r\nslow!'))
    const c = client()
    const a = answer(await get(c, state.url))
    expect([a.status, a.headers['retry-after']]).toEqual([429, '0'])
    await expect(a.read({ data: () => {} })).rejects.toBeDefined()
    answer(await get(c, state.url))
    expect(state.connections).toBe(2)
  })

  test('refuses header values that would split the request', async () => {
    await expect(client().get({ url: 'http://127.0.0.1:9/', headers: { range: 'bytes=0-1\r\nx: y' }, timeoutMs: 100 })).rejects.toMatchObject({ code: 'UND_ERR_INVALID_ARG' })
  })
})
