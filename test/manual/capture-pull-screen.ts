// Captures what `hfx pull` looks like on a terminal, for the README: a frame from the middle of a pull
// and the screen it leaves behind, on a narrow terminal (60 columns unless a width is given). Run by hand
// after `npx tsc -p .`:
//   npx vite-node test/manual/capture-pull-screen.ts [COLUMNS] > /tmp/pull-screen.txt
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startHub } from '../emulator/index.js'
import { bytes } from '../helpers/files.js'
import { renderScreen } from '../helpers/screen.js'

// Not from helpers/test.ts: that module imports vitest, which refuses to load outside a test run.
const CLI = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../dist/cli.js')

const MiB = 1024 * 1024
const COLUMNS = Number(process.argv[2] ?? 60)
const hub = await startHub()
const home = await mkdtemp(path.join(os.tmpdir(), 'hfx-capture-'))
try {
  hub.addRepo('acme/tiny-llama', {
    '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
    'README.md': '# tiny-llama\n',
    'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama' }),
    'generation_config.json': '{"do_sample": true}\n',
    'model-00001-of-00003.safetensors': bytes(1, 24 * MiB),
    'model-00002-of-00003.safetensors': bytes(2, 24 * MiB),
    'model-00003-of-00003.safetensors': bytes(3, 16 * MiB),
    'model.safetensors.index.json': '{"metadata": {}, "weight_map": {}}\n',
    'tokenizer.json': bytes(4, 9 * MiB),
    'tokenizer_config.json': '{"model_max_length": 8192}\n',
  })
  // Small files first, so the frame shows their lines above the bars; then a few seconds of large ones.
  hub.throttle({ perConnectionBytesPerSec: 1 * MiB })
  const env = { PATH: process.env.PATH, HOME: home, HF_ENDPOINT: hub.url, HF_HOME: home, NO_COLOR: '1', TERM: 'xterm-256color' }
  const cmd = `stty cols ${COLUMNS} rows 30; exec '${process.execPath}' '${CLI}' pull acme/tiny-llama`
  const child = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  let raw = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (raw += d))
  await new Promise((resolve) => child.on('close', resolve))
  // The first full frame at or past 40%: render everything up to the cursor-up that starts the next one.
  const mid = /\b[4-6]\d% .*ETA \d/.exec(raw)
  const next = mid ? raw.indexOf('\x1b[', mid.index) : -1
  const cut = mid ? raw.slice(next).search(/\x1b\[\d+A/) : -1
  const frame = renderScreen(cut >= 0 ? raw.slice(0, next + cut) : raw)
  const hide = (s: string) => s.replaceAll(home, '~/.cache/huggingface')
  // renderScreen keeps long lines whole; a terminal this wide wraps them (after the home folder is shortened).
  const rows = (lines: string[]) => lines.map(hide).flatMap((l) => [...l].length <= COLUMNS ? [l] : ([...l].join('').match(new RegExp(`.{1,${COLUMNS}}`, 'gu')) ?? []))
  process.stdout.write([`$ hfx pull acme/tiny-llama     # ${COLUMNS} columns, during the pull`, ...rows(frame), '', '$ hfx pull acme/tiny-llama     # when it is done', ...rows(renderScreen(raw)), ''].join('\n'))
} finally {
  await hub.close()
  await rm(home, { recursive: true, force: true })
}
