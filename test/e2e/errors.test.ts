// Every failure: one `error:` line, a `hint:` where it helps, and the documented exit code.
import { bytes } from '../helpers/files.js'
import { describe, expect, test } from '../helpers/test.js'

const EXIT = { usage: 2, notFound: 3, auth: 4, network: 5, protocol: 8 }

function errorLine(stderr: string): string {
  return stderr.split('\n').find((l) => l.startsWith('error: ')) ?? `(no error line in: ${stderr})`
}

describe('errors and exit codes', () => {
  test('a malformed reference is a usage error naming the accepted forms', async ({ hfx }) => {
    const run = await hfx('ls', 'a/b/c')
    expect(run.code).toBe(EXIT.usage)
    expect(errorLine(run.stderr)).toContain("'a/b/c'")
    expect(run.stderr).toContain('hint: Accepted: org/name')
  })

  test('an unknown option is a usage error', async ({ hfx }) => {
    const run = await hfx('ls', 'acme/x', '--bogus')
    expect(run.code).toBe(EXIT.usage)
    expect(run.stderr).toContain("unknown option '--bogus'")
  })

  test('unknown repo, unknown revision, missing file', async ({ hub, hfx }) => {
    hub.addRepo('acme/here', { 'a.txt': 'a' })
    const repo = await hfx('ls', 'acme/gone')
    expect(repo.code).toBe(EXIT.notFound)
    expect(errorLine(repo.stderr)).toBe(`error: repository acme/gone was not found on ${hub.url}.`)
    const rev = await hfx('ls', 'acme/here@nope')
    expect(rev.code).toBe(EXIT.notFound)
    expect(errorLine(rev.stderr)).toBe("error: revision 'nope' does not exist in acme/here.")
    const file = await hfx('pull', 'acme/here', 'missing.bin')
    expect(file.code).toBe(EXIT.notFound)
    expect(errorLine(file.stderr)).toContain('missing.bin does not exist in acme/here')
    const none = await hfx('pull', 'acme/here', '--include', '*.gguf')
    expect(none.code).toBe(EXIT.notFound)
    expect(errorLine(none.stderr)).toBe("error: no file in acme/here at main matches --include '*.gguf'.")
  })

  test('a private repo looks missing without a token and works with one', async ({ hub, hfx }) => {
    hub.addRepo('acme/secret', { 'a.txt': 'a' }, { private: true })
    hub.addToken('hf_reader', { repos: ['acme/secret'] })
    const anon = await hfx('ls', 'acme/secret')
    expect(anon.code).toBe(EXIT.notFound)
    expect(anon.stderr).toContain('pass a token with --token or HF_TOKEN')
    const withToken = await hfx.with({ env: { HF_TOKEN: 'hf_reader' } })('ls', 'acme/secret', '--flat')
    expect(withToken.code).toBe(0)
    expect(withToken.stdout.trim()).toBe('a.txt')
  })

  test('a gated repo: no token, a token without access, a token with access', async ({ hub, hfx }) => {
    hub.addRepo('acme/gated', { 'model.safetensors': bytes(5, 20_000) }, { gated: 'manual' })
    hub.addToken('hf_nogrant')
    hub.addToken('hf_granted', { gated: ['acme/gated'] })
    const anon = await hfx('pull', 'acme/gated')
    expect(anon.code).toBe(EXIT.auth)
    expect(errorLine(anon.stderr)).toBe('error: acme/gated is gated: downloading it needs a token.')
    expect(anon.stderr).toContain(`hint: Accept the terms at ${hub.url}/acme/gated`)
    const denied = await hfx.with({ env: { HF_TOKEN: 'hf_nogrant' } })('pull', 'acme/gated')
    expect(denied.code).toBe(EXIT.auth)
    expect(errorLine(denied.stderr)).toBe('error: acme/gated is gated and your token has not been granted access.')
    const ok = await hfx.with({ env: { HF_TOKEN: 'hf_granted' } })('pull', 'acme/gated', '--quiet')
    expect(ok.code).toBe(0)
    expect(ok.stderr).toBe('')
  })

  test('a bad token is told apart from a missing repo, and never printed', async ({ hub, hfx }) => {
    hub.addRepo('acme/pub', { 'a.txt': 'a' })
    const run = await hfx.with({ env: { HF_TOKEN: 'hf_wrong_secret_value' } })('ls', 'acme/pub')
    expect(run.code).toBe(EXIT.auth)
    expect(errorLine(run.stderr)).toBe('error: the Hub rejected the token (from HF_TOKEN) as invalid.')
    expect(run.stdout + run.stderr).not.toContain('hf_wrong_secret_value')
  })

  test('the token file of `hf auth login` is used when no variable is set', async ({ hub, home, hfx }) => {
    const { writeFile, mkdir } = await import('node:fs/promises')
    hub.addRepo('acme/private2', { 'a.txt': 'a' }, { private: true })
    hub.addToken('hf_from_file', { repos: ['acme/private2'] })
    await mkdir(home.dir, { recursive: true })
    await writeFile(`${home.dir}/token`, 'hf_from_file\n')
    const run = await hfx('ls', 'acme/private2', '--flat')
    expect(run.code).toBe(0)
  })

  test('a disabled repo', async ({ hub, hfx }) => {
    hub.addRepo('acme/off', { 'a.txt': 'a' }, { disabled: true })
    const run = await hfx('ls', 'acme/off')
    expect(run.code).toBe(EXIT.auth)
    expect(errorLine(run.stderr)).toBe('error: access to acme/off has been disabled by the Hub.')
  })

  test('an unreachable endpoint is a network error', async ({ hfx }) => {
    const run = await hfx.with({ env: { HF_ENDPOINT: 'http://127.0.0.1:9' } })('ls', 'acme/x')
    expect(run.code).toBe(EXIT.network)
    expect(errorLine(run.stderr)).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\/api\/models\/acme\/x\/revision\/main: ECONNREFUSED/)
  }, 60_000)

  test('metadata calls retry a 503 and then succeed', async ({ hub, hfx }) => {
    hub.addRepo('acme/flaky', { 'a.txt': 'a' })
    hub.inject({ origin: 'hub', kind: 'status', status: 503, headers: { 'Retry-After': '0' }, times: 2 })
    const run = await hfx('ls', 'acme/flaky', '--flat')
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toBe('a.txt')
  })

  test('a 429 that never ends is a network error after bounded retries', async ({ hub, hfx }) => {
    hub.addRepo('acme/limited', { 'a.txt': 'a' })
    hub.inject({ origin: 'hub', kind: 'status', status: 429, headers: { RateLimit: '"api";r=0;t=0' }, times: Infinity })
    const run = await hfx('ls', 'acme/limited')
    expect(run.code).toBe(EXIT.network)
    expect(errorLine(run.stderr)).toContain('429 Too Many Requests')
    const calls = hub.requests.filter((r) => r.path.startsWith('/api/models/acme/limited'))
    expect(calls.length).toBe(5)
  })

  test('malformed JSON from the server is a protocol error', async ({ hub, hfx }) => {
    hub.addRepo('acme/junk', { 'a.txt': 'a' })
    hub.inject({ origin: 'hub', kind: 'status', status: 200, body: '{"sha": ', times: Infinity })
    const run = await hfx('ls', 'acme/junk')
    expect(run.code).toBe(EXIT.protocol)
    expect(errorLine(run.stderr)).toContain('malformed JSON')
  })

  test.for([
    ['../evil.txt', 'a parent-folder segment'],
    ['/etc/passwd', 'absolute'],
    ['sub\\..\\x', 'backslash'],
    ['C:/x', 'drive'],
    ['a\u0000b', 'NUL'],
  ])('a hostile tree path %j is refused before anything is written', async ([path], { hub, home, hfx }) => {
    const repo = hub.addRepo('acme/hostile', { 'a.txt': 'a' })
    repo.rawTreeOverride = [{ type: 'file', path, size: 1, oid: repo.gitSha1('a.txt') }]
    const run = await hfx('pull', 'acme/hostile')
    expect(run.code).toBe(EXIT.protocol)
    expect(errorLine(run.stderr)).toContain('unsafe path')
    const { readdir } = await import('node:fs/promises')
    const blobs = await readdir(`${home.cache}/models--acme--hostile/blobs`).catch(() => [])
    expect(blobs).toEqual([])
  })
})
