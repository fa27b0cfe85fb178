import { describe, expect, test } from 'vitest'
import { undiciOnlyBecause } from '../../src/hub/lean-route.js'

describe('undiciOnlyBecause: which file requests the lean reader may take', () => {
  test.for<[string, string, Record<string, string>, string | undefined]>([
    ['plain https', 'https://cdn.example/x', {}, undefined],
    ['plain http', 'http://127.0.0.1:8080/x', {}, undefined],
    ['turned off', 'https://cdn.example/x', { HFX_LEAN_READER: '0' }, 'HFX_LEAN_READER=0'],
    ['HFX_LEAN_READER=1 changes nothing', 'https://cdn.example/x', { HFX_LEAN_READER: '1' }, undefined],
    ['another scheme', 'ftp://cdn.example/x', {}, 'the scheme ftp:'],
    ['HTTPS_PROXY for https', 'https://cdn.example/x', { HTTPS_PROXY: 'http://proxy:3128' }, 'a proxy is configured'],
    ['https_proxy for https', 'https://cdn.example/x', { https_proxy: 'http://proxy:3128' }, 'a proxy is configured'],
    ['HTTP_PROXY covers https too, as in undici', 'https://cdn.example/x', { HTTP_PROXY: 'http://proxy:3128' }, 'a proxy is configured'],
    ['http_proxy for http', 'http://cdn.example/x', { http_proxy: 'http://proxy:3128' }, 'a proxy is configured'],
    ['HTTPS_PROXY does not cover http', 'http://cdn.example/x', { HTTPS_PROXY: 'http://proxy:3128' }, undefined],
    ['an empty proxy variable is none', 'https://cdn.example/x', { HTTPS_PROXY: '' }, undefined],
    ['NO_PROXY is not consulted: still undici', 'https://cdn.example/x', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'cdn.example' }, 'a proxy is configured'],
  ])('%s', ([, url, env, why]) => {
    expect(undiciOnlyBecause(url, env)).toBe(why)
  })
})
