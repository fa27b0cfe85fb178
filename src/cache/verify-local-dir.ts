// `hfx cache verify --local-dir DIR`: hashes the plain files of a --local-dir (huggingface_hub's and
// ModelScope's `local_dir`) against the Hub's listing at one commit, or offline against what the folder's
// own metadata says (`.cache/huggingface/download/<path>.metadata`: commit, etag, time). A file with
// metadata was pulled, so its absence is a problem; a file the commit does not have is reported as extra
// without failing the run (the folder is the user's, as with `hf cache verify`'s --fail-on-extra-files).
import { lstat, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { CacheProblemsError } from '../errors.js'
import type { TreeFile } from '../hub/hub.js'
import { readSmallFile } from '../no-follow.js'
import { localDirConflict, safeJoin } from '../repo/safe-path.js'
import type { SnapshotFile } from './cached-repo.js'
import { localDirMetadataPath, parseLocalDirMetadata, type LocalDirMetadata } from './layout.js'
import type { VerifyReport } from './render-verify.js'
import { expectedFromName, expectedFromTree, planChecks, type ExpectedFile, type Problem } from './snapshot-check.js'
import { runChecks, type VerifyEvents } from './verify-snapshot.js'

/** A metadata file is three short lines; anything bigger is not one. */
const MAX_METADATA = 4096

export interface LocalDirVerifyOptions {
  /** `org/name` as the user reads it. */
  name: string
  type: string
  /**
   * Online: which commit to check against, given the one the metadata names (the revision asked, else the
   * commit that was pulled), and that commit's listing.
   */
  hub?: { commit(fromMetadata: string | undefined): Promise<string>; listTree(commit: string): Promise<TreeFile[]> }
  complete: boolean
  progress(files: number, bytes: number): VerifyEvents & { done(): void }
  /** --fix: fetches these paths of `commit` into the folder again (the pull engine, wired in by the command). */
  refetch?: (commit: string, paths: string[]) => Promise<void>
}

export interface LocalDirOutcome {
  report: VerifyReport
  /** Problems that fail the run: everything but extra files. */
  remaining: Problem[]
}

/** Checks the folder; with `refetch`, fetches the corrupt and missing files again and reports what is still wrong. */
export async function verifyLocalDir(dir: string, opts: LocalDirVerifyOptions): Promise<LocalDirOutcome> {
  const outcome = await checkLocalDir(dir, opts)
  if (!opts.refetch || !outcome.remaining.length) return outcome
  // A corrupt file goes first, so that the pull cannot take it for up to date; then the pull fetches what is missing.
  for (const p of outcome.remaining) if (p.kind === 'corrupt') await rm(safeJoin(dir, p.path), { force: true })
  const paths = outcome.remaining.filter((p) => p.kind === 'corrupt' || p.kind === 'missing').map((p) => p.path)
  if (!paths.length) return outcome
  await opts.refetch(outcome.report.commit, paths)
  const after = await checkLocalDir(dir, opts)
  after.report.fixed = paths
  return after
}

async function checkLocalDir(dir: string, opts: LocalDirVerifyOptions): Promise<LocalDirOutcome> {
  const files = await walk(dir)
  const metadata = new Map<string, LocalDirMetadata>()
  for (const f of files) {
    const m = await readMetadata(dir, f.path)
    if (m) metadata.set(f.path, m)
  }
  // Files whose metadata outlived them (deleted by hand) are named by their metadata alone.
  for (const p of await metadataPaths(dir)) {
    if (metadata.has(p)) continue
    const m = await readMetadata(dir, p)
    if (m) metadata.set(p, m)
  }
  const pulled = mostCommon([...metadata.values()].map((m) => m.commit))
  const commit = opts.hub ? await opts.hub.commit(pulled) : (pulled ?? '')
  let listing: ExpectedFile[]
  let unchecked: string[] = []
  let local = files
  if (opts.hub) listing = (await opts.hub.listTree(commit)).map(expectedFromTree)
  else {
    // Offline the metadata's etag is the only word on a file; without metadata there is nothing to check.
    listing = [...metadata].flatMap(([p, m]) => expectedFromName(p, m.etag) ?? [])
    const known = new Set(listing.map((e) => e.path))
    unchecked = files.filter((f) => !known.has(f.path)).map((f) => f.path)
    local = files.filter((f) => known.has(f.path))
  }
  const snap = { commit, files: local, mtimeMs: 0 }
  const plan = planChecks(snap, new Set(), listing, (p) => opts.complete || metadata.has(p))
  const bytes = plan.checks.reduce((n, c) => n + (c.file.kind === 'file' ? c.file.size : 0), 0)
  const progress = opts.progress(plan.checks.length, bytes)
  const hashed = await runChecks({ root: dir, blobsDir: dir }, plan.checks, progress)
  progress.done()
  const problems = [...plan.problems, ...hashed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const report: VerifyReport = {
    repo: opts.name,
    type: opts.type,
    commit,
    refs: [],
    against: opts.hub ? 'hub' : 'metadata',
    localDir: dir,
    checked: plan.checks.length,
    problems,
    absent: plan.absent,
    unchecked: [...plan.unchecked, ...unchecked].sort(),
  }
  return { report, remaining: problems.filter((p) => p.kind !== 'extra') }
}

/** The error a run with problems left ends with, or undefined. Every suggested command runs as printed. */
export function localDirProblemsError(o: LocalDirOutcome, dir: string, offline: boolean): CacheProblemsError | undefined {
  if (!o.remaining.length) return undefined
  const counts = new Map<string, number>()
  for (const p of o.remaining) counts.set(p.kind, (counts.get(p.kind) ?? 0) + 1)
  const at = o.report.commit ? `@${o.report.commit}` : ''
  return new CacheProblemsError(
    `${o.report.repo} in ${dir}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}.`,
    `Fetch the bad files again with: hfx cache verify ${o.report.repo}${at} --local-dir ${shellQuote(dir)} --fix${offline ? ' (needs the Hub)' : ''}`,
  )
}

function shellQuote(s: string): string {
  return /^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

async function readMetadata(dir: string, repoPath: string): Promise<LocalDirMetadata | undefined> {
  try {
    return parseLocalDirMetadata(await readSmallFile(localDirMetadataPath(dir, repoPath), MAX_METADATA))
  } catch {
    return undefined
  }
}

/** The repo paths `.cache/huggingface/download/` holds metadata for. */
async function metadataPaths(dir: string): Promise<string[]> {
  const root = path.join(dir, '.cache', 'huggingface', 'download')
  return (await walk(root, '', false)).flatMap((f) => (f.kind === 'file' && f.path.endsWith('.metadata') ? [f.path.slice(0, -'.metadata'.length)] : []))
}

/**
 * The folder's files as a snapshot's: plain files to hash, anything else (a symlink, a fifo) foreign and never
 * followed. The top-level `.cache/huggingface/` is the metadata folder, not the repo's.
 */
async function walk(root: string, dir = '', skipMetadata = true): Promise<SnapshotFile[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])
  const out: SnapshotFile[] = []
  for (const e of entries) {
    const rel = dir ? `${dir}/${e.name}` : e.name
    if (skipMetadata && localDirConflict(`${rel}/x`)) continue
    if (e.isDirectory()) out.push(...(await walk(root, rel, skipMetadata)))
    else if (e.isFile()) out.push({ path: rel, kind: 'file', size: (await lstat(path.join(root, rel))).size })
    else out.push({ path: rel, kind: 'foreign' })
  }
  return out
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0]
}
