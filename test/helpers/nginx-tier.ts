// The shipped nginx caching tier (deploy/nginx/hfx-cache.conf), templated into a temp folder and started in
// front of an emulated hub: ports, cache, pid, logs and temp files all inside that folder, so it runs as any
// user and leaves nothing behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const TIER_CONF = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/nginx/hfx-cache.conf')

/** The nginx binary, or undefined when none is installed (Debian puts it in /usr/sbin, often not on PATH). */
export const NGINX: string | undefined = ['nginx', '/usr/sbin/nginx', '/usr/local/sbin/nginx'].find(
  (bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0,
)

/** Every __NAME__ in the template replaced; a placeholder left over is a test bug, so it throws. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const out = template.replace(/__([A-Z_]+?)__/g, (whole, name: string) => values[name] ?? whole)
  const left = /__[A-Z_]+?__/.exec(out)
  if (left) throw new Error(`no value for ${left[0]} in the nginx template`)
  return out
}

/** A port nothing listens on right now (the kernel's choice; nginx cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export interface Tier {
  url: string
  /** nginx's error log, for a failing test to show. */
  errors(): Promise<string>
  stop(): Promise<void>
}

export async function startTier(dir: string, origin: { url: string; cdnUrl: string }): Promise<Tier> {
  const port = await freePort()
  await Promise.all(['logs', 'tmp', 'cache'].map((d) => mkdir(path.join(dir, d), { recursive: true })))
  const conf = renderTemplate(await readFile(TIER_CONF, 'utf8'), {
    LISTEN: `127.0.0.1:${port}`,
    UPSTREAM: origin.url,
    CDN_HOSTS: regexEscape(new URL(origin.cdnUrl).host),
    // The same tier under another host name, as a site would give it a second DNS name.
    CDN_BASE: `http://localhost:${port}`,
    CACHE_DIR: path.join(dir, 'cache'),
    CACHE_MAX_SIZE: '1g',
    RESOLVER: '127.0.0.1',
    CA_FILE: '/etc/ssl/certs/ca-certificates.crt',
  })
  const confFile = path.join(dir, 'nginx.conf')
  await writeFile(confFile, conf)
  // As root, nginx's workers would switch to `nobody`, who cannot enter a 0700 temp folder.
  const global = `daemon off;${process.getuid?.() === 0 ? ' user root;' : ''}`
  const child: ChildProcess = spawn(NGINX!, ['-p', dir, '-e', 'stderr', '-c', confFile, '-g', global], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const errors = async () => `${stderr}${await readFile(path.join(dir, 'logs/error.log'), 'utf8').catch(() => '')}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${await errors()}`)
    const up = await fetch(`${url}/_cdn/`).then(
      (r) => r.status === 404,
      () => false,
    )
    if (up) break
    if (i === 100) {
      await stop()
      throw new Error(`nginx did not answer on ${url} within 10 s:\n${await errors()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { url, errors, stop }
}

export const haveCaFile = existsSync('/etc/ssl/certs/ca-certificates.crt')
