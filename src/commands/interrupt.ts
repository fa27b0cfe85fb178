// Ctrl-C and SIGTERM: the first one aborts the work (partial files are kept for a resume), a second one
// exits at once. A closed stdout or stderr (closed-output.ts) counts as a first Ctrl-C.
import { setMaxListeners } from 'node:events'
import { onOutputClosed } from '../closed-output.js'
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
  // A reader that went away stops the work as a first Ctrl-C does (never the immediate exit of a second).
  const unwatch = onOutputClosed(() => controller.abort())
  return {
    signal: controller.signal,
    dispose() {
      unwatch()
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
