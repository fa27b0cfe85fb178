// GGUF repos hold one model in many quantizations: `hfx pull org/name:TAG` fetches one (split files and all),
// `--fit SIZE` picks the largest that fits, and `hfx info` lists them with their sizes. Through the real CLI
// against the emulator; what was fetched is checked in the cache and in the emulator's byte count.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { listFiles, repoDir } from '../helpers/cache.js'
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'
import type { Hub } from '../emulator/index.js'

const KiB = 1024
const lfs = (content: Buffer) => ({ content, lfs: true })

// unsloth's layout: a folder per quantization, large ones split by gguf-split; a flat small one; a projector.
const FILES = {
  'README.md': '# tiny GGUF',
  'Q4_K_M/Tiny-Q4_K_M-00001-of-00002.gguf': 300 * KiB,
  'Q4_K_M/Tiny-Q4_K_M-00002-of-00002.gguf': 200 * KiB,
  'Q8_0/Tiny-Q8_0-00001-of-00002.gguf': 500 * KiB,
  'Q8_0/Tiny-Q8_0-00002-of-00002.gguf': 400 * KiB,
  'Tiny-Q2_K.gguf': 250 * KiB,
  'mmproj-F16.gguf': 50 * KiB,
}
const Q4_FILES = ['Q4_K_M/Tiny-Q4_K_M-00001-of-00002.gguf', 'Q4_K_M/Tiny-Q4_K_M-00002-of-00002.gguf']

function addGgufRepo(hub: Hub) {
  let seed = 1
  const files = Object.fromEntries(Object.entries(FILES).map(([p, v]) => [p, typeof v === 'string' ? v : lfs(bytes(seed++, v))]))
  return hub.addRepo('acme/tiny-GGUF', files)
}

function servedPaths(hub: Hub): string[] {
  return Object.keys(FILES).filter((p) => hub.bytesServed(p) > 0).sort()
}

describe('hfx pull org/name:TAG', () => {
  test('fetches only that quantization’s split files (the tag is case-insensitive)', async ({ hub, home, hfx }) => {
    const repo = addGgufRepo(hub)
    const run = await hfx('pull', 'acme/tiny-GGUF:q4_k_m')
    expect(run.stderr).toContain('variant Q4_K_M (512 kB, 2 files) as asked')
    expect(run.code).toBe(0)
    const snapshot = path.join(repoDir(home.cache, 'acme/tiny-GGUF'), 'snapshots', repo.head)
    expect(run.stdout).toBe(`${snapshot}\n`)
    expect(await listFiles(snapshot)).toEqual(Q4_FILES)
    expect(servedPaths(hub)).toEqual(Q4_FILES)
  })

  test('--include adds files to the variant’s, such as the vision projector', async ({ hub, hfx }) => {
    addGgufRepo(hub)
    const run = await hfx('pull', 'acme/tiny-GGUF:Q2_K', '--include', 'mmproj*')
    expect(run.code).toBe(0)
    expect(servedPaths(hub)).toEqual(['Tiny-Q2_K.gguf', 'mmproj-F16.gguf'])
  })

  test('an unknown tag lists the variants, exits 3, downloads nothing, and its hint runs as printed', async ({ hub, home, hfx }) => {
    addGgufRepo(hub)
    const run = await hfx('pull', 'acme/tiny-GGUF:Q5_K_M')
    expect(run.code).toBe(3)
    expect(run.stderr).toContain("error: acme/tiny-GGUF has no variant 'Q5_K_M'; it has Q2_K, Q4_K_M, Q8_0.")
    expect(run.stderr).toContain('hint: Pull one of them, e.g.: hfx pull acme/tiny-GGUF:Q4_K_M')
    expect(hub.bytesServed()).toBe(0)
    expect(existsSync(repoDir(home.cache, 'acme/tiny-GGUF'))).toBe(false) // refused before anything was written
    const hinted = await hfx(...run.stderr.split('e.g.: hfx ')[1].trim().split(' '))
    expect(hinted.code).toBe(0)
    expect(servedPaths(hub)).toEqual(Q4_FILES)
  })

  test('other commands refuse a tag rather than act on the whole repo', async ({ hub, hfx }) => {
    addGgufRepo(hub)
    const run = await hfx('ls', 'acme/tiny-GGUF:Q4_K_M')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("names the weight variant ':Q4_K_M', which only hfx pull takes")
  })
})

describe('hfx pull --fit', () => {
  // hfx info --fit's rule: 90 % of the GPU less 1 GiB. 1,193.8 MB leaves 678,176 B for the files: Q4_K_M
  // (500 KiB) fits, Q8_0 (900 KiB) does not — as `hfx info --fit 1193.8MB` marks them (the last test).
  test('picks the largest variant that fits and says why, in text and in the JSON plan event', async ({ hub, hfx }) => {
    addGgufRepo(hub)
    const dry = await hfx('pull', 'acme/tiny-GGUF', '--fit', '1193.8MB', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^picked Q4_K_M \(512 kB\): largest of 3 variants whose weights fit one GPU of 1\.11 GiB \(90 % usable, 1\.00 GiB for the runtime; the KV cache comes on top\); Q8_0 needs 1\.11 GiB$/m)
    expect(dry.stdout).not.toContain('Q8_0/')
    expect(hub.bytesServed()).toBe(0)

    const run = await hfx('pull', 'acme/tiny-GGUF', '--fit', '1193.8MB', '--json')
    expect(run.code).toBe(0)
    const plan = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.event === 'plan')
    expect(plan.variant).toMatchObject({ name: 'Q4_K_M', files: Q4_FILES, totalBytes: 500 * KiB, budgetBytes: 1_193_800_000 })
    expect(plan.variant.reason).toMatch(/^picked Q4_K_M/)
    expect(plan.files.map((f: { path: string }) => f.path)).toEqual(Q4_FILES)
    expect(servedPaths(hub)).toEqual(Q4_FILES)
  })

  test('nothing fits: exit 3, naming the smallest variant and what it needs', async ({ hub, hfx }) => {
    addGgufRepo(hub)
    const run = await hfx('pull', 'acme/tiny-GGUF', '--fit', '1GiB')
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('error: no variant of acme/tiny-GGUF fits in 1.00 GiB: the smallest, Q2_K (256 kB), needs 1.11 GiB.')
    expect(run.stderr).toContain('hint: Give a larger budget (--fit 2GiB), or pull it anyway with: hfx pull acme/tiny-GGUF:Q2_K')
    expect(hub.bytesServed()).toBe(0)
  })

  test('a tag and --fit together are a usage error; a bad size is refused', async ({ hub, hfx }) => {
    addGgufRepo(hub)
    expect((await hfx('pull', 'acme/tiny-GGUF:Q2_K', '--fit', '24GiB')).code).toBe(2)
    const bad = await hfx('pull', 'acme/tiny-GGUF', '--fit', 'lots')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected a memory size')
  })
})

test('hfx info lists each quantization with its size, split files summed, and the projector apart', async ({ hub, hfx }) => {
  addGgufRepo(hub)
  const text = await hfx('info', 'acme/tiny-GGUF')
  expect(text.code).toBe(0)
  expect(text.stdout).toContain('Weight variants (split files summed; hfx pull org/name:TAG fetches one)')
  expect(text.stdout).toMatch(/^ {2}Q2_K\s+256 kB \(250 KiB\)$/m)
  expect(text.stdout).toMatch(/^ {2}Q4_K_M\s+512 kB \(500 KiB\) in 2 files$/m)
  expect(text.stdout).toMatch(/^ {2}Q8_0\s+922 kB \(900 KiB\) in 2 files$/m)
  expect(text.stdout).toMatch(/^ {2}shared\s+mmproj-F16\.gguf$/m)

  const json = JSON.parse((await hfx('info', 'acme/tiny-GGUF', '--json')).stdout)
  expect(json.variants).toEqual({
    variants: [
      { name: 'Q2_K', files: ['Tiny-Q2_K.gguf'], totalBytes: 250 * KiB },
      { name: 'Q4_K_M', files: Q4_FILES, totalBytes: 500 * KiB },
      { name: 'Q8_0', files: ['Q8_0/Tiny-Q8_0-00001-of-00002.gguf', 'Q8_0/Tiny-Q8_0-00002-of-00002.gguf'], totalBytes: 900 * KiB },
    ],
    extras: ['mmproj-F16.gguf'],
  })
})

test('hfx info --fit says which quantizations fit the budget, in text and JSON', async ({ hub, hfx }) => {
  addGgufRepo(hub)
  // One GPU of 1,193.8 MB: 90 % of it less 1 GiB of runtime leaves 678,176 B, so Q2_K (250 KiB) and Q4_K_M
  // (500 KiB) fit and Q8_0 (900 KiB) does not. These GGUF files have no readable header: the sizes come
  // from the listing, and the KV cache cannot be sized (said in the fit).
  const text = await hfx('info', 'acme/tiny-GGUF', '--fit', '1193.8MB')
  expect(text.code, text.stderr).toBe(0)
  expect(text.stdout).toMatch(/^ {2}Q2_K\s+256 kB \(250 KiB\) {2}· fits$/m)
  expect(text.stdout).toMatch(/^ {2}Q4_K_M\s+512 kB \(500 KiB\) in 2 files {2}· fits$/m)
  expect(text.stdout).toMatch(/^ {2}Q8_0\s+922 kB \(900 KiB\) in 2 files {2}· does not fit$/m)

  const json = JSON.parse((await hfx('info', 'acme/tiny-GGUF', '--fit', '1193.8MB', '--json')).stdout)
  expect(json.fit.variants).toEqual([
    { name: 'Q2_K', totalBytes: 250 * KiB, fits: true, tensorParallel: 1 },
    { name: 'Q4_K_M', totalBytes: 500 * KiB, fits: true, tensorParallel: 1 },
    { name: 'Q8_0', totalBytes: 900 * KiB, fits: false },
  ])
})
