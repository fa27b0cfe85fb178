// A ModelScope snapshot (the listing a run's commit stands for) belongs to the session that listed it: a
// second session, as another command or process would open, lists the repo itself and never sees the first
// one's state. Against the in-process ModelScope emulator.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { createHttp, type Http } from '../../src/hub/http.js'
import type { TreeEntry } from '../../src/hub/hub.js'
import { ModelScopeHub } from '../../src/hub/modelscope/hub.js'
import type { RepoRef } from '../../src/repo/repo-ref.js'
import { startModelScope, type ModelScope } from '../emulator-modelscope/index.js'

const ref: RepoRef = { type: 'model', id: 'acme/tiny', hub: 'modelscope' }

let ms: ModelScope
const clients: Http[] = []

function session(): ModelScopeHub {
  const http = createHttp(ms.url, undefined, 5_000)
  clients.push(http)
  return new ModelScopeHub({ http })
}

const listings = () => ms.requests.filter((r) => r.path.includes('/repo/files')).length

async function paths(entries: AsyncGenerator<TreeEntry>): Promise<string[]> {
  const out: string[] = []
  for await (const e of entries) out.push(e.path)
  return out.sort()
}

beforeEach(async () => {
  ms = await startModelScope()
})
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await ms.close()
})

describe('ModelScopeHub', () => {
  test('answers from the listing its own resolveRevision made, without listing again', async () => {
    ms.addRepo('acme/tiny', { 'config.json': '{}', 'README.md': '# tiny\n' })
    const hub = session()
    const { commit } = await hub.resolveRevision(ref)
    expect(listings()).toBe(1)
    expect(await paths(hub.listTree(ref, commit))).toEqual(['README.md', 'config.json'])
    await hub.locateFile(ref, commit, 'config.json')
    expect(listings()).toBe(1)
  })

  test('two sessions do not share snapshots: the second lists for itself, and sees the branch as it is now', async () => {
    const repo = ms.addRepo('acme/tiny', { 'config.json': '{}' })
    const first = session()
    const { commit } = await first.resolveRevision(ref)
    repo.commit({ 'config.json': '{}', 'extra.txt': 'new\n' }, { message: 'add a file' })

    const second = session()
    // The first session's snapshot id means nothing to the second: the branch no longer lists those files.
    await expect(second.locateFile(ref, commit, 'config.json')).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' })
    expect(listings()).toBe(2)
    // The first session still holds the listing its commit stands for.
    expect(await paths(first.listTree(ref, commit))).toEqual(['config.json'])
    expect(listings()).toBe(2)
  })
})
