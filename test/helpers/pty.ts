// The CLI on a real pseudo-terminal, under util-linux `script`, which gives it a pty of a known size. `keys`
// is typed into the terminal (after `when` holds), so Ctrl-C is the real thing: the line discipline signals
// the process. `resize` changes the pty's size mid-run (after `when` holds): the kernel then sends SIGWINCH,
// as a terminal window being dragged narrower does.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { CLI, collect } from './test.js'
import { until } from './until.js'

export interface PtyOptions {
  cols?: number
  rows?: number
  keys?: { when: () => boolean; type: string }
  resize?: { when: () => boolean; cols: number }
}

const quote = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`

export async function underPty(args: string[], env: NodeJS.ProcessEnv, opts: PtyOptions = {}): Promise<{ code: number | null; raw: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hfx-pty-'))
  const flag = path.join(dir, 'resize')
  const cmd = [process.execPath, CLI, ...args].map(quote).join(' ')
  // A background job's stdin is /dev/null: the resize names the terminal itself.
  const resizer = opts.resize ? `(while [ ! -e ${quote(flag)} ]; do sleep 0.05; done; stty cols ${opts.resize.cols} < /dev/tty) & ` : ''
  const child = spawn('script', ['-q', '-e', '-c', `stty cols ${opts.cols ?? 120} rows ${opts.rows ?? 40}; ${resizer}exec ${cmd}`, '/dev/null'], {
    env,
    stdio: [opts.keys ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  })
  try {
    const done = collect(child)
    if (opts.resize) {
      await until('the moment to resize', opts.resize.when)
      await writeFile(flag, '')
    }
    if (opts.keys) {
      await until('the moment to type', opts.keys.when)
      child.stdin!.write(opts.keys.type)
    }
    const r = await done
    return { code: r.code, raw: r.stdout }
  } finally {
    child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
}
