// File operations that never follow a symlink at the file itself. The cache and a --local-dir may be shared
// with other users and tools, and a symlink planted where hfx writes (a partial, a sidecar, a copy's
// destination) or reads (metadata, a manifest) would lead the write out of the folder, or the read to
// /dev/zero. So every file hfx makes is created with O_EXCL (which fails on any existing name, a dangling
// symlink included) and written under a temporary name before a rename, and every file it reads or
// resumes is opened with O_NOFOLLOW and checked to be a regular file. Folders are checked by makeParents
// (pull/publish.ts); this module is about the last path component.
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'

const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants
/** Copies go through this process's own buffer: no stream, no path opened twice. */
const COPY_BUFFER = 4 * 1024 * 1024

/** What `open` reports for a name that is a symlink or not a regular file: callers treat both alike. */
export class NotRegularFileError extends Error {
  readonly code = 'ELOOP'
  constructor(readonly file: string) {
    super(`${file} is a symlink or not a regular file`)
  }
}

async function regular(fh: FileHandle, file: string): Promise<FileHandle> {
  const st = await fh.stat().catch(async (err) => {
    await fh.close()
    throw err
  })
  if (st.isFile()) return fh
  await fh.close()
  throw new NotRegularFileError(file)
}

/** Opens an existing regular file; a symlink (ELOOP), a folder or a fifo is refused. */
export async function openRegular(file: string, mode: 'r' | 'r+'): Promise<FileHandle> {
  // O_NONBLOCK keeps open(2) itself from hanging on a fifo planted at the name, before the check can refuse it.
  const flags = (mode === 'r' ? O_RDONLY : O_RDWR) | O_NOFOLLOW | constants.O_NONBLOCK
  const fh = await open(file, flags).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP' ? new NotRegularFileError(file) : err
  })
  return regular(fh, file)
}

/** Creates a new file; fails with EEXIST if anything at all has the name, a symlink included. */
export function createExclusive(file: string, mode = 0o644): Promise<FileHandle> {
  return open(file, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
}

/** A small file's text (metadata, a manifest, a sidecar), refusing anything but a regular file of at most `maxBytes`. */
export async function readSmallFile(file: string, maxBytes: number): Promise<string> {
  const fh = await openRegular(file, 'r')
  try {
    const { size } = await fh.stat()
    if (size > maxBytes) throw Object.assign(new Error(`${file} is larger than ${maxBytes} bytes`), { code: 'EFBIG' })
    const buf = Buffer.alloc(size)
    let at = 0
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, size - at, at)
      if (bytesRead === 0) break
      at += bytesRead
    }
    return buf.subarray(0, at).toString('utf8')
  } finally {
    await fh.close()
  }
}

/** Writes a new file (see createExclusive): content for a temp name that a rename then puts in place. */
export async function writeExclusive(file: string, content: string): Promise<void> {
  const fh = await createExclusive(file)
  try {
    await fh.writeFile(content)
  } finally {
    await fh.close()
  }
}

/**
 * Copies a regular file to a new name. Both ends are opened by this process (O_NOFOLLOW, O_EXCL): a symlink
 * at either name is refused, and a name swapped after the check cannot redirect the copy.
 */
export async function copyExclusive(from: string, to: string): Promise<void> {
  const src = await openRegular(from, 'r')
  try {
    const dst = await open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
    try {
      const buf = Buffer.allocUnsafe(COPY_BUFFER)
      for (let at = 0; ; ) {
        const { bytesRead } = await src.read(buf, 0, buf.length, at)
        if (bytesRead === 0) break
        for (let done = 0; done < bytesRead; ) done += (await dst.write(buf, done, bytesRead - done, at + done)).bytesWritten
        at += bytesRead
      }
    } finally {
      await dst.close()
    }
  } finally {
    await src.close()
  }
}
