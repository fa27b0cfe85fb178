// hfx and huggingface_hub on one cache at the same time: a vLLM server warming its model while someone runs
// `hfx pull` for the same repo. Neither may leave a blob that does not hash to its name, and hfx must honour
// huggingface_hub's lock (flock on .locks/<repo folder>/<etag>.lock, an empty file it never deletes).
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { cacheProblems } from '../helpers/blob-check.js'
import { bytes } from '../helpers/files.js'
import { HOLD_LOCK, SNAPSHOT_DOWNLOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, describe, exceptionLine, expect, test, until, type Py } from '../helpers/peers.js'
import { collect, type Hfx, type Home, type RunResult } from '../helpers/test.js'
import type { EmuRepo, Hub } from '../emulator/index.js'

const MiB = 1024 * 1024
const ROUNDS = 3

for (const client of HUB_CLIENTS) {
  describe.skipIf(!PEERS[client])(`hfx and ${client} pulling one repo at once`, () => {
    test(`${ROUNDS} rounds: every published blob verifies, and hfx exits 0`, async ({ hub, home, hfx, py }) => {
      const repo = hub.addRepo('acme/race', {
        'config.json': '{"model_type":"bert"}',
        'a.safetensors': bytes(51, 3 * MiB),
        'b.safetensors': bytes(52, 3 * MiB),
      })
      hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
      const outcomes = []
      for (let round = 0; round < ROUNDS; round++) {
        // A fresh cache each round; who starts first changes: both at once, the client, then hfx.
        const cache = path.join(home.dir, `round-${round}`)
        const env = { HF_HUB_CACHE: cache }
        const startHfx = () => collect(hfx.spawn(['pull', 'acme/race', '--chunk-size', '512K', '--connections', '4'], { env }))
        const startClient = () => py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/race'], env })
        hub.resetLog()
        let pull: Promise<RunResult>
        let peer: Promise<RunResult>
        const flowing = () => until('the first download to start sending bytes', () => hub.bytesServed() > 0)
        if (round === 0) [pull, peer] = [startHfx(), startClient()]
        else if (round === 1) {
          peer = startClient()
          await flowing()
          pull = startHfx()
        } else {
          pull = startHfx()
          await flowing()
          peer = startClient()
        }
        const [h, p] = await Promise.all([pull, peer])
        outcomes.push({ round, hfx: h.code, client: p.code, problems: await cacheProblems(cache, repo), hfxSays: exceptionLine(h.stderr), clientSays: exceptionLine(p.stderr) })
      }
      const details = outcomes
        .map((o) => `round ${o.round}: hfx exit ${o.hfx} (${o.hfxSays}); ${client} exit ${o.client} (${o.clientSays})\n${o.problems.map((x) => `  ${x}\n`).join('')}`)
        .join('')
      expect(outcomes.map((o) => o.problems), details).toEqual(Array(ROUNDS).fill([]))
      expect(outcomes.map((o) => o.hfx), details).toEqual(Array(ROUNDS).fill(0))
    })
  })
}

function lineFrom(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    child.stdout!.on('data', (d: Buffer | string) => {
      seen += String(d)
      if (seen.split('\n').includes(line)) resolve()
    })
    child.on('close', (code) => reject(new Error(`lock holder exited (${code}) before printing "${line}"`)))
  })
}

interface WhileHeld {
  repo: EmuRepo
  lockPath: string
  inoBefore: number
  /** What the emulator and the file system showed while the client still held the lock. */
  servedWhileHeld: number
  inoWhileHeld: number | 'gone'
  pull: RunResult
}

/**
 * A client holds the lock of acme/held's weights (as huggingface_hub does around a download) while hfx pulls
 * the repo; hfx gets the time to fetch everything else and then about 2 s more before the lock is released.
 */
async function pullWhileLocked(hub: Hub, home: Home, hfx: Hfx, py: Py): Promise<WhileHeld> {
  const repo = hub.addRepo('acme/held', { 'config.json': '{"model_type":"bert"}', 'model.safetensors': bytes(53, 1 * MiB) })
  const lockPath = path.join(home.cache, '.locks', 'models--acme--held', `${repo.sha256('model.safetensors')}.lock`)
  const holder = py.spawn('hub036', HOLD_LOCK, { args: [lockPath], stdin: true })
  const holderDone = collect(holder)
  await lineFrom(holder, 'locked')
  const inoBefore = (await stat(lockPath)).ino

  const child = hfx.spawn(['pull', 'acme/held'])
  let exited = false
  const pulled = collect(child).then((r) => ((exited = true), r))
  await until('hfx to fetch config.json', () => exited || hub.bytesServed('config.json') > 0)
  const end = Date.now() + 2000
  await until('2 s to pass', () => exited || Date.now() >= end)
  const servedWhileHeld = hub.bytesServed('model.safetensors')
  const inoWhileHeld = await stat(lockPath).then((s) => s.ino, () => 'gone' as const)

  holder.stdin!.end('\n')
  const released = await holderDone
  if (released.code !== 0) throw new Error(`the lock holder failed: ${released.stderr}`)
  return { repo, lockPath, inoBefore, servedWhileHeld, inoWhileHeld, pull: await pulled }
}

describe.skipIf(!PEERS.hub036)("huggingface_hub's lock on a blob", () => {
  test('hfx does not fetch the blob while the lock is held, then finishes with exit 0', async ({ hub, home, hfx, py }) => {
    const r = await pullWhileLocked(hub, home, hfx, py)
    expect(r.servedWhileHeld, 'bytes of the locked blob served while the lock was held').toBe(0)
    expect(r.pull.code, r.pull.stderr).toBe(0)
    expect(await cacheProblems(home.cache, r.repo)).toEqual([])
  })

  test('hfx neither deletes nor replaces the lock file', async ({ hub, home, hfx, py }) => {
    const r = await pullWhileLocked(hub, home, hfx, py)
    const inoAfter = await stat(r.lockPath).then((s) => s.ino, () => 'gone' as const)
    expect({ whileHeld: r.inoWhileHeld, afterPull: inoAfter }).toEqual({ whileHeld: r.inoBefore, afterPull: r.inoBefore })
  })
})
