// hfx cache key: a key for CI caches (actions/cache, GitLab cache:key) that changes exactly when the lockfile
// pins something else. Reads only the lock: no Hub, no cache folder.
import path from 'node:path'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { DEFAULT_LOCK_FILE, lockHint } from '../lock/lockfile.js'

export function cacheKeyCommand(cache: Command): void {
  cache
    .command('key')
    .description('print a short key naming what the lockfile pins, for CI caches')
    .option('--locked <file>', `the lockfile (default: ./${DEFAULT_LOCK_FILE})`)
    .action(async (opts: { locked?: string }) => {
      const [{ readLock }, { lockCacheKey }] = await Promise.all([import('../lock/store.js'), import('../lock/cache-key.js')])
      const name = opts.locked ?? DEFAULT_LOCK_FILE
      const lock = await readLock(path.resolve(name), name)
      if (!lock) throw new UsageError(`there is no lockfile at ${name}.`, `Create it with: ${lockHint(name, 'add org/name[@revision]')}`)
      process.stdout.write(`${lockCacheKey(lock)}\n`)
    })
}
