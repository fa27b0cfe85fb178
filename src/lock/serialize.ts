// Writes a lockfile in the one layout hfx keeps it in, so that a review diff shows only what changed:
// repos sorted (id, hub, type), files sorted by path, fields in a fixed order, and one line per file.
// JSON.stringify cannot do this: with an indent it spreads each file over five lines, without one it puts
// the whole lock on one line; either way a one-file change would not read as a one-line diff. So the layout
// is written by hand here, and each value still goes through JSON.stringify, which does all the escaping.
import { sortLock, type LockedFile, type LockedRepo, type Lockfile } from './lockfile.js'

const str = (v: unknown) => JSON.stringify(v)

function fileLine(f: LockedFile): string {
  const hash = f.sha256 !== undefined ? `"sha256":${str(f.sha256)}` : `"gitOid":${str(f.gitOid)}`
  return `{"path":${str(f.path)},"size":${f.size},${hash}}`
}

function repoLines(r: LockedRepo): string[] {
  const files = r.files.length === 0 ? ['      "files": []'] : ['      "files": [', r.files.map((f) => `        ${fileLine(f)}`).join(',\n'), '      ]']
  return [
    '    {',
    `      "hub": ${str(r.hub)},`,
    `      "type": ${str(r.type)},`,
    `      "id": ${str(r.id)},`,
    `      "revision": ${str(r.revision)},`,
    `      "commit": ${str(r.commit)},`,
    `      "include": ${str(r.include)},`,
    `      "exclude": ${str(r.exclude)},`,
    ...files,
    '    }',
  ]
}

export function serializeLock(lock: Lockfile): string {
  const { repos } = sortLock(lock)
  const body = repos.length === 0 ? ['  "repos": []'] : ['  "repos": [', repos.map((r) => repoLines(r).join('\n')).join(',\n'), '  ]']
  return ['{', `  "version": ${lock.version},`, ...body, '}', ''].join('\n')
}
