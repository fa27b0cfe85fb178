// Test hosts on one machine: network namespaces this test makes itself (iproute2), one "site" holding the
// Hub emulator and one per node, each node joined to the site by its own veth pair, whose site end is shaped
// with a token bucket (tc's tbf: the kernels here have no netem), as nodes behind their own links. Nothing listens outside these namespaces.
// Needs root, `ip` and `tc`; `netnsSupport()` says why not where they are missing.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const HUB_ADDRESS = '10.231.0.1'

/** Undefined when namespaces can be made here, else why not (for the test's skip reason). */
export function netnsSupport(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to make network namespaces'
  for (const bin of ['/usr/sbin/ip', '/usr/sbin/tc', '/usr/bin/unshare']) if (!existsSync(bin) && !existsSync(bin.replace('/usr', ''))) return `needs ${bin}`
  return undefined
}

export interface Site {
  /** The site's namespace, where the Hub emulator runs (at HUB_ADDRESS). */
  site: string
  /** One namespace per node. */
  nodes: string[]
  remove(): Promise<void>
}

/** Makes the site and `n` nodes, each node's download link capped at `rate` (tc syntax, e.g. '40mbit'). */
export async function makeSite(n: number, rate: string): Promise<Site> {
  const tag = randomBytes(3).toString('hex')
  const site = `hfx-site-${tag}`
  const nodes = Array.from({ length: n }, (_, i) => `hfx-n${i + 1}-${tag}`)
  const made: string[] = []
  const remove = async () => {
    for (const ns of made.reverse()) await run('ip', ['netns', 'del', ns]).catch(() => undefined)
  }
  try {
    await run('ip', ['netns', 'add', site])
    made.push(site)
    await run('ip', ['-n', site, 'link', 'set', 'lo', 'up'])
    await run('ip', ['-n', site, 'addr', 'add', `${HUB_ADDRESS}/32`, 'dev', 'lo'])
    for (const [i, ns] of nodes.entries()) {
      await run('ip', ['netns', 'add', ns])
      made.push(ns)
      const net = `10.231.${i + 1}`
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
      // Interface names are per namespace: every node's end is `eth0`, the site's ends `n1`, `n2`, …
      await run('ip', ['-n', site, 'link', 'add', `n${i + 1}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
      await run('ip', ['-n', site, 'addr', 'add', `${net}.1/24`, 'dev', `n${i + 1}`])
      await run('ip', ['-n', site, 'link', 'set', `n${i + 1}`, 'up'])
      await run('ip', ['-n', ns, 'addr', 'add', `${net}.2/24`, 'dev', 'eth0'])
      await run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up'])
      await run('ip', ['-n', ns, 'route', 'add', `${HUB_ADDRESS}/32`, 'via', `${net}.1`])
      // What the site sends the node: the node's download link.
      await run('tc', ['-n', site, 'qdisc', 'add', 'dev', `n${i + 1}`, 'root', 'tbf', 'rate', rate, 'burst', '64kb', 'latency', '100ms'])
    }
  } catch (err) {
    await remove()
    throw err
  }
  return { site, nodes, remove }
}
