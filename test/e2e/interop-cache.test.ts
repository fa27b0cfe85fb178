// After `hfx pull`, the real readers of the cache find what they would have found had huggingface_hub pulled
// it: scan_cache_dir (0.36 and 2.0) sees the repo, its commit and refs and warns about nothing;
// snapshot_download(local_files_only=True) returns the snapshot; transformers loads config and tokenizer by
// repo id and revision, and safetensors reads the weights, offline. For each kind of revision a user pulls:
// a branch, a tag, a PR ref, a short commit and a full commit. The ref each one leaves is the one
// huggingface_hub itself writes (it writes refs/<rev> for anything that is not the full commit it resolved
// to, a short sha included), since that is where these readers look for it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, test } from 'vitest'
import { startHub, type Hub } from '../emulator/index.js'
import { repoDir } from '../helpers/cache.js'
import { SCAN_CACHE, SNAPSHOT_DOWNLOAD, TRANSFORMERS_LOAD } from '../helpers/peer-scripts.js'
import { HUB_CLIENTS, PEERS, describe, expect, lastJson, spawnPeer, why, type PeerName } from '../helpers/peers.js'
import { safetensorsFile } from '../helpers/safetensors-writer.js'
import { CLI, collect, hfxEnv, type Home, type RunResult } from '../helpers/test.js'

const REPO = 'acme/tiny-bert'

// A WordLevel tokenizer in the `tokenizers` JSON format: the smallest thing AutoTokenizer loads without a
// network or a Python tokenizer class.
const TOKENIZER_JSON = JSON.stringify({
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [{ id: 0, content: '[UNK]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: null,
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: { '[UNK]': 0, hello: 1, world: 2 }, unk_token: '[UNK]' },
})
const TOKENIZER_CONFIG = JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', unk_token: '[UNK]', model_max_length: 32 })
const WEIGHT = 'embeddings.word_embeddings.weight'

/** One commit of the model; hidden tells the commits apart in what transformers loads. */
function modelFiles(hidden: number) {
  return {
    'config.json': JSON.stringify({ model_type: 'bert', hidden_size: hidden, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 2 * hidden, vocab_size: 3 }),
    'tokenizer.json': TOKENIZER_JSON,
    'tokenizer_config.json': TOKENIZER_CONFIG,
    // Small, but in LFS as real weights are: it comes through the 302 to the CDN.
    'model.safetensors': { content: safetensorsFile([{ name: WEIGHT, dtype: 'F32', shape: [3, hidden] }]), lfs: true },
  }
}
const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']

/** v1.0 (hidden 8) ← main (hidden 16); refs/pr/1 (hidden 24) on its own branch. */
function addModel(hub: Hub) {
  const repo = hub.addRepo(REPO, modelFiles(8))
  const v1 = repo.head
  repo.setRef('v1.0', v1)
  const main = repo.commit(modelFiles(16))
  const pr = repo.commit(modelFiles(24), { branch: 'pr-1' })
  repo.setRef('refs/pr/1', pr)
  return { repo, hidden: new Map([[v1, 8], [main, 16], [pr, 24]]), v1, main, pr }
}
type Model = ReturnType<typeof addModel>

interface RevisionCase {
  name: string
  /** The revision as the user types it, and as a loader is then asked for it. */
  revision(m: Model): string
  commit(m: Model): string
  pullArgs(revision: string): string[]
}
const CASES: RevisionCase[] = [
  { name: 'branch main', revision: () => 'main', commit: (m) => m.main, pullArgs: (r) => [`${REPO}@${r}`] },
  { name: 'tag v1.0', revision: () => 'v1.0', commit: (m) => m.v1, pullArgs: (r) => [`${REPO}@${r}`] },
  { name: 'PR ref refs/pr/1', revision: () => 'refs/pr/1', commit: (m) => m.pr, pullArgs: (r) => [REPO, '--revision', r] },
  { name: 'short commit', revision: (m) => m.pr.slice(0, 7), commit: (m) => m.pr, pullArgs: (r) => [`${REPO}@${r}`] },
  { name: 'full commit', revision: (m) => m.v1, commit: (m) => m.v1, pullArgs: (r) => [`${REPO}@${r}`] },
]

describe.skipIf(!PEERS.hub036 || !PEERS.hub2 || !PEERS.tf)('after hfx pull, the real clients read the cache', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      let hub: Hub
      let home: Home
      let model: Model
      let revision: string
      let commit: string
      const children = new Set<ChildProcess>()

      beforeAll(async () => {
        hub = await startHub({ cdnHost: 'localhost' })
        const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-test-'))
        home = { dir, cache: path.join(dir, 'hub') }
        model = addModel(hub)
        revision = c.revision(model)
        commit = c.commit(model)
        const pull = spawn(process.execPath, [CLI, 'pull', ...c.pullArgs(revision)], { env: hfxEnv(hub, home), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
        children.add(pull)
        pull.on('close', () => children.delete(pull))
        const run = await collect(pull)
        if (run.code !== 0) throw new Error(`hfx pull ${c.pullArgs(revision).join(' ')} exited ${run.code}:\n${run.stderr}`)
        expect(run.stdout.trim()).toBe(path.join(repoDir(home.cache, REPO), 'snapshots', commit))
      })
      afterAll(async () => {
        const left = [...children].map((child) => new Promise((resolve) => child.once('close', resolve)))
        for (const child of children) child.kill('SIGKILL')
        await Promise.all(left)
        await hub?.close()
        if (home) await rm(home.dir, { recursive: true, force: true })
      })

      function py(peer: PeerName, script: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
        const child = spawnPeer(peer, script, hub, home, { args, env })
        children.add(child)
        child.on('close', () => children.delete(child))
        return collect(child)
      }
      const offline = { HF_HUB_OFFLINE: '1' }

      for (const client of HUB_CLIENTS) {
        test(`${client} scan_cache_dir: the repo, its commit and ref, no warnings`, async () => {
          const run = await py(client, SCAN_CACHE, [home.cache])
          expect(run.code, why(run)).toBe(0)
          expect(lastJson(run)).toEqual({
            warnings: [],
            repos: [{ id: REPO, type: 'model', revisions: [{ commit, refs: revision === commit ? [] : [revision], files: FILES }] }],
          })
        })

        test(`${client} snapshot_download(revision, local_files_only=True) returns the snapshot`, async () => {
          const run = await py(client, SNAPSHOT_DOWNLOAD, [REPO, JSON.stringify({ revision, local_files_only: true })], offline)
          expect(run.code, why(run)).toBe(0)
          expect(lastJson<{ path: string }>(run).path).toBe(path.join(repoDir(home.cache, REPO), 'snapshots', commit))
        })
      }

      test('transformers AutoConfig/AutoTokenizer and safetensors load it offline', async () => {
        const run = await py('tf', TRANSFORMERS_LOAD, [REPO, revision], offline)
        expect(run.code, why(run)).toBe(0)
        const hidden = model.hidden.get(commit)!
        expect(lastJson(run)).toEqual({
          model_type: 'bert',
          hidden_size: hidden,
          ids: [1, 2, 0],
          tensors: { [WEIGHT]: ['float32', [3, hidden]] },
        })
      })
    })
  }
})
