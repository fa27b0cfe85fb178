// The emulator's /oauth/token and the fake Actions runtime are strict where the real ones are, so a test
// that passes through them shows hfx sends what the real ones need (audience, resource, JSON body, bearer).
import { request } from 'undici'
import { test as base, describe, expect } from 'vitest'
import { startHub, type Hub } from './emulator/index.js'
import { signJwt } from './emulator/jwt.js'
import { startActionsRuntime, type ActionsRuntime } from './helpers/actions-runtime.js'

const test = base.extend<{ hub: Hub; runtime: ActionsRuntime }>({
  hub: async ({}, use) => {
    const hub = await startHub()
    await use(hub)
    await hub.close()
  },
  runtime: async ({}, use) => {
    const runtime = await startActionsRuntime()
    await use(runtime)
    await runtime.close()
  },
})

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token'

async function call(url: string, opts: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {}) {
  const res = await request(url, { method: opts.method ?? 'GET', headers: opts.headers, body: opts.body })
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> }
}

function exchange(hub: Hub, fields: Record<string, unknown>, contentType = 'application/json') {
  const body = contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields as Record<string, string>).toString()
  return call(`${hub.url}/oauth/token`, { method: 'POST', headers: { 'content-type': contentType }, body })
}

describe('fake Actions runtime', () => {
  test('mints an id token for the audience asked, only for its own bearer', async ({ runtime }) => {
    const url = `${runtime.requestUrl}&audience=${encodeURIComponent('https://hub.example')}`
    expect((await call(url)).status).toBe(401)
    expect((await call(url, { headers: { authorization: 'Bearer hf_other' } })).status).toBe(401)
    const ok = await call(url, { headers: { authorization: `Bearer ${runtime.requestToken}` } })
    expect(ok.status).toBe(200)
    const claims = JSON.parse(Buffer.from((ok.json.value as string).split('.')[1]!, 'base64url').toString())
    expect(claims).toMatchObject({ iss: runtime.issuer, aud: 'https://hub.example', repository: 'acme/app' })
  })
})

describe('emulator /oauth/token', () => {
  test('exchanges only a runtime-signed id token for the right audience and resource; the token then reads gated repos', async ({ hub, runtime }) => {
    hub.addRepo('acme/gated', { 'a.txt': 'a' }, { gated: 'manual' })
    hub.addTrustedPublisher({ resource: 'alice', issuer: runtime.issuer, key: runtime.key, grant: { gated: ['acme/gated'] } })
    const now = Math.floor(Date.now() / 1000)
    const good = signJwt({ iss: runtime.issuer, aud: hub.url, exp: now + 60 }, runtime.key)
    const fields = { grant_type: GRANT, subject_token_type: ID_TOKEN, subject_token: good, resource: 'alice' }

    const refusals: [string, Record<string, unknown>, string?][] = [
      ['form body', fields, 'application/x-www-form-urlencoded'],
      ['wrong grant', { ...fields, grant_type: 'client_credentials' }],
      ['wrong token type', { ...fields, subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' }],
      ['other resource', { ...fields, resource: 'bob' }],
      ['other audience', { ...fields, subject_token: signJwt({ iss: runtime.issuer, aud: 'https://huggingface.co', exp: now + 60 }, runtime.key) }],
      ['other key', { ...fields, subject_token: signJwt({ iss: runtime.issuer, aud: hub.url, exp: now + 60 }, Buffer.alloc(32)) }],
      ['expired', { ...fields, subject_token: signJwt({ iss: runtime.issuer, aud: hub.url, exp: now - 1 }, runtime.key) }],
      ['not a JWT', { ...fields, subject_token: 'hf_plain' }],
    ]
    for (const [why, body, type] of refusals) {
      const res = await exchange(hub, body, type)
      expect(res.status, why).toBe(400)
      expect(res.json.error, why).toMatch(/^invalid_(request|grant)$/)
    }
    expect(hub.exchangedTokens).toEqual([])

    const ok = await exchange(hub, fields)
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ token_type: 'bearer', expires_in: 3600 })
    const token = ok.json.access_token as string
    expect(hub.exchangedTokens).toEqual([token])
    const file = await request(`${hub.url}/acme/gated/resolve/main/a.txt`, { headers: { authorization: `Bearer ${token}` } })
    expect(file.statusCode).toBe(200)
    await file.body.dump()
    const anonymous = await request(`${hub.url}/acme/gated/resolve/main/a.txt`)
    expect(anonymous.statusCode).toBe(401)
    await anonymous.body.dump()
  })
})
