// What a file's bytes must hash to, and the hash that checks it: sha256 for LFS files, git's blob sha1 for
// the rest (the ids the Hub lists, and the names of huggingface_hub's blobs). Below both pull/ (which
// verifies while downloading) and cache/ (which verifies what is on disk).
import { createHash, type Hash } from 'node:crypto'

export interface Expected {
  algorithm: 'sha256' | 'git-sha1'
  hex: string
  size: number
}

export function newHash(expected: Expected): Hash {
  if (expected.algorithm === 'sha256') return createHash('sha256')
  // A git blob id is sha1 over "blob <size>\0" followed by the content.
  return createHash('sha1').update(`blob ${expected.size}\0`)
}
