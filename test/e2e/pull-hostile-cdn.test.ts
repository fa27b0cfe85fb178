// CDN answers to a Range request that node:http never writes, aimed at the lean reader (hub/lean-client.ts):
// a head past its limit, a broken status line, a Content-Range or Content-Length that disagrees with the
// range asked, a chunked body, bytes past Content-Length. Each ends as undici's path would: refused with a
// typed error and nothing visible, or read through undici, and the right bytes in place.
import path from 'node:path'
import { repoDir } from '../helpers/cache.js'
import { bytes, sha256File } from '../helpers/files.js'
import { describe, expect, fixturesWith, RECEIVE_MODES } from '../helpers/test.js'

const MiB = 1024 * 1024
const SIZE = 4 * MiB
const CHUNK = ['--chunk-size', '1M', '--connections', '2']
type Asked = { start: number; end: number; size: number }

function answer(statusLine: string, headers: string[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(`${statusLine}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`, 'latin1'), Buffer.from(body)])
}
const contentRange = (a: Asked) => `Content-Range: bytes ${a.start}-${a.end - 1}/${a.size}`
const slice = (content: Buffer, a: Asked) => content.subarray(a.start, a.end)

function snapshotFile(cache: string, id: string, commit: string): string {
  return path.join(repoDir(cache, id), 'snapshots', commit, 'model.safetensors')
}

describe.for(RECEIVE_MODES)('hfx pull refuses hostile CDN answers, receiving %s', ([, env]) => {
  const test = fixturesWith({}, { env })

  test.for<[string, (a: Asked, content: Buffer) => Buffer, RegExp]>([
    [
      'a head larger than 16 KiB',
      (a, c) => answer('HTTP/1.1 206 Partial Content', [contentRange(a), `Content-Length: ${a.end - a.start}`, `X-Padding: ${'x'.repeat(20_000)}`], slice(c, a)),
      /larger than 16 KiB/,
    ],
    ['a status line that is not HTTP/1.x', (a, c) => answer('HTTP/1.1 2o6 Partial Content', [contentRange(a)], slice(c, a)), /status line .* is not HTTP\/1\.x/],
    ['a header line with a space before its colon', (a, c) => answer('HTTP/1.1 206 Partial Content', [contentRange(a), `Content-Length : ${a.end - a.start}`], slice(c, a)), /header line .* is malformed/],
    [
      'a Content-Range that starts elsewhere',
      (a, c) => answer('HTTP/1.1 206 Partial Content', [`Content-Range: bytes 0-${a.end - a.start - 1}/${a.size}`, `Content-Length: ${a.end - a.start}`], c.subarray(0, a.end - a.start)),
      /answered bytes .*0-1048575\/4194304 of model\.safetensors when asked for bytes=1048576-/,
    ],
    [
      'a Content-Length longer than the range',
      (a, c) => answer('HTTP/1.1 206 Partial Content', [contentRange(a), `Content-Length: ${a.end - a.start + 100}`], c.subarray(a.start, a.end + 100)),
      /sent Content-Length 1048676 with bytes/,
    ],
    ['Content-Length values that disagree', (a, c) => answer('HTTP/1.1 206 Partial Content', [contentRange(a), 'Content-Length: 5', 'Content-Length: 6'], slice(c, a)), /Content-Length .* is not one number/],
  ])('%s: the file is given up, nothing is visible', async ([, raw, message], { hub, home, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'model.safetensors': bytes(1, SIZE) })
    hub.inject({ filePath: 'model.safetensors', origin: 'cdn', rangeStart: MiB, kind: 'raw', answer: raw })
    const run = await hfx('pull', 'acme/hostile', ...CHUNK)
    expect(run.code).toBe(8)
    expect(run.stderr).toMatch(message)
    await expect(sha256File(snapshotFile(home.cache, 'acme/hostile', repo.head))).rejects.toThrow()
  })

  test('a chunked 206 is read through undici instead, and the file is right', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/chunked', { 'model.safetensors': bytes(2, SIZE) })
    const chunked = (a: Asked, c: Buffer) => {
      const body = slice(c, a)
      return answer('HTTP/1.1 206 Partial Content', [contentRange(a), 'Transfer-Encoding: chunked'], `${body.length.toString(16)}\r\n${body.toString('latin1')}\r\n0\r\n\r\n`)
    }
    hub.inject({ filePath: 'model.safetensors', origin: 'cdn', rangeStart: MiB, kind: 'raw', answer: chunked })
    const run = await hfx('pull', 'acme/chunked', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/chunked', repo.head))).toBe(repo.sha256('model.safetensors'))
    const asked = hub.requests.filter((r) => r.origin === 'cdn' && r.method === 'GET').map((r) => r.range)
    // The chunked range twice (the lean reader's request, then undici's); every other range once.
    expect(asked.filter((r) => r === `bytes=${MiB}-${2 * MiB - 1}`)).toHaveLength(2)
    expect(asked).toHaveLength(5)
  })

  test('bytes past Content-Length are never written', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/extra', { 'model.safetensors': bytes(3, SIZE) })
    const extra = (a: Asked, c: Buffer) => answer('HTTP/1.1 206 Partial Content', [contentRange(a), `Content-Length: ${a.end - a.start}`], Buffer.concat([slice(c, a), Buffer.alloc(64 * 1024, 0x55)]))
    hub.inject({ filePath: 'model.safetensors', origin: 'cdn', rangeStart: MiB, kind: 'raw', answer: extra })
    const run = await hfx('pull', 'acme/extra', ...CHUNK)
    expect(run.code, run.stderr).toBe(0)
    expect(await sha256File(snapshotFile(home.cache, 'acme/extra', repo.head))).toBe(repo.sha256('model.safetensors'))
    expect(run.stderr).not.toMatch(/retrying/)
  })

  test('a 200 to a whole-file request that runs past the file is refused', async ({ hub, home, hfx }) => {
    const repo = hub.addRepo('acme/long', { 'model.safetensors': bytes(4, MiB) })
    const long = (a: Asked, c: Buffer) => answer('HTTP/1.1 200 OK', [`Content-Length: ${a.size + 10}`], Buffer.concat([c, Buffer.alloc(10)]))
    hub.inject({ filePath: 'model.safetensors', origin: 'cdn', kind: 'raw', answer: long })
    const run = await hfx('pull', 'acme/long', ...CHUNK)
    expect(run.code).toBe(8)
    expect(run.stderr).toMatch(/sent more bytes than asked for model\.safetensors/)
    await expect(sha256File(snapshotFile(home.cache, 'acme/long', repo.head))).rejects.toThrow()
  })
})
