// The ModelScope emulator's public shapes (index.ts re-exports them).
import type { Fault, RequestLog, ThrottleSettings } from '../emulator/types.js'

export type MsRepoType = 'model' | 'dataset'

/** Content, or content with an explicit LFS flag (default: LFS from `lfsThreshold` bytes up). */
export type MsFileSpec = Buffer | string | { content: Buffer | string; lfs?: boolean }

export interface ModelScopeOptions {
  /** Files of at least this many bytes are LFS: listed with IsLFS and redirected to the OSS origin. */
  lfsThreshold?: number
  /** Lifetime of signed OSS URLs. */
  urlTtlMs?: number
}

export interface MsRepoOptions {
  type?: MsRepoType
  private?: boolean
}

export interface MsRepo {
  id: string
  type: MsRepoType
  /** The commit master points at. */
  readonly head: string
  /** A new commit on `branch` (default master) holding exactly these files. */
  commit(files: Record<string, MsFileSpec>, opts?: { branch?: string; message?: string }): string
  /** A tag at an existing commit (default: master's head). */
  tag(name: string, commit?: string): void
  sha256(path: string, rev?: string): string
  /** Listed without a Sha256 (the field empty), as older ModelScope answers may be. */
  omitSha256: Set<string>
  /** When set, the files API answers exactly these entries (hostile-data tests). */
  rawFilesOverride?: unknown[]
}

export interface ModelScope {
  /** The API origin (MODELSCOPE_DOMAIN). */
  url: string
  /** The object-storage origin LFS downloads redirect to. */
  ossUrl: string
  addRepo(id: string, files: Record<string, MsFileSpec>, opts?: MsRepoOptions): MsRepo
  /** A token (sent as Bearer or as the library's m_session_id cookie) that can read these private repos. */
  addToken(token: string, repos: string[] | '*'): void
  inject(fault: Fault): void
  throttle(t: ThrottleSettings): void
  /** Every request to either origin; origin 'hub' is the API, 'cdn' the OSS origin. */
  requests: RequestLog[]
  bytesServed(filePath?: string, repoId?: string): number
  resetLog(): void
  close(): Promise<void>
}
