// The emulator is good enough for the real clients: huggingface_hub 0.36 and 2.0 download a repo from it
// into a fresh cache (HEAD for X-Repo-Commit/ETag, the LFS 302 with X-Linked-*, the CDN GET, the tree API).
// If these fail, every other interop test would be testing the emulator, not hfx.
import path from 'node:path'
import { cacheProblems } from '../helpers/blob-check.js'
import { readRef, repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { SNAPSHOT_DOWNLOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, describe, expect, lastJson, test, why } from '../helpers/peers.js'

const MiB = 1024 * 1024

for (const client of HUB_CLIENTS) {
  describe.skipIf(!PEERS[client])(`${client} against the emulator`, () => {
    test('snapshot_download into a fresh cache: exit 0, the snapshot, refs/main, every blob verifies', async ({ hub, home, py }) => {
      const repo = hub.addRepo('acme/sanity', {
        'config.json': '{"model_type":"bert"}',
        'sub/notes.txt': 'nested',
        'model.safetensors': bytes(1, 1 * MiB),
      })
      const run = await py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/sanity'] })
      expect(run.code, why(run)).toBe(0)
      expect(lastJson<{ path: string }>(run).path).toBe(path.join(repoDir(home.cache, 'acme/sanity'), 'snapshots', repo.head))
      expect(await readRef(home.cache, 'acme/sanity')).toBe(repo.head)
      expect(await cacheProblems(home.cache, repo)).toEqual([])
      // The LFS file came from the CDN, through the hub's redirect.
      expect(hub.requests.some((r) => r.origin === 'cdn' && r.method === 'GET' && r.filePath === 'model.safetensors')).toBe(true)
    })
  })
}
