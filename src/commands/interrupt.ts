// Ctrl-C and SIGTERM: the first one aborts the work (partial files are kept for a resume), a second one
// exits at once.
import { setMaxListeners } from 'node:events'
import { EXIT } from '../errors.js'

export interface InterruptOptions {
  /** Runs just before a second signal exits the process: restore the terminal (cursor, line wrap). */
  beforeExit?: () => void
}

export function onInterrupt(opts: InterruptOptions = {}): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  // Every request in flight listens to this one signal; hundreds at once are expected, not a leak.
  setMaxListeners(0, controller.signal)
  const handler = () => {
    if (controller.signal.aborted) {
      try {
        opts.beforeExit?.()
      } finally {
        process.exit(EXIT.interrupted)
      }
    }
    controller.abort()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
