// Keyless auth in GitHub Actions, through the real CLI: HF_OIDC_RESOURCE plus the runtime's variables get
// a gated repo with no HF_TOKEN anywhere, by an id token from a fake Actions runtime exchanged at the
// emulator's /oauth/token. Each way it can fail is one clear error (exit 4, or 8 for a malformed answer),
// and no secret (the runtime's bearer, the id token, the exchanged token) is ever printed or sent elsewhere.
import { EXIT } from '../../src/errors.js'
import { signJwt } from '../emulator/jwt.js'
import { startActionsRuntime, type ActionsRuntime } from '../helpers/actions-runtime.js'
import { bytes } from '../helpers/files.js'
import { describe, expect, test as base } from '../helpers/test.js'
import type { Hub } from '../emulator/index.js'

const test = base.extend<{ runtime: ActionsRuntime }>({
  runtime: async ({}, use) => {
    const runtime = await startActionsRuntime()
    await use(runtime)
    await runtime.close()
  },
})

/** A CI job's variables must not leak in from the machine running the tests (which may be a CI job itself). */
const NO_CI = { GITHUB_ACTIONS: undefined, ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined, HF_OIDC_ID_TOKEN: undefined }

function gatedRepo(hub: Hub, runtime: ActionsRuntime, grant: { gated?: string[] } = { gated: ['acme/gated'] }) {
  hub.addRepo('acme/gated', { 'config.json': '{}', 'model.safetensors': bytes(3, 300_000) }, { gated: 'manual' })
  hub.addTrustedPublisher({ resource: 'alice', issuer: runtime.issuer, key: runtime.key, claims: { repository: 'acme/app' }, grant })
}

function secrets(hub: Hub, runtime: ActionsRuntime): string[] {
  return [runtime.requestToken, ...runtime.minted, ...hub.exchangedTokens]
}

/**
 * The error and hint lines, and the --json error event, picked out by their shape: in a job with
 * GITHUB_ACTIONS=true other lines (CI annotations, groups) may come around them.
 */
function failure(run: { stdout: string; stderr: string }) {
  const lines = run.stderr.split('\n')
  const event = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { event?: string; code?: string })
    .find((e) => e.event === 'error')
  return { error: lines.find((l) => l.startsWith('error: ')), hint: lines.find((l) => l.startsWith('hint: ')), code: event?.code }
}

function expectNoSecret(output: string, all: string[]): void {
  for (const secret of all) expect(output.includes(secret), `a secret was printed: ${output}`).toBe(false)
}

describe('keyless auth in GitHub Actions (HF_OIDC_RESOURCE)', () => {
  test('a gated repo with no HF_TOKEN: one id token, one exchange, the token sent to the Hub only', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const env = { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice', HFX_DEBUG: '1' }
    const run = await hfx.with({ env })('pull', 'acme/gated')
    expect(run.code, run.stderr).toBe(EXIT.ok)
    expect(run.stdout).toMatch(/snapshots/)

    // The runtime was asked once, with its own bearer, for an id token whose audience is the endpoint.
    expect(runtime.requests).toHaveLength(1)
    expect(runtime.requests[0]!.audience).toBe(hub.url)
    expect(runtime.requests[0]!.headers.authorization).toBe(`Bearer ${runtime.requestToken}`)
    expect(hub.exchangedTokens).toHaveLength(1)
    const token = hub.exchangedTokens[0]!

    const exchanges = hub.requests.filter((r) => r.path === '/oauth/token')
    expect(exchanges.map((r) => [r.method, r.status, r.headers.authorization])).toEqual([['POST', 200, undefined]])
    // Every other Hub request carries the exchanged token; the CDN gets none; the runtime never sees it.
    const hubCalls = hub.requests.filter((r) => r.origin === 'hub' && r.path !== '/oauth/token')
    expect(hubCalls.length).toBeGreaterThan(0)
    expect(hubCalls.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true)
    const cdnCalls = hub.requests.filter((r) => r.origin === 'cdn')
    expect(cdnCalls.length).toBeGreaterThan(0)
    expect(cdnCalls.every((r) => r.headers.authorization === undefined)).toBe(true)
    expect(JSON.stringify(runtime.requests)).not.toContain(token)
    expectNoSecret(run.stdout + run.stderr, secrets(hub, runtime))
  })

  test('no secret in --json output or in HFX_DEBUG output, on success or failure', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    hub.addRepo('acme/other-gated', { 'a.bin': bytes(4, 1000) }, { gated: 'manual' })
    const env = { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice', HFX_DEBUG: '1' }
    const ok = await hfx.with({ env })('pull', 'acme/gated', '--json')
    expect(ok.code, ok.stderr).toBe(EXIT.ok)
    // The exchanged token reads acme/gated only: the other repo's 403 names the exchange as the token's source.
    const denied = await hfx.with({ env })('pull', 'acme/other-gated', '--json')
    expect(denied.code, denied.stderr).toBe(EXIT.auth)
    expect(denied.stderr).toContain('acme/other-gated is gated and your token has not been granted access.')
    const info = await hfx.with({ env })('info', 'acme/gated', '--json')
    expect(hub.exchangedTokens).toHaveLength(3)
    expectNoSecret([ok, denied, info].map((r) => r.stdout + r.stderr).join('\n'), secrets(hub, runtime))
  })

  test('HF_OIDC_RESOURCE wins over HF_TOKEN, as in huggingface_hub; --token wins over both', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    hub.addToken('hf_env_token', {})
    const env = { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice', HF_TOKEN: 'hf_env_token' }
    const run = await hfx.with({ env })('pull', 'acme/gated', '--dry-run')
    expect(run.code, run.stderr).toBe(EXIT.ok)
    const sent = new Set(hub.requests.filter((r) => r.origin === 'hub' && r.path !== '/oauth/token').map((r) => r.headers.authorization))
    expect([...sent]).toEqual([`Bearer ${hub.exchangedTokens[0]}`])

    hub.resetLog()
    hub.addToken('hf_flag_token', { gated: '*' })
    const flag = await hfx.with({ env })('pull', 'acme/gated', '--dry-run', '--token', 'hf_flag_token')
    expect(flag.code, flag.stderr).toBe(EXIT.ok)
    expect(runtime.requests).toHaveLength(1) // the first run's only
    expect(hub.requests.some((r) => r.path === '/oauth/token')).toBe(false)
    expect(new Set(hub.requests.filter((r) => r.origin === 'hub').map((r) => r.headers.authorization))).toEqual(new Set(['Bearer hf_flag_token']))
  })

  test('a pull that outlasts the token: it is exchanged again before it expires, and the pull goes on', async ({ hub, hfx, runtime }) => {
    // Tokens that last 4 s (renewed after 2 s), and three files fetched one after the other, each held to about
    // 2 s by the throttle: the later files' requests need a renewed token, the first one being gone by then.
    hub.addRepo('acme/gated', { 'a.bin': bytes(1, 100_000), 'b.bin': bytes(2, 100_000), 'c.bin': bytes(3, 100_000) }, { gated: 'manual' })
    hub.addTrustedPublisher({ resource: 'alice', issuer: runtime.issuer, key: runtime.key, grant: { gated: ['acme/gated'] }, expiresIn: 4 })
    hub.throttle({ globalBytesPerSec: 50_000 })
    const run = await hfx.with({ env: { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice' } })('pull', 'acme/gated', '--max-files', '1')
    expect(run.code, run.stderr).toBe(EXIT.ok)
    expect(hub.exchangedTokens.length).toBeGreaterThanOrEqual(2)
    const used = new Set(hub.requests.filter((r) => r.origin === 'hub' && r.path !== '/oauth/token').map((r) => r.headers.authorization))
    expect(used.size).toBeGreaterThanOrEqual(2)
    expectNoSecret(run.stdout + run.stderr, secrets(hub, runtime))
  })

  test('HF_OIDC_ID_TOKEN (another CI minted it) is exchanged as it is, without a runtime', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const now = Math.floor(Date.now() / 1000)
    const idToken = signJwt({ iss: runtime.issuer, aud: hub.url, exp: now + 300, repository: 'acme/app' }, runtime.key)
    const run = await hfx.with({ env: { ...NO_CI, HF_OIDC_RESOURCE: 'alice', HF_OIDC_ID_TOKEN: idToken } })('pull', 'acme/gated', '--dry-run')
    expect(run.code, run.stderr).toBe(EXIT.ok)
    expect(runtime.requests).toEqual([])
    expect(hub.exchangedTokens).toHaveLength(1)
    expectNoSecret(run.stdout + run.stderr, [idToken, ...hub.exchangedTokens])
  })

  test('a job without `permissions: id-token: write`: one error naming the YAML to add, nothing sent', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const run = await hfx.with({ env: { ...NO_CI, GITHUB_ACTIONS: 'true', HF_OIDC_RESOURCE: 'alice' } })('pull', 'acme/gated', '--json')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    const { error, hint, code } = failure(run)
    expect(error).toBe(
      'error: HF_OIDC_RESOURCE is set, but this GitHub Actions job may not mint an OIDC id token (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set).',
    )
    expect(hint).toContain('The job lacks `permissions: id-token: write`')
    expect(hint).toContain('permissions: { id-token: write, contents: read }')
    expect(code).toBe('OIDC_NO_PERMISSION')
    expect(hub.requests).toEqual([])
  })

  test('outside GitHub Actions and without HF_OIDC_ID_TOKEN: one error, no fallback to HF_TOKEN', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    hub.addToken('hf_env_token', { gated: '*' })
    const run = await hfx.with({ env: { ...NO_CI, HF_OIDC_RESOURCE: 'alice', HF_TOKEN: 'hf_env_token' } })('pull', 'acme/gated')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    expect(run.stderr).toMatch(/^error: HF_OIDC_RESOURCE is set, but there is no OIDC id token to exchange: this is not a GitHub Actions job/)
    expect(run.stderr).toContain('hint: On another CI, put the id token it mints for you')
    expect(hub.requests).toEqual([])
  })

  test('the runtime refuses: one error with its status and message, the Hub never asked', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    runtime.refuse(403, '{"message":"Token is not valid for this job \\u001b[2J"}')
    const run = await hfx.with({ env: { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice' } })('pull', 'acme/gated', '--json')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    const { error, hint, code } = failure(run)
    expect(error).toBe(`error: the GitHub Actions runtime refused to mint an OIDC id token (HTTP 403 from ${new URL(runtime.requestUrl).origin}/idtoken): Token is not valid for this job \\x1b[2J.`)
    expect(hint).toMatch(/^hint: ACTIONS_ID_TOKEN_REQUEST_TOKEN is valid only inside its own job/)
    expect(code).toBe('OIDC_RUNTIME_REFUSED')
    expect(runtime.requests).toHaveLength(1) // a refusal is not retried
    expect(hub.requests).toEqual([])
    expectNoSecret(run.stderr, [runtime.requestToken])
  })

  test('a runtime that keeps failing (503) is tried a bounded number of times, then exit 5', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    runtime.refuse(503, 'unavailable')
    const run = await hfx.with({ env: { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice' } })('pull', 'acme/gated')
    expect(run.code, run.stderr).toBe(EXIT.network)
    const { error, hint } = failure(run)
    expect(run.stderr.split('\n').filter((l) => l.startsWith('warning: OIDC id token: HTTP 503, retrying'))).toHaveLength(2)
    expect(error).toMatch(/^error: could not reach http:\/\/127\.0\.0\.1:\d+\/idtoken: the GitHub Actions runtime kept answering HTTP 503\.$/)
    expect(hint).toBe('hint: Run the job again later; see https://www.githubstatus.com.')
    expect(runtime.requests).toHaveLength(3)
  })

  test("the Hub refuses the exchange: one error with the OAuth error and its description, escaped", async ({ hub, hfx, runtime }) => {
    // The publisher pins another repository than the one the runtime's tokens name.
    hub.addRepo('acme/gated', { 'config.json': '{}' }, { gated: 'manual' })
    hub.addTrustedPublisher({ resource: 'alice', issuer: runtime.issuer, key: runtime.key, claims: { repository: 'acme/elsewhere' }, grant: { gated: '*' } })
    const env = { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice' }
    const run = await hfx.with({ env })('pull', 'acme/gated', '--json')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    const { error, hint, code } = failure(run)
    expect(error).toBe(`error: ${hub.url} refused the OIDC token exchange for HF_OIDC_RESOURCE=alice (HTTP 400): invalid_grant: Claim repository does not match.`)
    expect(hint).toMatch(/^hint: On .*, a trusted publisher must be set up for 'alice'/)
    expect(code).toBe('OIDC_EXCHANGE_REFUSED')
    expect(hub.exchangedTokens).toEqual([])
    expectNoSecret(run.stdout + run.stderr, secrets(hub, runtime))

    // A refusal with control characters, and one that echoes the id token back: shown escaped, never the token.
    hub.resetLog()
    hub.inject({ kind: 'status', status: 400, body: JSON.stringify({ error: 'invalid_grant', error_description: 'bad \u001b]0;pwned\u0007 token' }) })
    const hostile = await hfx.with({ env })('pull', 'acme/gated')
    expect(failure(hostile).error).toContain('invalid_grant: bad \\x1b]0;pwned\\x07 token.')
    expect(hostile.stderr).not.toContain('\u001b')
  })

  test('a Hub that echoes the id token in its refusal does not get it printed', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const now = Math.floor(Date.now() / 1000)
    const idToken = signJwt({ iss: runtime.issuer, aud: hub.url, exp: now + 300, repository: 'acme/app' }, runtime.key)
    hub.inject({ kind: 'status', status: 401, body: JSON.stringify({ error: 'invalid_grant', error_description: `token ${idToken} is not trusted` }) })
    const env = { ...NO_CI, HF_OIDC_RESOURCE: 'alice', HF_OIDC_ID_TOKEN: idToken, HFX_DEBUG: '1' }
    const run = await hfx.with({ env })('pull', 'acme/gated', '--json')
    expect(run.code, run.stderr).toBe(EXIT.auth)
    expect(run.stderr).toContain('(HTTP 401): invalid_grant: token [redacted] is not trusted.')
    expectNoSecret(run.stdout + run.stderr, [idToken])
  })

  test('malformed answers: exit 8, saying which side sent what', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const env = { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice' }
    runtime.refuse(200, '{"count": 0}', 1)
    const fromRuntime = await hfx.with({ env })('pull', 'acme/gated')
    expect(fromRuntime.code, fromRuntime.stderr).toBe(EXIT.protocol)
    expect(failure(fromRuntime).error).toMatch(/^error: the GitHub Actions runtime answered the id-token request without a usable token/)
    expect(hub.requests).toEqual([])

    hub.inject({ kind: 'status', status: 200, body: '{"token_type": "bearer"}' })
    const fromHub = await hfx.with({ env })('pull', 'acme/gated')
    expect(fromHub.code, fromHub.stderr).toBe(EXIT.protocol)
    expect(fromHub.stderr).toContain(`error: ${hub.url} answered the OIDC token exchange without a usable access token`)
    expect(hub.requests.map((r) => r.path)).toEqual(['/oauth/token'])
  })

  test('HF_HUB_OFFLINE: no exchange at all', async ({ hub, hfx, runtime }) => {
    gatedRepo(hub, runtime)
    const run = await hfx.with({ env: { ...NO_CI, ...runtime.env(), HF_OIDC_RESOURCE: 'alice', HF_HUB_OFFLINE: '1' } })('pull', 'acme/gated')
    expect(run.code, run.stderr).toBe(EXIT.offline)
    expect(runtime.requests).toEqual([])
    expect(hub.requests).toEqual([])
  })
})
