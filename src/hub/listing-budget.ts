// How much of a repo's file listing hfx reads and holds. A server decides how many pages it links and how
// large each is; without these bounds 241 MB of tree pages cost 1.14 GB of memory, and up to 10,000 pages
// of 64 MB were accepted. Pure: listTree and ModelScope's lister report pages and entries as they read them.
import { formatCount } from '../format.js'
import { ProtocolError } from '../errors.js'

const MiB = 1024 * 1024

/**
 * One page of the Hub's tree listing. A page holds 1,000 entries of about 250 bytes (path, 40-hex oid,
 * size, LFS sha256 and pointer size, Xet hash): a quarter of a MB, one MB with long paths. 16 MiB leaves room
 * for a mirror that pages by tens of thousands, and bounds what one page costs to parse.
 */
export const MAX_LISTING_PAGE_BYTES = 16 * MiB
/**
 * Every page of one listing together. A million entries of ~250 bytes is about 256 MiB: what the entry
 * limit allows, while a listing of huge paths is stopped by its bytes.
 */
export const MAX_LISTING_BYTES = 256 * MiB
/** Files and folders in one listing: ten times the Hub's own recommendation of under 100k files per repo. */
export const MAX_LISTING_ENTRIES = 1_000_000

/** A listing over one of the limits above: exit 8, like any data hfx refuses from a server. */
export class ListingTooLargeError extends ProtocolError {
  override readonly code = 'LISTING_TOO_LARGE'
  constructor(what: string, over: string) {
    super(
      `${what} ${over}; hfx refuses listings that large.`,
      'No real repo comes close (the Hub recommends under 100k files per repo): the endpoint is serving a broken or hostile listing; check HF_ENDPOINT. To see one folder only: hfx ls <repo> <folder>.',
    )
  }
}

export class ListingBudget {
  private bytes = 0
  private entries = 0

  /** `what` opens the error message: "the Hub's file listing for acme/model". */
  constructor(private readonly what: string) {}

  page(bytes: number): void {
    this.bytes += bytes
    if (this.bytes > MAX_LISTING_BYTES) throw new ListingTooLargeError(this.what, `is over ${MAX_LISTING_BYTES / MiB} MiB`)
  }

  entry(): void {
    if (++this.entries > MAX_LISTING_ENTRIES) throw new ListingTooLargeError(this.what, `has more than ${formatCount(MAX_LISTING_ENTRIES)} entries`)
  }
}
