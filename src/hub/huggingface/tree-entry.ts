// One entry of the Hub's tree or paths-info answers, validated: both endpoints list entries of one shape.
import { ProtocolError } from '../../errors.js'
import { unsafeReason } from '../../repo/safe-path.js'
import type { TreeEntry, TreeFile } from '../hub.js'

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}

/**
 * Validates one entry from the server: nonsense sizes and hashes stop the run. A hostile path is marked
 * `unsafe` rather than thrown, so that ls and info can show it; collect-tree.ts refuses it for everyone else.
 */
export function toTreeEntry(raw: unknown): TreeEntry {
  const e = raw as Record<string, unknown>
  if (!e || typeof e !== 'object' || typeof e.path !== 'string') {
    throw new ProtocolError(`the Hub listed a malformed tree entry: ${JSON.stringify(raw)?.slice(0, 200)}`)
  }
  const path = e.path
  const unsafe = unsafeReason(path)
  if (e.type === 'directory') return unsafe ? { type: 'directory', path, unsafe } : { type: 'directory', path }
  if (e.type !== 'file' || !isCount(e.size) || typeof e.oid !== 'string' || !/^[0-9a-f]{40}$/.test(e.oid)) {
    throw new ProtocolError(`the Hub listed ${JSON.stringify(path)} with a missing or invalid type, size or oid.`)
  }
  const file: TreeFile = { type: 'file', path, size: e.size, oid: e.oid }
  const lfs = e.lfs as Record<string, unknown> | undefined
  if (lfs) {
    if (typeof lfs.oid !== 'string' || !/^[0-9a-f]{64}$/.test(lfs.oid) || !isCount(lfs.size)) {
      throw new ProtocolError(`the Hub listed ${JSON.stringify(path)} with an invalid LFS sha256 or size.`)
    }
    file.lfs = { oid: lfs.oid, size: lfs.size }
    file.size = lfs.size
  }
  if (typeof e.xetHash === 'string') file.xetHash = e.xetHash
  if (unsafe) file.unsafe = unsafe
  return file
}
