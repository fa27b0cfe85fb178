// What is at a --local-dir path that a pull is about to write: nothing, an earlier download left untouched
// (replacing it is an update), or something else: a file the user edited or put there, whose replacement
// the pull must report and keep. huggingface_hub replaces it without a word; hfx says so and keeps a copy.

/** huggingface_hub's metadata for a local file: which content was downloaded there, and when (seconds). */
export interface DownloadRecord {
  etag: string
  timestamp: number
}

/**
 * Whether the file was left as the download wrote it: not modified after the time its metadata records.
 * huggingface_hub's own rule (file_download.py compares st_mtime with the metadata's timestamp); one second of
 * slack for file systems that keep coarse modification times.
 */
export function untouchedSince(file: { mtimeMs: number }, record: DownloadRecord): boolean {
  return file.mtimeMs / 1000 <= record.timestamp + 1
}

export type LocalChange =
  /** No regular file there: nothing to keep. */
  | 'none'
  /** An earlier download (of this or another commit), untouched since: an update. */
  | 'download'
  /** Edited, or not put there by a download: its content differs from the one arriving. */
  | 'edited'
  /** Edited or put there, with the size of the content arriving: only its hash can tell whether it differs. */
  | 'compare'

export function localChange(file: { size: number; mtimeMs: number } | undefined, record: DownloadRecord | undefined, arrivingSize: number): LocalChange {
  if (!file) return 'none'
  if (record && untouchedSince(file, record)) return 'download'
  return file.size === arrivingSize ? 'compare' : 'edited'
}
