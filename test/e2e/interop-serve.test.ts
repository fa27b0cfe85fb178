// The real huggingface_hub clients (0.36 and 2.0) download from `hfx serve` as from the Hub: snapshot_download
// and hf_hub_download into a fresh cache, every blob verified, with and without a required token; and
// transformers reads a config by repo id through it.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cacheProblems } from '../helpers/blob-check.js'
import { readRef, repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { SNAPSHOT_DOWNLOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, describe, exceptionLine, expect, lastJson, test, why } from '../helpers/peers.js'
import { serve } from '../helpers/serve.js'

const MiB = 1024 * 1024

const HF_HUB_DOWNLOAD = `
import json, sys
from huggingface_hub import hf_hub_download
print(json.dumps({"path": hf_hub_download(sys.argv[1], sys.argv[2])}))
`

const AUTO_CONFIG = `
import json, sys
from transformers import AutoConfig
config = AutoConfig.from_pretrained(sys.argv[1])
print(json.dumps({"model_type": config.model_type, "hidden_size": config.hidden_size}))
`

describe.skipIf(!PEERS.tf)('transformers against hfx serve', () => {
  test('AutoConfig.from_pretrained by repo id, with HF_ENDPOINT at the served cache', async ({ hub, home, hfx, py }) => {
    hub.addRepo('acme/bert', { 'config.json': '{"model_type":"bert","hidden_size":48}' })
    const carried = path.join(home.dir, 'carried')
    expect((await hfx.with({ env: { HF_HOME: carried } })('pull', 'acme/bert')).code).toBe(0)
    const served = await serve(hfx, '--cache-dir', path.join(carried, 'hub'))
    const run = await py.run('tf', AUTO_CONFIG, { args: ['acme/bert'], env: { HF_ENDPOINT: served.url } })
    expect(run.code, why(run)).toBe(0)
    expect(lastJson(run)).toEqual({ model_type: 'bert', hidden_size: 48 })
  })
})

/** The `hf` command line itself (`hf download org/name`), run in-process as its entry script does. */
const HF_CLI = `
import sys
from huggingface_hub.cli.hf import main
sys.argv = ["hf", *sys.argv[1:]]
sys.exit(main())
`

for (const client of HUB_CLIENTS) {
  describe.skipIf(!PEERS[client])(`${client} against hfx serve`, () => {
    test('snapshot_download and hf_hub_download from a served cache: every blob verifies', async ({ hub, home, hfx, py }) => {
      const repo = hub.addRepo('acme/served', {
        'config.json': '{"model_type":"bert"}',
        'sub/notes.txt': 'nested',
        'model.safetensors': bytes(1, 2 * MiB),
      })
      const carried = path.join(home.dir, 'carried')
      expect((await hfx.with({ env: { HF_HOME: carried } })('pull', 'acme/served')).code).toBe(0)
      const served = await serve(hfx, '--cache-dir', path.join(carried, 'hub'))
      const env = { HF_ENDPOINT: served.url }
      const before = hub.requests.length

      const one = await py.run(client, HF_HUB_DOWNLOAD, { args: ['acme/served', 'sub/notes.txt'], env })
      expect(one.code, why(one)).toBe(0)
      expect(lastJson<{ path: string }>(one).path).toBe(path.join(repoDir(home.cache, 'acme/served'), 'snapshots', repo.head, 'sub', 'notes.txt'))

      const all = await py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/served'], env })
      expect(all.code, why(all)).toBe(0)
      expect(lastJson<{ path: string }>(all).path).toBe(path.join(repoDir(home.cache, 'acme/served'), 'snapshots', repo.head))
      expect(await readRef(home.cache, 'acme/served')).toBe(repo.head)
      expect(await cacheProblems(home.cache, repo)).toEqual([])
      // Nothing reached the emulator: the clients talked only to the served cache.
      expect(hub.requests.length).toBe(before)
    })

    test('hf download from a served cache', async ({ hub, home, hfx, py }) => {
      const repo = hub.addRepo('acme/cli', { 'config.json': '{}', 'model.safetensors': bytes(3, 1 * MiB) })
      const carried = path.join(home.dir, 'carried')
      expect((await hfx.with({ env: { HF_HOME: carried } })('pull', 'acme/cli')).code).toBe(0)
      const served = await serve(hfx, '--cache-dir', path.join(carried, 'hub'))
      const run = await py.run(client, HF_CLI, { args: ['download', 'acme/cli'], env: { HF_ENDPOINT: served.url } })
      expect(run.code, why(run)).toBe(0)
      // 0.36 prints the path alone, 2.0 as `  path: …`.
      expect(run.stdout).toContain(path.join(repoDir(home.cache, 'acme/cli'), 'snapshots', repo.head))
      expect(await cacheProblems(home.cache, repo)).toEqual([])
    })

    test('with --token-file: HF_TOKEN set works, no token fails', async ({ hub, home, hfx, py }) => {
      const repo = hub.addRepo('acme/locked', { 'config.json': '{}', 'model.safetensors': bytes(2, 1 * MiB) })
      const carried = path.join(home.dir, 'carried')
      expect((await hfx.with({ env: { HF_HOME: carried } })('pull', 'acme/locked')).code).toBe(0)
      const tokenFile = path.join(home.dir, 'serve-token')
      await writeFile(tokenFile, 'hf_servetoken42\n')
      const served = await serve(hfx, '--cache-dir', path.join(carried, 'hub'), '--token-file', tokenFile)

      const denied = await py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/locked'], env: { HF_ENDPOINT: served.url } })
      expect(denied.code).not.toBe(0)
      expect(exceptionLine(denied.stderr)).toMatch(/RepositoryNotFoundError|401/)
      const ok = await py.run(client, SNAPSHOT_DOWNLOAD, { args: ['acme/locked'], env: { HF_ENDPOINT: served.url, HF_TOKEN: 'hf_servetoken42' } })
      expect(ok.code, why(ok)).toBe(0)
      expect(await cacheProblems(home.cache, repo)).toEqual([])
      expect(served.stderr()).not.toContain('hf_servetoken42')
    })
  })
}
