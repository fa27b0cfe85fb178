// Deleting from a shared cache asks first. Without a terminal there is nobody to ask: reading an answer
// from a pipe would let `yes |` or a stray newline decide, so a script says what it means with --yes,
// and silence is read as "no" (with a usage error that says how to proceed).
import { createInterface } from 'node:readline/promises'
import { UsageError } from '../errors.js'

export async function confirmDeletion(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError('refusing to delete without confirmation: this is not a terminal.', 'Pass --yes to delete, or --dry-run to see what would be freed.')
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}
