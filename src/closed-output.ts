// A reader that stops listening (`hfx ls big/repo | head`, `hfx pull --json | head -2`): Node ignores
// SIGPIPE, so the next write to stdout or stderr fails with EPIPE, an 'error' event that nothing in a
// command handles and that would crash hfx with a stack trace. The CLI edge watches both streams once: the
// first failed write marks the output closed, stops the work in progress the way a first Ctrl-C does (a
// pull keeps its partials for the next run), and hfx exits quietly with EXIT.closedPipe, as a Unix tool
// killed by SIGPIPE does (`git log | head` ends the same way).
import { EXIT } from './errors.js'

let closed = false
const listeners = new Set<() => void>()

/** Whether stdout or stderr lost its reader during this run. */
export function outputClosed(): boolean {
  return closed
}

/** Runs `stop` when the output closes (at once if it has); returns the unsubscribe. */
export function onOutputClosed(stop: () => void): () => void {
  if (closed) stop()
  listeners.add(stop)
  return () => listeners.delete(stop)
}

/** Installed once by cli.ts, before any command writes. */
export function watchOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    // Any failed write means the output is gone and there is nobody left to tell: EPIPE is the usual
    // one (a pipe), ERR_STREAM_DESTROYED follows it, ECONNRESET comes from a socket.
    stream.on('error', () => {
      if (closed) return
      closed = true
      // Set here too: the error event can come after main() returned (a help text written just before).
      process.exitCode = EXIT.closedPipe
      for (const stop of listeners) stop()
    })
  }
}
