// Reads a lockfile strictly. A lock is committed, reviewed and then trusted by CI (a locked pull writes the
// paths it names and believes its hashes), so anything short of exactly the documented shape is refused with
// the file, the line and the field: unknown or repeated keys, a hash of the wrong length, a path that could
// leave the cache folder, a repo or file listed twice.
import { LockfileError } from '../errors.js'
import { parseRepoRef, type RepoType } from '../repo/repo-ref.js'
import { unsafeReason } from '../repo/safe-path.js'
import type { HubName } from '../repo/hub-name.js'
import { JsonSyntaxError, readJsonTree, type JsonNode } from './json-tree.js'
import { LOCK_VERSION, lockHint, repoLabel, sameRepo, type LockedFile, type LockedRepo, type Lockfile } from './lockfile.js'

const HUBS: readonly HubName[] = ['huggingface', 'modelscope']
const TYPES: readonly RepoType[] = ['model', 'dataset', 'space']
const REPO_FIELDS = ['hub', 'type', 'id', 'revision', 'commit', 'include', 'exclude', 'files']
const hint = (name: string) => `Fix that line, or write the entry again with \`${lockHint(name, 'add')}\` (or \`${lockHint(name, '--update')}\`).`

type Obj = Extract<JsonNode, { kind: 'object' }>

/** `name` is how the file is named in messages (the --file given, or hfx.lock). */
export function parseLock(text: string, name: string): Lockfile {
  const bad = (line: number, field: string, reason: string) =>
    new LockfileError(`${name} line ${line}: ${field ? `${field} ` : ''}${reason}.`, hint(name))

  let root: JsonNode
  try {
    root = readJsonTree(text)
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw bad(err.line, '', `is not valid JSON: ${err.message}`)
    throw err
  }

  const object = (node: JsonNode, field: string, keys: string[]): Obj => {
    if (node.kind !== 'object') throw bad(node.line, field, `must be an object, found ${node.kind}`)
    for (const [key, value] of node.entries) if (!keys.includes(key)) throw bad(value.line, `${field}.${key}`, 'is not a field hfx knows')
    for (const key of keys) if (!node.entries.has(key)) throw bad(node.line, field, `has no "${key}"`)
    return node
  }
  const string = (node: JsonNode, field: string, check?: (v: string) => string | undefined): string => {
    if (node.kind !== 'string') throw bad(node.line, field, `must be a string, found ${node.kind}`)
    const problem = check?.(node.value)
    if (problem) throw bad(node.line, field, `${problem}, found ${JSON.stringify(node.value)}`)
    return node.value
  }
  const array = (node: JsonNode, field: string): JsonNode[] => {
    if (node.kind !== 'array') throw bad(node.line, field, `must be an array, found ${node.kind}`)
    return node.items
  }
  const hex = (length: number, what: string) => (v: string) =>
    new RegExp(`^[0-9a-f]{${length}}$`).test(v) ? undefined : `must be ${what} (${length} lowercase hex digits)`
  const oneOf = (values: readonly string[]) => (v: string) => (values.includes(v) ? undefined : `must be one of ${values.join(', ')}`)

  const readFile = (node: JsonNode, field: string): LockedFile => {
    if (node.kind !== 'object') throw bad(node.line, field, `must be an object, found ${node.kind}`)
    const hashKey = node.entries.has('sha256') ? 'sha256' : 'gitOid'
    if (node.entries.has('sha256') && node.entries.has('gitOid')) throw bad(node.line, field, 'has both "sha256" and "gitOid"; a file has one')
    const f = object(node, field, ['path', 'size', hashKey])
    const path = string(f.entries.get('path')!, `${field}.path`, (p) => {
      const reason = unsafeReason(p)
      return reason && `is not a path hfx will write (${reason})`
    })
    const sizeNode = f.entries.get('size')!
    if (sizeNode.kind !== 'number' || !Number.isSafeInteger(sizeNode.value) || sizeNode.value < 0) {
      throw bad(sizeNode.line, `${field}.size`, 'must be a whole number of bytes, 0 or more')
    }
    const size = sizeNode.value
    return hashKey === 'sha256'
      ? { path, size, sha256: string(f.entries.get('sha256')!, `${field}.sha256`, hex(64, 'a sha256')) }
      : { path, size, gitOid: string(f.entries.get('gitOid')!, `${field}.gitOid`, hex(40, 'a git blob sha1')) }
  }

  const patterns = (node: JsonNode, field: string): string[] =>
    array(node, field).map((item, i) => string(item, `${field}[${i}]`))

  const readRepo = (node: JsonNode, field: string): LockedRepo => {
    const r = object(node, field, REPO_FIELDS)
    const get = (key: string) => r.entries.get(key)!
    const hub = string(get('hub'), `${field}.hub`, oneOf(HUBS)) as HubName
    const type = string(get('type'), `${field}.type`, oneOf(TYPES)) as RepoType
    const id = string(get('id'), `${field}.id`, (v) => {
      try {
        const ref = parseRepoRef(v, { repoType: type })
        return ref.id === v && ref.revision === undefined && ref.path === undefined ? undefined : 'must be a plain org/name'
      } catch {
        return 'must be a repo id (org/name)'
      }
    })
    const revision = string(get('revision'), `${field}.revision`, (v) =>
      v === '' || /[\s\x00-\x1f\x7f]/.test(v) ? 'must be a branch, tag or commit (not empty, no spaces or control characters)' : undefined,
    )
    const commit = string(get('commit'), `${field}.commit`, hex(40, 'a full commit sha'))
    const files: LockedFile[] = []
    for (const [i, item] of array(get('files'), `${field}.files`).entries()) {
      const file = readFile(item, `${field}.files[${i}]`)
      if (files.some((f) => f.path === file.path)) throw bad(item.line, `${field}.files[${i}]`, `repeats the path ${JSON.stringify(file.path)}`)
      files.push(file)
    }
    const include = patterns(get('include'), `${field}.include`)
    const exclude = patterns(get('exclude'), `${field}.exclude`)
    return { hub, type, id, revision, commit, include, exclude, files }
  }

  const top = object(root, 'the document', ['version', 'repos'])
  const version = top.entries.get('version')!
  if (version.kind !== 'number' || version.value !== LOCK_VERSION) {
    throw new LockfileError(
      `${name} line ${version.line}: version ${JSON.stringify(version.kind === 'number' ? version.value : null)} is not one this hfx reads (it reads version ${LOCK_VERSION}).`,
      `A newer hfx wrote it: upgrade hfx, or write the lock again with this one (\`${lockHint(name, '--update')}\`).`,
    )
  }
  const repos: LockedRepo[] = []
  for (const [i, item] of array(top.entries.get('repos')!, 'repos').entries()) {
    const repo = readRepo(item, `repos[${i}]`)
    if (repos.some((r) => sameRepo(r, repo))) throw bad(item.line, `repos[${i}]`, `repeats ${repoLabel({ ...repo, revision: undefined })}; a repo is locked once`)
    repos.push(repo)
  }
  return { version: LOCK_VERSION, repos }
}
