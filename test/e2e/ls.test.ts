// `hfx ls` end to end: the built CLI against the emulator, asserting output and what was asked of the Hub.
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const MiB = 1024 * 1024

describe('hfx ls', () => {
  test('prints the commit, a tree with folders first, LFS markers and totals', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/tiny', {
      'config.json': '{"model_type":"llama"}',
      'model.safetensors': bytes(1, 2 * MiB),
      'original/params.json': '{}',
      'original/consolidated.pth': bytes(2, 1 * MiB),
    })
    const run = await hfx('ls', 'acme/tiny')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe(`acme/tiny  main → ${repo.head}`)
    expect(lines[1]).toMatch(/^├── original\/\s+1\.05 MB$/)
    expect(lines[2]).toMatch(/^│   ├── consolidated\.pth\s+1\.05 MB  LFS$/)
    expect(lines[3]).toMatch(/^│   └── params\.json\s+2 B$/)
    expect(lines[4]).toMatch(/^├── config\.json\s+22 B$/)
    expect(lines[5]).toMatch(/^└── model\.safetensors\s+2\.10 MB  LFS$/)
    expect(lines[6]).toBe(`4 files, 3.15 MB (${(3 * MiB + 24).toLocaleString('en-US')} bytes)`)
  })

  test('--json, --long, a folder argument and --include/--exclude', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/sel', {
      'a.json': '{}',
      'sub/b.safetensors': bytes(3, 64 * 1024),
      'sub/c.json': '[]',
      'sub/deep/d.safetensors': bytes(4, 32 * 1024),
    })
    const json = JSON.parse((await hfx('ls', 'acme/sel', '--json')).stdout)
    expect(json).toMatchObject({ repo: 'acme/sel', type: 'model', revision: 'main', commit: repo.head })
    expect(json.totals).toEqual({ files: 4, bytes: 2 + 64 * 1024 + 2 + 32 * 1024 })
    const b = json.files.find((f: { path: string }) => f.path === 'sub/b.safetensors')
    expect(b).toMatchObject({ size: 64 * 1024, storage: 'lfs', hash: repo.sha256('sub/b.safetensors'), gitOid: repo.gitSha1('sub/b.safetensors') })

    const sub = await hfx('ls', 'acme/sel', 'sub', '--flat')
    expect(sub.stdout.trim().split('\n')).toEqual(['sub/b.safetensors', 'sub/c.json', 'sub/deep/d.safetensors'])

    // `*` crosses `/`, as in huggingface_hub's fnmatch patterns.
    const st = await hfx('ls', 'acme/sel', '--include', '*.safetensors', '--exclude', 'sub/deep/*', '--flat')
    expect(st.stdout.trim().split('\n')).toEqual(['sub/b.safetensors'])

    const long = await hfx('ls', 'acme/sel', '--long')
    expect(long.stdout).toContain(`${64 * 1024}  lfs  ${repo.sha256('sub/b.safetensors')}  sub/b.safetensors`)
    expect(long.stdout).toContain(`2  git  ${repo.gitSha1('a.json')}`)
  })

  test.for([
    ['datasets/acme/data'],
    ['acme/data', '--repo-type', 'dataset'],
    ['hf://datasets/acme/data'],
  ])('reaches a dataset as %s', async (args, { hub, hfx }) => {
    const repo = hub.addRepo('acme/data', { 'train.csv': 'a,b\n1,2\n' }, { type: 'dataset' })
    const run = await hfx('ls', ...args, '--json')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ repo: 'datasets/acme/data', type: 'dataset', commit: repo.head })
  })

  test('revisions: @tag, --revision refs/pr/1, a short sha, and a browser URL with tree/REV/PATH', async ({ hub, hfx }) => {
    const repo = hub.addRepo('acme/revs', { 'a.txt': 'v1' })
    const v1 = repo.head
    const v2 = repo.commit({ 'a.txt': 'v2', 'b.txt': 'new' })
    repo.setRef('v1.0', v1)
    repo.setRef('refs/pr/1', v2)
    const commitOf = async (...args: string[]) => JSON.parse((await hfx('ls', ...args, '--json')).stdout).commit
    expect(await commitOf('acme/revs@v1.0')).toBe(v1)
    expect(await commitOf('acme/revs', '--revision', 'refs/pr/1')).toBe(v2)
    expect(await commitOf(`acme/revs@${v1.slice(0, 7)}`)).toBe(v1)
    const url = `${hub.url}/acme/revs/tree/${encodeURIComponent('refs/pr/1')}`
    expect(await commitOf(url)).toBe(v2)
    const files = JSON.parse((await hfx('ls', `https://huggingface.co/acme/revs/tree/v1.0`, '--json')).stdout).files
    expect(files.map((f: { path: string }) => f.path)).toEqual(['a.txt'])
  })
})

describe('hfx ls on a Hub that pages its listings', () => {
  test.scoped({ hubOptions: { pageSize: 2 } })

  test('follows every page of the tree', async ({ hub, hfx }) => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 7; i++) files[`f${i}.txt`] = `file ${i}`
    hub.addRepo('acme/paged', files)
    const run = await hfx('ls', 'acme/paged', '--flat')
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual(Object.keys(files))
    const pages = hub.requests.filter((r) => r.path.includes('/api/models/acme/paged/tree/'))
    expect(pages.length).toBe(4)
  })
})
