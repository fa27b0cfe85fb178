import { describe, expect, test } from 'vitest'
import { ListingBudget, ListingTooLargeError, MAX_LISTING_BYTES, MAX_LISTING_ENTRIES, MAX_LISTING_PAGE_BYTES } from '../../src/hub/listing-budget.js'
import { thrown } from '../helpers/thrown.js'

describe('listing budget', () => {
  test('pages add up to at most MAX_LISTING_BYTES', () => {
    const budget = new ListingBudget("the Hub's file listing for acme/x")
    const pages = MAX_LISTING_BYTES / MAX_LISTING_PAGE_BYTES
    for (let i = 0; i < pages; i++) budget.page(MAX_LISTING_PAGE_BYTES)
    expect(() => budget.page(1)).toThrow(ListingTooLargeError)
    expect(() => budget.page(1)).toThrow("the Hub's file listing for acme/x is over 256 MiB; hfx refuses listings that large.")
  })

  test('entries are counted one by one, the limit itself is allowed', () => {
    const budget = new ListingBudget('the listing')
    for (let i = 0; i < MAX_LISTING_ENTRIES; i++) budget.entry()
    const err = thrown(() => budget.entry()) as ListingTooLargeError
    expect(err?.exitCode).toBe(8)
    expect(err?.message).toBe('the listing has more than 1,000,000 entries; hfx refuses listings that large.')
  })
})
