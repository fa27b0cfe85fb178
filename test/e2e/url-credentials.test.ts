// A mirror behind HTTP Basic auth, named with its password in the URL (HF_ENDPOINT, --endpoint,
// MODELSCOPE_DOMAIN). The credentials must reach that mirror, and only it, and the password must never be
// printed: not in errors and hints, the --json error event, the "Resume with" hint, progress, ls or info.
import { bytes } from '../helpers/files.js'
import { collect, describe, expect, fixturesWith, type RunResult } from '../helpers/test.js'
import { until } from '../helpers/until.js'

const MiB = 1024 * 1024
const SECRET = 's3cret'
const test = fixturesWith({ basicAuth: { user: 'user', password: SECRET } })

/** `http://user:s3cret@127.0.0.1:PORT`: the emulator's hub URL with the credentials its proxy wants. */
function withCredentials(url: string, password = SECRET): string {
  return url.replace('://', `://user:${password}@`)
}

function expectNoSecret(run: RunResult): void {
  expect(run.stdout).not.toContain(SECRET)
  expect(run.stderr).not.toContain(SECRET)
}

function errorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('error: ')) ?? `(no error line in: ${stderr})`
}


describe('credentials in the endpoint URL reach the mirror, and only it', () => {
  test('ls, info and pull work; every hub request carries Basic auth, no CDN request any Authorization', async ({ hub, hfx }) => {
    hub.addRepo('acme/walled', { 'config.json': '{"model_type":"llama"}', 'model.safetensors': bytes(3, 64 * 1024) })
    const run = hfx.with({ env: { HF_ENDPOINT: withCredentials(hub.url), HF_TOKEN: 'hf_also_set' } })
    for (const args of [['ls', 'acme/walled'], ['info', 'acme/walled'], ['pull', 'acme/walled']]) {
      const r = await run(...args)
      expect(r.code, r.stderr).toBe(0)
      expectNoSecret(r)
    }
    const basic = `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`
    const onHub = hub.requests.filter((r) => r.origin === 'hub')
    expect(onHub.length).toBeGreaterThan(3)
    // The URL's credentials take the Authorization header, as requests and httpx do for huggingface_hub.
    expect(onHub.every((r) => r.headers.authorization === basic)).toBe(true)
    const onCdn = hub.requests.filter((r) => r.origin === 'cdn')
    expect(onCdn.length).toBeGreaterThan(0)
    expect(onCdn.some((r) => r.headers.authorization !== undefined)).toBe(false)
  })

  test('no or wrong credentials: exit 4, saying what the mirror wants, the password not shown', async ({ hub, hfx }) => {
    hub.addRepo('acme/walled', { 'a.txt': 'a' })
    const none = await hfx('ls', 'acme/walled')
    expect(none.code).toBe(4)
    expect(errorLine(none.stderr)).toBe(`error: ${hub.url} asks for a user name and password (HTTP Basic auth) and did not accept what was sent.`)
    expect(none.stderr).toContain('hint: Put USER:PASSWORD@ after the https:// of HF_ENDPOINT (or --endpoint)')
    const wrong = await hfx.with({ env: { HF_ENDPOINT: withCredentials(hub.url, 'wr0ng') } })('ls', 'acme/walled')
    expect(wrong.code).toBe(4)
    expect(wrong.stderr).not.toContain('wr0ng')
  })
})

describe('the password is never printed', () => {
  test('an unknown repo, from HF_ENDPOINT and from --endpoint', async ({ hub, hfx }) => {
    const env = await hfx.with({ env: { HF_ENDPOINT: withCredentials(hub.url) } })('ls', 'acme/gone')
    expect(env.code).toBe(3)
    expectNoSecret(env)
    expect(errorLine(env.stderr)).toBe(`error: repository acme/gone was not found on ${hub.url}.`)
    const flag = await hfx('pull', 'acme/gone', '--endpoint', withCredentials(hub.url))
    expect(flag.code).toBe(3)
    expectNoSecret(flag)
  })

  test('a 500 from the API, in text and as the --json error event', async ({ hub, hfx }) => {
    hub.addRepo('acme/walled', { 'a.txt': 'a' })
    hub.inject({ origin: 'hub', kind: 'status', status: 500, headers: { 'Retry-After': '0' }, times: Infinity })
    const run = hfx.with({ env: { HF_ENDPOINT: withCredentials(hub.url) } })
    const text = await run('info', 'acme/walled')
    expect(text.code).toBe(5)
    expectNoSecret(text)
    expect(errorLine(text.stderr)).toContain(`server error 500 from ${hub.url}/api/models/acme/walled/revision/main`)
    const json = await run('pull', 'acme/walled', '--json')
    expect(json.code).toBe(5)
    expectNoSecret(json)
    const last = JSON.parse(json.stdout.trim().split('\n').at(-1)!)
    expect(last).toMatchObject({ event: 'error', code: 'HTTP_STATUS' })
  })

  test('a network failure to a closed port, with HFX_DEBUG stacks, from HF_ENDPOINT and MODELSCOPE_DOMAIN', async ({ hfx }) => {
    const closed = `http://user:${SECRET}@127.0.0.1:9`
    const hf = await hfx.with({ env: { HF_ENDPOINT: closed, HFX_DEBUG: '1' } })('ls', 'acme/x')
    expect(hf.code).toBe(5)
    expectNoSecret(hf)
    expect(errorLine(hf.stderr)).toMatch(/^error: could not reach http:\/\/127\.0\.0\.1:9\/api\/models\/acme\/x\/revision\/main: ECONNREFUSED/)
    const ms = await hfx.with({ env: { MODELSCOPE_DOMAIN: closed } })('ls', 'ms://acme/x')
    expect(ms.code).toBe(5)
    expectNoSecret(ms)
  }, 60_000)

  test('an endpoint hfx refuses is shown with the password masked', async ({ hfx }) => {
    for (const endpoint of [`ftp://user:${SECRET}@mirror.example`, `https://user:${SECRET}@mirror.example/?key=1`, `not a url user:${SECRET}@x`]) {
      const run = await hfx('ls', 'acme/x', '--endpoint', endpoint)
      expect(run.code, endpoint).toBe(2)
      expectNoSecret(run)
    }
    const masked = await hfx('ls', 'acme/x', '--endpoint', `https://user:${SECRET}@mirror.example/?key=1`)
    expect(errorLine(masked.stderr)).toBe("error: --endpoint 'https://user:***@mirror.example/' must not have a query string or #fragment.")
  })

  test('an interrupted pull: plain lines, then a Resume hint with the password masked', async ({ hub, hfx }) => {
    hub.addRepo('acme/walled', { 'model.safetensors': bytes(8, 8 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const endpoint = withCredentials(hub.url)
    const child = hfx.spawn(['pull', 'acme/walled', '--endpoint', endpoint, '--chunk-size', '1M', '--connections', '2'])
    const done = collect(child)
    await until('more than 1 MiB served', () => hub.bytesServed('model.safetensors') > 1 * MiB)
    child.kill('SIGINT')
    const run = await done
    expect(run.code).toBe(130)
    expectNoSecret(run)
    expect(run.stderr).toContain(`acme/walled  main → `) // the plain-lines header: progress was printed
    expect(run.stderr).toContain(
      `hint: Resume with: hfx pull acme/walled --endpoint '${withCredentials(hub.url, '***')}' --chunk-size 1M --connections 2 (put the password back in place of ***)`,
    )
  })

  test('an interrupted pull with --json: the error event carries the masked hint', async ({ hub, hfx }) => {
    hub.addRepo('acme/walled', { 'model.safetensors': bytes(8, 8 * MiB) })
    hub.throttle({ perConnectionBytesPerSec: 2 * MiB })
    const child = hfx.spawn(['pull', 'acme/walled', '--json', `--endpoint=${withCredentials(hub.url)}`, '--chunk-size', '1M'])
    const done = collect(child)
    await until('more than 1 MiB served', () => hub.bytesServed('model.safetensors') > 1 * MiB)
    child.kill('SIGINT')
    const run = await done
    expect(run.code).toBe(130)
    expectNoSecret(run)
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!)
    expect(last).toMatchObject({ event: 'error', code: 'INTERRUPTED', hint: expect.stringContaining(`--endpoint=${withCredentials(hub.url, '***')}`) })
  })
})
