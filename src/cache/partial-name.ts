// Names of partial downloads, hfx's and huggingface_hub's, beside the blob (or local file) they will become.
//
// hfx writes chunks at their offsets, so its partial files have holes until they are done. huggingface_hub
// 0.x resumes `<etag>.incomplete` from its length, believing it a prefix: had hfx used that name, a client
// resuming after a Ctrl-C of hfx would have published zeros. So hfx's partials carry a name no version of
// huggingface_hub reads or deletes as its own (0.x: exactly `<base>.incomplete`; ≥ 1.18: a fresh
// `<base>.<8 hex>.incomplete` per process; `hf cache prune` ≥ 1.x: every `*.incomplete`):
//   <base>.hfx-<host tag>-<pid>.partial        the bytes, private to one process
//   <base>.hfx-<host tag>-<pid>.partial.parts  which byte ranges are on disk (part-state.ts)
// The owner in the name lets a later run tell an abandoned partial (its process is gone) from one still
// being written, without any lock. Pure.

export interface PartialOwner {
  /** 8 hex digits of a hash of the host name: pids are only comparable on the same host. */
  host: string
  pid: number
}

export type PartialName =
  /** hfx's own partial (or its sidecar, or a sidecar being replaced). */
  | { kind: 'hfx'; base: string; owner: PartialOwner; file: 'data' | 'sidecar' | 'tmp' }
  /** huggingface_hub 0.x (`<base>.incomplete`), or hfx before 0.2 (then with a `.parts` sidecar). */
  | { kind: 'fixed'; base: string; file: 'data' | 'sidecar' | 'tmp' }
  /** huggingface_hub ≥ 1.18: one per process, deleted on failure, left behind only by a crash. */
  | { kind: 'unique'; base: string; file: 'data' }

export const SIDECAR_SUFFIX = '.parts'

export function hfxPartialName(base: string, owner: PartialOwner): string {
  return `${base}.hfx-${owner.host}-${owner.pid}.partial`
}

export function sidecarName(partial: string): string {
  return `${partial}${SIDECAR_SUFFIX}`
}

const HFX = /^(.+)\.hfx-([0-9a-f]{8})-(\d{1,10})\.partial(\.parts(\.[0-9a-f]+\.tmp)?)?$/
const FIXED = /^(.+)\.incomplete(\.parts(\.[0-9a-f]+\.tmp)?)?$/
const UNIQUE = /^(.+)\.([0-9a-f]{8})$/

function part(sidecar: string | undefined, tmp: string | undefined): 'data' | 'sidecar' | 'tmp' {
  return tmp ? 'tmp' : sidecar ? 'sidecar' : 'data'
}

/** Undefined for a name that is no partial download of either tool. */
export function parsePartialName(name: string): PartialName | undefined {
  const h = HFX.exec(name)
  if (h) return { kind: 'hfx', base: h[1], owner: { host: h[2], pid: Number(h[3]) }, file: part(h[4], h[5]) }
  const f = FIXED.exec(name)
  if (!f) return undefined
  const u = f[2] ? undefined : UNIQUE.exec(f[1])
  if (u) return { kind: 'unique', base: u[1], file: 'data' }
  return { kind: 'fixed', base: f[1], file: part(f[2], f[3]) }
}
