// `hfx serve` started from a test: the built CLI on port 0, its URL read from the first stdout line; and raw
// requests whose path is sent as written, for the traversal tests.
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { collect, type Hfx, type RunResult } from './test.js'

export interface Served {
  url: string
  child: ChildProcess
  /** Everything the server has written to stderr so far. */
  stderr(): string
  /** SIGTERM, then the exit. */
  stop(): Promise<RunResult>
}

/** Starts `hfx serve --port 0` and waits for the URL it prints. */
export async function serve(hfx: Hfx, ...args: string[]): Promise<Served> {
  const child = hfx.spawn(['serve', '--port', '0', ...args])
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    child.once('close', (code) => reject(new Error(`hfx serve exited (${code}) before printing its URL:\n${err}`)))
  })
  const closed = collect(child)
  return {
    url,
    child,
    stderr: () => err,
    stop: async () => {
      child.kill('SIGTERM')
      return closed
    },
  }
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** One request with the path sent as written (fetch would normalize `..` away before it left). */
export function raw(url: string, target: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

