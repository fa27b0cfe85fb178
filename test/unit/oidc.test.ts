// Keyless auth's pure parts: which token source wins (huggingface_hub's get_token order), the id-token URL,
// the exchange body, and how answers and refusals are read.
import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../../src/errors.js'
import { accessTokenFrom, exchangeBody, idTokenFrom, idTokenRequestUrl, refusalDetail, renewAfterMs } from '../../src/hub/oidc-answers.js'
import { settingsFrom } from '../../src/settings.js'

const HOME = '/home/u'
const RUNTIME = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://rt.example/idtoken?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt' }

describe('which token source wins', () => {
  test('HF_OIDC_RESOURCE comes before HF_TOKEN and the token file', () => {
    const s = settingsFrom({ HF_OIDC_RESOURCE: 'alice', HF_TOKEN: 'hf_env', ...RUNTIME }, {}, HOME)
    expect(s.token).toBeUndefined()
    expect(s.tokenFile).toBeUndefined()
    expect(s.oidc).toEqual({ resource: 'alice', idToken: undefined, github: { requestUrl: RUNTIME.ACTIONS_ID_TOKEN_REQUEST_URL, requestToken: 'rt' } })
  })

  test('--token comes before HF_OIDC_RESOURCE', () => {
    const s = settingsFrom({ HF_OIDC_RESOURCE: 'alice', ...RUNTIME }, { token: 'hf_flag' }, HOME)
    expect(s.token).toEqual({ value: 'hf_flag', source: '--token' })
    expect(s.oidc).toBeUndefined()
  })

  test('HF_HUB_DISABLE_IMPLICIT_TOKEN turns the exchange off too', () => {
    const s = settingsFrom({ HF_OIDC_RESOURCE: 'alice', HF_HUB_DISABLE_IMPLICIT_TOKEN: '1', ...RUNTIME }, {}, HOME)
    expect(s.oidc).toBeUndefined()
    expect(s.token).toBeUndefined()
  })

  test('an empty HF_OIDC_RESOURCE is unset', () => {
    const s = settingsFrom({ HF_OIDC_RESOURCE: '', HF_TOKEN: 'hf_env' }, {}, HOME)
    expect(s.oidc).toBeUndefined()
    expect(s.token?.value).toBe('hf_env')
  })

  test('outside GitHub Actions there is no runtime; HF_OIDC_ID_TOKEN is read as given', () => {
    expect(settingsFrom({ HF_OIDC_RESOURCE: 'alice', ACTIONS_ID_TOKEN_REQUEST_URL: 'x', HF_OIDC_ID_TOKEN: 'jwt' }, {}, HOME).oidc).toEqual({
      resource: 'alice',
      idToken: 'jwt',
      github: undefined,
    })
  })

  test('a job without id-token: write has GITHUB_ACTIONS but not the runtime variables', () => {
    expect(settingsFrom({ HF_OIDC_RESOURCE: 'alice', GITHUB_ACTIONS: 'true' }, {}, HOME).oidc?.github).toEqual({ requestUrl: undefined, requestToken: undefined })
  })

  test('ModelScope never exchanges', () => {
    expect(settingsFrom({ HF_OIDC_RESOURCE: 'alice', ...RUNTIME }, {}, HOME, 'modelscope').oidc).toBeUndefined()
  })
})

describe('the requests', () => {
  test('the audience is added to the query GitHub gives', () => {
    const url = new URL(idTokenRequestUrl('https://rt.example/idtoken?api-version=2.0', 'https://huggingface.co')!)
    expect(url.searchParams.get('api-version')).toBe('2.0')
    expect(url.searchParams.get('audience')).toBe('https://huggingface.co')
    expect(idTokenRequestUrl('not a url', 'https://huggingface.co')).toBeUndefined()
  })

  test('the exchange body is the RFC 8693 grant, in JSON as the Hub documents it', () => {
    expect(JSON.parse(exchangeBody('jwt', 'datasets/acme/d'))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: 'jwt',
      resource: 'datasets/acme/d',
    })
  })
})

describe('the answers', () => {
  test('a token is taken only when it can go into a header', () => {
    expect(idTokenFrom('{"count": 3, "value": "a.b.c"}')).toBe('a.b.c')
    expect(accessTokenFrom('{"access_token": "hf_x", "expires_in": 3600}', 'https://hub')).toEqual({ value: 'hf_x', expiresInS: 3600 })
    expect(accessTokenFrom('{"access_token": "hf_x", "expires_in": "soon"}', 'https://hub')).toEqual({ value: 'hf_x', expiresInS: undefined })
    for (const raw of ['', 'not json', '[]', '{}', '{"value": 1}', '{"value": ""}', '{"value": "a b"}', '{"value": "a\\nb"}']) {
      expect(() => idTokenFrom(raw), raw).toThrow(ProtocolError)
      expect(() => accessTokenFrom(raw.replace('value', 'access_token'), 'https://hub'), raw).toThrow(ProtocolError)
    }
  })

  test('the token is renewed five minutes before it expires, or halfway through a shorter life', () => {
    expect(renewAfterMs(3600)).toBe(3300_000)
    expect(renewAfterMs(400)).toBe(200_000)
    expect(renewAfterMs(4)).toBe(2000)
    expect(renewAfterMs(1e12)).toBe(2 ** 31 - 1)
  })

  test("a refusal says the OAuth error and its description, else the Hub's X-Error-Message", () => {
    expect(refusalDetail('{"error": "invalid_grant", "error_description": "claims do not match"}', undefined, [])).toBe('invalid_grant: claims do not match')
    expect(refusalDetail('{"error": "invalid_request"}', undefined, [])).toBe('invalid_request')
    expect(refusalDetail('<html>', 'Not allowed', [])).toBe('Not allowed')
    expect(refusalDetail('{"message": "Bad credentials"}', undefined, [])).toBe('Bad credentials')
    expect(refusalDetail('', undefined, [])).toBeUndefined()
  })

  test('a refusal that echoes a secret does not get it printed, and a long one is cut', () => {
    expect(refusalDetail('{"error_description": "bad token eyJ.secret.sig here"}', undefined, ['eyJ.secret.sig'])).toBe('bad token [redacted] here')
    expect(refusalDetail(JSON.stringify({ error_description: 'x'.repeat(1000) }), undefined, [])!.length).toBeLessThan(310)
  })
})
