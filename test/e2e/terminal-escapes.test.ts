// Server strings with terminal escapes in them: file paths, repo info fields, the model card, config.json,
// GGUF metadata, error headers and bodies. No raw ESC, BEL, C1 control or bidi override may reach stdout or
// stderr of ls, info, pull (plain lines and --json) or an error line; text shows them as visible escapes,
// and --json keeps the values exact.
import { spawn } from 'node:child_process'
import net from 'node:net'
import { ggufFile, type GgufTensor } from '../helpers/gguf-writer.js'
import { CLI, collect, describe, expect, hfxEnv, test, type RunResult } from '../helpers/test.js'
import { test as base } from '../helpers/test.js'
import { startModelScope, type ModelScope } from '../emulator-modelscope/index.js'

const OSC = '\x1b]0;pwned\x07' // sets the terminal title
const CSI = '\x1b[2J' // clears the screen
const C1 = '\u009b31m' // a one-byte CSI: red
const RLO = '\u202e' // right-to-left override

/** Control characters other than the line feed, C1 controls, and bidi embeddings/overrides/isolates. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

function expectNoRawControls(run: RunResult): void {
  expect(run.stdout).not.toMatch(RAW)
  expect(run.stderr).not.toMatch(RAW)
}

function errorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('error: ')) ?? `(no error line in: ${stderr})`
}

describe('hfx ls', () => {
  test('paths with escape sequences: shown escaped in every text form, exact in --json', async ({ hub, hfx }) => {
    const evil = `${OSC}evil.txt` // a control character: unsafe, listed with an UNSAFE line
    const flipped = `docs/read${RLO}me.txt` // legal to write, shown escaped
    hub.addRepo('acme/escapes', { 'config.json': '{}', [evil]: 'x', [flipped]: 'y' })
    const tree = await hfx('ls', 'acme/escapes')
    expect(tree.code).toBe(0)
    expectNoRawControls(tree)
    expect(tree.stdout).toContain('UNSAFE \\x1b]0;pwned\\x07evil.txt (1 B): contains a control character')
    expect(tree.stdout).toMatch(/└── read\\u202eme\.txt {2}1 B$/m)
    for (const form of ['--long', '--flat']) {
      const run = await hfx('ls', 'acme/escapes', form)
      expect(run.code).toBe(0)
      expectNoRawControls(run)
      expect(run.stdout).toContain('docs/read\\u202eme.txt')
    }
    const json = await hfx('ls', 'acme/escapes', '--json')
    expectNoRawControls(json)
    expect(JSON.parse(json.stdout).files.map((f: { path: string }) => f.path).sort()).toEqual(['config.json', flipped, evil].sort())
  })
})

describe('hfx info', () => {
  const tensors: GgufTensor[] = [{ name: 'token_embd.weight', dims: [8, 16], ggmlType: 0 }]
  const gguf = ggufFile(
    {
      'general.architecture': { type: 'string', value: `llama${OSC}` },
      'general.name': { type: 'string', value: `name${CSI}` },
      'general.alignment': { type: 'u32', value: 32 },
    },
    tensors,
  )
  const config = {
    architectures: [`LlamaForCausalLM${OSC}`],
    model_type: `llama${CSI}`,
    torch_dtype: `bfloat16${C1}`,
    num_hidden_layers: 2,
    quantization_config: { quant_method: `fp8${RLO}` },
  }

  test('repo id, tags, library, pipeline tag, card fields, config strings, GGUF metadata and notes', async ({ hub, hfx }) => {
    hub.addRepo(
      'acme/escapes',
      {
        'config.json': JSON.stringify(config),
        'model.gguf': { content: gguf, lfs: true },
        'model.safetensors.index.json': JSON.stringify({ weight_map: { w: `model-00001-of-00002${OSC}.safetensors` } }),
        'model-00001-of-00002.safetensors': 'not read',
      },
      {
        info: { id: `acme/${CSI}escapes` },
        tags: [`tag${OSC}`, `other${RLO}`],
        cardData: { license: `mit${CSI}`, pretty_name: `pretty${C1}`, base_model: `base${OSC}`, language: [`en${RLO}`], library_name: `transformers${OSC}`, pipeline_tag: `text-generation${C1}` },
      },
    )
    const text = await hfx('info', 'acme/escapes')
    expect(text.code).toBe(0)
    expectNoRawControls(text)
    for (const shown of [
      'acme/\\x1b[2Jescapes  main →',
      'mit\\x1b[2J',
      'transformers\\x1b]0;pwned\\x07 · text-generation\\x9b31m',
      'base\\x1b]0;pwned\\x07',
      'pretty\\x9b31m',
      'tag\\x1b]0;pwned\\x07, other\\u202e',
      'LlamaForCausalLM\\x1b]0;pwned\\x07 (llama\\x1b[2J)',
      'bfloat16\\x9b31m',
      'en\\u202e',
      'fp8\\u202e',
      'llama\\x1b]0;pwned\\x07',
      'names model-00001-of-00002\\x1b]0;pwned\\x07.safetensors, which is not in the repo',
    ]) {
      expect(text.stdout).toContain(shown)
    }
    const json = await hfx('info', 'acme/escapes', '--json')
    expect(json.code).toBe(0)
    expectNoRawControls(json)
    const s = JSON.parse(json.stdout)
    expect(s.repo).toMatchObject({ id: `acme/${CSI}escapes`, library: `transformers${OSC}`, pipeline: `text-generation${C1}` })
    expect(s.architecture.architectures).toEqual([`LlamaForCausalLM${OSC}`])
    expect(s.gguf[0].architecture).toBe(`llama${OSC}`)
  })
})

describe('hfx pull', () => {
  test('plain lines and the error line show server paths and error headers escaped', async ({ hub, hfx }) => {
    const flipped = `sub/x${RLO}txt.exe`
    hub.addRepo('acme/escapes', { [flipped]: 'payload', 'broken.bin': 'never arrives' })
    hub.inject({ filePath: 'broken.bin', kind: 'status', status: 500, headers: { 'Retry-After': '0', 'X-Error-Message': `boom${C1}` }, times: Infinity })
    const run = await hfx('pull', 'acme/escapes')
    expect(run.code).toBe(5)
    expectNoRawControls(run)
    expect(run.stderr).toContain('done sub/x\\u202etxt.exe')
    expect(run.stderr).toMatch(/^failed broken\.bin: .*boom\\x9b31m/m)
    expect(errorLine(run.stderr)).toContain('boom\\x9b31m')
  })

  test('on a terminal, the bars and the lines above them show the same strings escaped', async ({ hub, home }) => {
    // The hostile name is the failing file's: a terminal counts small files that arrive without naming them,
    // but names a file that retries and fails.
    hub.addRepo('acme/escapes', { [`sub/x${RLO}txt.exe`]: 'never arrives', 'fine.bin': 'payload' })
    hub.inject({ filePath: `sub/x${RLO}txt.exe`, kind: 'status', status: 500, headers: { 'Retry-After': '0', 'X-Error-Message': `boom${C1}` }, times: Infinity })
    // util-linux `script` gives the CLI a pty, so the TTY reporter (bars, colours) is the one that prints.
    const cmd = [process.execPath, CLI, 'pull', 'acme/escapes'].map((a) => `'${a}'`).join(' ')
    const child = spawn('script', ['-q', '-e', '-c', `stty cols 120 rows 40; exec ${cmd}`, '/dev/null'], {
      env: hfxEnv(hub, home, { NO_COLOR: undefined, TERM: 'xterm-256color' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const run = await collect(child)
    expect(run.code, run.stdout).toBe(5)
    expect(run.stdout).toContain('\x1b[32m') // our own colours are there…
    expect(run.stdout).not.toMatch(/[\u009b\u202e]/) // …the server's controls are not
    expect(run.stdout).toContain('sub/x\\u202etxt.exe')
    expect(run.stdout).toContain('boom\\x9b31m')
  })

  test('--json: every event and the error event carry the exact strings, with no raw control bytes', async ({ hub, hfx }) => {
    const flipped = `sub/x${RLO}txt.exe`
    hub.addRepo('acme/escapes', { [flipped]: 'payload', 'broken.bin': 'never arrives' })
    hub.inject({ filePath: 'broken.bin', kind: 'status', status: 500, headers: { 'Retry-After': '0', 'X-Error-Message': `boom${C1}` }, times: Infinity })
    const run = await hfx('pull', 'acme/escapes', '--json')
    expect(run.code).toBe(5)
    expectNoRawControls(run)
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(events.find((e) => e.event === 'file_done')?.path).toBe(flipped)
    expect(events.at(-1)).toMatchObject({ event: 'error', message: expect.stringContaining(`boom${C1}`) })
  })

  test('an unsafe path with a C1 control in it: the error line names it escaped', async ({ hub, hfx }) => {
    hub.addRepo('acme/escapes', { [`a${C1}.txt`]: 'x' })
    const run = await hfx('pull', 'acme/escapes')
    expect(run.code).toBe(8)
    expectNoRawControls(run)
    expect(errorLine(run.stderr)).toContain('unsafe path "a\\x9b31m.txt" (contains a control character)')
  })
})

describe('error lines', () => {
  test('an X-Error-Message with a C1 CSI from the API', async ({ hub, hfx }) => {
    hub.addRepo('acme/escapes', { 'a.txt': 'a' })
    hub.inject({ origin: 'hub', kind: 'status', status: 500, headers: { 'Retry-After': '0', 'X-Error-Message': `Internal${C1} error` }, times: Infinity })
    const run = await hfx('ls', 'acme/escapes')
    expect(run.code).toBe(5)
    expectNoRawControls(run)
    expect(errorLine(run.stderr)).toContain('Internal\\x9b31m error')
  })

  test('a server that puts a raw ESC sequence in a header: undici refuses the answer, nothing raw is printed', async ({ hfx }) => {
    // node:http will not send such a header, so a tiny raw server does (127.0.0.1, closed after the test).
    const server = net.createServer((socket) => {
      socket.once('data', () => socket.end(`HTTP/1.1 500 Oops\r\nX-Error-Message: a${OSC}b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 'latin1'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as net.AddressInfo
      const run = await hfx.with({ env: { HF_ENDPOINT: `http://127.0.0.1:${port}` } })('ls', 'acme/escapes')
      expect(run.code).toBe(5)
      expectNoRawControls(run)
      expect(errorLine(run.stderr)).toContain('Invalid header value char')
    } finally {
      server.close()
    }
  })
})

const msTest = base.extend<{ ms: ModelScope }>({
  ms: async ({}, use) => {
    const ms = await startModelScope()
    await use(ms)
    await ms.close()
  },
})

describe('ModelScope', () => {
  msTest('its JSON error Message and its listing paths', async ({ ms, hfx }) => {
    const run = hfx.with({ env: { MODELSCOPE_DOMAIN: ms.url } })
    ms.addRepo('acme/escapes', { 'config.json': '{}', [`read${RLO}me.md`]: 'x' })
    const ls = await run('ls', 'ms://acme/escapes')
    expect(ls.code).toBe(0)
    expectNoRawControls(ls)
    expect(ls.stdout).toContain('read\\u202eme.md')
    ms.inject({ origin: 'hub', kind: 'status', status: 400, body: JSON.stringify({ Code: 10010, Message: `bad${OSC}request`, Success: false }), times: Infinity })
    const err = await run('ls', 'ms://acme/escapes')
    expect(err.code).not.toBe(0)
    expectNoRawControls(err)
    expect(errorLine(err.stderr)).toContain('bad\\x1b]0;pwned\\x07request')
  })
})
