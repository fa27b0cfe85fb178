import { describe, expect, test } from 'vitest'
import { settingsFrom } from '../../src/settings.js'

const HOME = '/home/u'

describe('settingsFrom', () => {
  test('defaults match huggingface_hub', () => {
    const s = settingsFrom({}, {}, HOME)
    expect(s).toMatchObject({
      endpoint: 'https://huggingface.co',
      hfHome: '/home/u/.cache/huggingface',
      cacheDir: '/home/u/.cache/huggingface/hub',
      tokenPath: '/home/u/.cache/huggingface/token',
      offline: false,
      downloadTimeoutMs: 10_000,
      metadataTimeoutMs: 10_000,
      progressBars: true,
    })
    expect(s.token).toBeUndefined()
  })

  test.each([
    [{ XDG_CACHE_HOME: '/x' }, {}, '/x/huggingface/hub'],
    [{ HF_HOME: '/h' }, {}, '/h/hub'],
    [{ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy' }, {}, '/legacy'],
    [{ HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/legacy', HF_HUB_CACHE: '/new' }, {}, '/new'],
    [{ HF_HUB_CACHE: '/new' }, { cacheDir: '/flag' }, '/flag'],
  ])('cache dir from %j %j is %s', (env, flags, expected) => {
    expect(settingsFrom(env, flags, HOME).cacheDir).toBe(expected)
  })

  test('token precedence: --token, HF_TOKEN, HUGGING_FACE_HUB_TOKEN; the file path from HF_TOKEN_PATH', () => {
    const env = { HF_TOKEN: 'a', HUGGING_FACE_HUB_TOKEN: 'b', HF_TOKEN_PATH: '/t' }
    expect(settingsFrom(env, { token: 'f' }, HOME).token).toEqual({ value: 'f', source: '--token' })
    expect(settingsFrom(env, {}, HOME).token).toEqual({ value: 'a', source: 'HF_TOKEN' })
    expect(settingsFrom({ HUGGING_FACE_HUB_TOKEN: 'b' }, {}, HOME).token).toEqual({ value: 'b', source: 'HUGGING_FACE_HUB_TOKEN' })
    expect(settingsFrom(env, {}, HOME).tokenPath).toBe('/t')
  })

  test.each(['1', 'ON', 'yes', 'True'])('HF_HUB_OFFLINE=%s is offline', (v) => {
    expect(settingsFrom({ HF_HUB_OFFLINE: v }, {}, HOME).offline).toBe(true)
  })

  test.each(['0', 'off', ''])('HF_HUB_OFFLINE=%j is online', (v) => {
    expect(settingsFrom({ HF_HUB_OFFLINE: v }, {}, HOME).offline).toBe(false)
  })

  test('endpoint: flag over HF_ENDPOINT, trailing slash stripped, non-URLs refused', () => {
    expect(settingsFrom({ HF_ENDPOINT: 'https://hf-mirror.com/' }, {}, HOME).endpoint).toBe('https://hf-mirror.com')
    expect(settingsFrom({ HF_ENDPOINT: 'https://a' }, { endpoint: 'http://b:8080' }, HOME).endpoint).toBe('http://b:8080')
    expect(() => settingsFrom({ HF_ENDPOINT: 'huggingface.co' }, {}, HOME)).toThrow(/HF_ENDPOINT 'huggingface.co' is not a URL/)
    expect(() => settingsFrom({}, { endpoint: 'ftp://x' }, HOME)).toThrow(/must be an http\(s\) URL/)
  })

  test('timeouts in seconds; nonsense refused', () => {
    expect(settingsFrom({ HF_HUB_DOWNLOAD_TIMEOUT: '2.5', HF_HUB_ETAG_TIMEOUT: '1' }, {}, HOME)).toMatchObject({ downloadTimeoutMs: 2500, metadataTimeoutMs: 1000 })
    expect(() => settingsFrom({ HF_HUB_DOWNLOAD_TIMEOUT: 'soon' }, {}, HOME)).toThrow(/HF_HUB_DOWNLOAD_TIMEOUT=soon/)
    expect(settingsFrom({}, {}, HOME).hashThreads).toBeUndefined()
    expect(settingsFrom({ HFX_HASH_THREADS: '0' }, {}, HOME).hashThreads).toBe(0)
    expect(settingsFrom({ HFX_HASH_THREADS: '3' }, {}, HOME).hashThreads).toBe(3)
    expect(() => settingsFrom({ HFX_HASH_THREADS: '-1' }, {}, HOME)).toThrow(/HFX_HASH_THREADS=-1 is not a whole number/)
    expect(() => settingsFrom({ HFX_HASH_THREADS: 'many' }, {}, HOME)).toThrow(/HFX_HASH_THREADS=many/)
  })

  test('HF_HUB_DISABLE_PROGRESS_BARS', () => {
    expect(settingsFrom({ HF_HUB_DISABLE_PROGRESS_BARS: '1' }, {}, HOME).progressBars).toBe(false)
  })
})

describe('settingsFrom for ModelScope', () => {
  test('its own endpoint, token and cache beside the Hugging Face one', () => {
    const env = { HF_HOME: '/h', HF_TOKEN: 'hf_x', HF_ENDPOINT: 'https://hf-mirror.com' }
    expect(settingsFrom(env, {}, HOME, 'modelscope')).toMatchObject({
      endpoint: 'https://www.modelscope.cn',
      cacheDir: '/h/modelscope/hub',
      token: undefined,
      tokenPath: '',
    })
    const ms = settingsFrom({ ...env, MODELSCOPE_DOMAIN: 'modelscope.example', MODELSCOPE_API_TOKEN: 'ms_t' }, {}, HOME, 'modelscope')
    expect(ms).toMatchObject({ endpoint: 'https://modelscope.example', token: { value: 'ms_t', source: 'MODELSCOPE_API_TOKEN' } })
    expect(settingsFrom({ MODELSCOPE_DOMAIN: 'http://127.0.0.1:9' }, { cacheDir: '/c' }, HOME, 'modelscope')).toMatchObject({ endpoint: 'http://127.0.0.1:9', cacheDir: '/c' })
  })
})
