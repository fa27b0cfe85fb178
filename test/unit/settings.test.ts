import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { debugStacks, envFlag, settingsFrom } from '../../src/settings.js'

const HOME = '/home/u'

describe('settingsFrom', () => {
  test('defaults match huggingface_hub', () => {
    const s = settingsFrom({}, {}, HOME)
    expect(s).toMatchObject({
      endpoint: 'https://huggingface.co',
      hfHome: '/home/u/.cache/huggingface',
      cacheDir: '/home/u/.cache/huggingface/hub',
      tokenFile: '/home/u/.cache/huggingface/token',
      offline: false,
      downloadTimeoutMs: 10_000,
      metadataTimeoutMs: 10_000,
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

  test('token precedence: --token, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then the file at HF_TOKEN_PATH', () => {
    const env = { HF_TOKEN: 'a', HUGGING_FACE_HUB_TOKEN: 'b', HF_TOKEN_PATH: '/t' }
    expect(settingsFrom(env, { token: 'f' }, HOME).token).toEqual({ value: 'f', source: '--token' })
    expect(settingsFrom(env, {}, HOME).token).toEqual({ value: 'a', source: 'HF_TOKEN' })
    expect(settingsFrom({ HUGGING_FACE_HUB_TOKEN: 'b' }, {}, HOME).token).toEqual({ value: 'b', source: 'HUGGING_FACE_HUB_TOKEN' })
    expect(settingsFrom(env, {}, HOME).tokenFile).toBeUndefined() // a token was given: the file is not read
    expect(settingsFrom({ HF_TOKEN_PATH: '/t' }, {}, HOME).token).toBeUndefined()
    expect(settingsFrom({ HF_TOKEN_PATH: '/t' }, {}, HOME).tokenFile).toBe('/t')
  })

  // utils/_auth.py: _clean_token(os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")) or the file.
  test.each<[Record<string, string>, { value: string; source: string } | undefined]>([
    [{ HF_TOKEN: '', HUGGING_FACE_HUB_TOKEN: 'b' }, { value: 'b', source: 'HUGGING_FACE_HUB_TOKEN' }],
    [{ HF_TOKEN: '' }, undefined],
    [{ HF_TOKEN: '  ', HUGGING_FACE_HUB_TOKEN: 'b' }, undefined], // set, so the legacy name is not read; cleans to nothing
    [{ HF_TOKEN: '\n' }, undefined],
    [{ HF_TOKEN: ' hf_a\r\nb \n' }, { value: 'hf_ab', source: 'HF_TOKEN' }],
  ])('token from %j is %j, else the token file', (env, token) => {
    const s = settingsFrom({ ...env, HF_TOKEN_PATH: '/t' }, {}, HOME)
    expect(s.token).toEqual(token)
    expect(s.tokenFile).toBe(token ? undefined : '/t')
  })

  test('HF_HUB_DISABLE_IMPLICIT_TOKEN: only --token is sent; HF_TOKEN and the token file are implicit', () => {
    const env = { HF_HUB_DISABLE_IMPLICIT_TOKEN: '1', HF_TOKEN: 'a', HF_TOKEN_PATH: '/t' }
    for (const s of [settingsFrom(env, {}, HOME), settingsFrom({ HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' }, {}, HOME)]) {
      expect(s.token).toBeUndefined()
      expect(s.tokenFile).toBeUndefined()
    }
    expect(settingsFrom(env, { token: 'f' }, HOME).token).toEqual({ value: 'f', source: '--token' })
    expect(settingsFrom({ ...env, HF_HUB_DISABLE_IMPLICIT_TOKEN: '0' }, {}, HOME).token).toEqual({ value: 'a', source: 'HF_TOKEN' })
  })

  test.each<[Record<string, string>, Record<string, string>]>([
    [{ HF_HOME: '~/hf' }, { hfHome: '/home/u/hf', cacheDir: '/home/u/hf/hub', tokenFile: '/home/u/hf/token' }],
    [{ HF_HOME: '$SCRATCH/hf', SCRATCH: '/s' }, { hfHome: '/s/hf', cacheDir: '/s/hf/hub' }],
    [{ XDG_CACHE_HOME: '~/c' }, { hfHome: '/home/u/c/huggingface', cacheDir: '/home/u/c/huggingface/hub' }],
    [{ XDG_CACHE_HOME: '${XDG}/c', XDG: '/x' }, { cacheDir: '/x/c/huggingface/hub' }],
    [{ HF_HUB_CACHE: '$HOME/x', HOME: '/home/v' }, { cacheDir: '/home/v/x' }],
    [{ HF_HUB_CACHE: '~/x' }, { cacheDir: '/home/u/x' }],
    [{ HUGGINGFACE_HUB_CACHE: '~/legacy' }, { cacheDir: '/home/u/legacy' }],
    [{ HF_TOKEN_PATH: '~/.hf-token' }, { tokenFile: '/home/u/.hf-token' }],
    [{ HF_TOKEN_PATH: '${T}/tok', T: '/run/secrets' }, { tokenFile: '/run/secrets/tok' }],
    [{ HF_HUB_CACHE: '$UNSET/x' }, { cacheDir: path.resolve('$UNSET/x') }], // left as written, like Python
  ])('paths from %j expand ~ and $VAR as constants.py does', (env, expected) => {
    expect(settingsFrom(env, {}, HOME)).toMatchObject(expected)
  })

  test('--cache-dir expands ~ only (Path.expanduser in huggingface_hub 2.0), not variables', () => {
    expect(settingsFrom({}, { cacheDir: '~/flag' }, HOME).cacheDir).toBe('/home/u/flag')
    expect(settingsFrom({ X: '/x' }, { cacheDir: '/a/$X' }, HOME).cacheDir).toBe('/a/$X')
  })

  test.each(['1', 'ON', 'yes', 'True'])('HF_HUB_OFFLINE=%s is offline', (v) => {
    expect(settingsFrom({ HF_HUB_OFFLINE: v }, {}, HOME).offline).toBe(true)
  })

  test.each(['0', 'off', ''])('HF_HUB_OFFLINE=%j is online', (v) => {
    expect(settingsFrom({ HF_HUB_OFFLINE: v }, {}, HOME).offline).toBe(false)
  })

  // constants.py: _is_true(os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE"))
  test.each<[Record<string, string>, string | undefined]>([
    [{ TRANSFORMERS_OFFLINE: '1' }, 'TRANSFORMERS_OFFLINE'],
    [{ TRANSFORMERS_OFFLINE: 'yes', HF_HUB_OFFLINE: '' }, 'TRANSFORMERS_OFFLINE'],
    [{ TRANSFORMERS_OFFLINE: '1', HF_HUB_OFFLINE: '0' }, undefined],
    [{ TRANSFORMERS_OFFLINE: '0', HF_HUB_OFFLINE: '1' }, 'HF_HUB_OFFLINE'],
    [{ TRANSFORMERS_OFFLINE: '1', HF_HUB_OFFLINE: '1' }, 'HF_HUB_OFFLINE'],
    [{ TRANSFORMERS_OFFLINE: '0' }, undefined],
  ])('%j is offline by %s', (env, by) => {
    const s = settingsFrom(env, {}, HOME)
    expect(s.offline).toBe(by !== undefined)
    expect(s.offlineVar).toBe(by)
  })

  test('endpoint: flag over HF_ENDPOINT, trailing slash stripped, non-URLs refused', () => {
    expect(settingsFrom({ HF_ENDPOINT: 'https://hf-mirror.com/' }, {}, HOME).endpoint).toBe('https://hf-mirror.com')
    expect(settingsFrom({ HF_ENDPOINT: 'https://a' }, { endpoint: 'http://b:8080' }, HOME).endpoint).toBe('http://b:8080')
    expect(() => settingsFrom({ HF_ENDPOINT: 'huggingface.co' }, {}, HOME)).toThrow(/HF_ENDPOINT 'huggingface.co' is not a URL/)
    expect(() => settingsFrom({}, { endpoint: 'ftp://x' }, HOME)).toThrow(/must be an http\(s\) URL/)
  })

  test('endpoint: user:password@ is kept for the HTTP client, never shown in an error', () => {
    expect(settingsFrom({ HF_ENDPOINT: 'https://user:s3cret@mirror.example/' }, {}, HOME).endpoint).toBe('https://user:s3cret@mirror.example')
    const message = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    expect(message(() => settingsFrom({}, { endpoint: 'ftp://user:s3cret@x' }, HOME))).toBe('--endpoint must be an http(s) URL.')
    expect(message(() => settingsFrom({ HF_ENDPOINT: 'https://user:s3cret@x/?key=k' }, {}, HOME))).toBe("HF_ENDPOINT 'https://user:***@x/' must not have a query string or #fragment.")
    expect(message(() => settingsFrom({ HF_ENDPOINT: 'user:s3cret@x y' }, {}, HOME))).toBe('HF_ENDPOINT must be an http(s) URL.')
    expect(message(() => settingsFrom({ HF_ENDPOINT: '//user:s3cret@x' }, {}, HOME))).toBe('HF_ENDPOINT is not a URL.')
    expect(message(() => settingsFrom({ HF_ENDPOINT: 'https://x/#top' }, {}, HOME))).toMatch(/must not have a query string or #fragment/)
  })

  test('timeouts in seconds; nonsense refused', () => {
    expect(settingsFrom({ HF_HUB_DOWNLOAD_TIMEOUT: '2.5', HF_HUB_ETAG_TIMEOUT: '1' }, {}, HOME)).toMatchObject({ downloadTimeoutMs: 2500, metadataTimeoutMs: 1000 })
    expect(() => settingsFrom({ HF_HUB_DOWNLOAD_TIMEOUT: 'soon' }, {}, HOME)).toThrow(/HF_HUB_DOWNLOAD_TIMEOUT=soon/)
    expect(settingsFrom({}, {}, HOME).hashThreads).toBeUndefined()
    expect(settingsFrom({ HFX_HASH_THREADS: '0' }, {}, HOME).hashThreads).toBe(0)
    expect(settingsFrom({ HFX_HASH_THREADS: '3' }, {}, HOME).hashThreads).toBe(3)
    expect(settingsFrom({ HFX_RECEIVE_THREADS: '0' }, {}, HOME).receiveThreads).toBe(0)
    expect(settingsFrom({ HFX_RECEIVE_THREADS: '2' }, {}, HOME).receiveThreads).toBe(2)
    expect(settingsFrom({}, {}, HOME).receiveThreads).toBeUndefined()
    expect(() => settingsFrom({ HFX_RECEIVE_THREADS: 'all' }, {}, HOME)).toThrow(/HFX_RECEIVE_THREADS=all/)
    expect(() => settingsFrom({ HFX_HASH_THREADS: '-1' }, {}, HOME)).toThrow(/HFX_HASH_THREADS=-1 is not a whole number/)
    expect(() => settingsFrom({ HFX_HASH_THREADS: 'many' }, {}, HOME)).toThrow(/HFX_HASH_THREADS=many/)
    expect(settingsFrom({}, {}, HOME).lockPatienceMs).toBeUndefined()
    expect(settingsFrom({ HFX_LOCK_WAIT: '0' }, {}, HOME).lockPatienceMs).toBe(0)
    expect(settingsFrom({ HFX_LOCK_WAIT: '90' }, {}, HOME).lockPatienceMs).toBe(90_000)
    expect(() => settingsFrom({ HFX_LOCK_WAIT: '-1' }, {}, HOME)).toThrow(/HFX_LOCK_WAIT=-1 is not a number of seconds/)
  })

  test('HFX_MIN_SPEED and HFX_MIN_SPEED_TIME: the download speed floor', () => {
    expect(settingsFrom({}, {}, HOME).downloadFloor).toEqual({ bytesPerSec: 256, windowMs: 60_000 })
    expect(settingsFrom({ HFX_MIN_SPEED: '1000', HFX_MIN_SPEED_TIME: '30' }, {}, HOME).downloadFloor).toEqual({ bytesPerSec: 1000, windowMs: 30_000 })
    expect(settingsFrom({ HFX_MIN_SPEED: '0' }, {}, HOME).downloadFloor).toBeUndefined()
    expect(() => settingsFrom({ HFX_MIN_SPEED: 'fast' }, {}, HOME)).toThrow(/HFX_MIN_SPEED=fast/)
    expect(() => settingsFrom({ HFX_MIN_SPEED_TIME: '0' }, {}, HOME)).toThrow(/HFX_MIN_SPEED_TIME=0 is not a positive number of seconds/)
  })

  test('HFX_MIRRORS: comma-separated URLs, checked as an endpoint is; empty is none', () => {
    expect(settingsFrom({ HFX_MIRRORS: 'http://a.test/, https://u:p@b.test/hf ,' }, {}, HOME).mirrors).toEqual(['http://a.test', 'https://u:p@b.test/hf'])
    expect(settingsFrom({ HFX_MIRRORS: ' , ' }, {}, HOME).mirrors).toBeUndefined()
    expect(settingsFrom({}, {}, HOME).mirrors).toBeUndefined()
    expect(settingsFrom({ HFX_MIRRORS: 'http://a.test' }, {}, HOME, 'modelscope').mirrors).toBeUndefined()
    expect(() => settingsFrom({ HFX_MIRRORS: 'ftp://x.test' }, {}, HOME)).toThrow(/^HFX_MIRRORS 'ftp:\/\/x.test' must be an http\(s\) URL/)
  })

  test('HFX_LIMIT_RATE: the bandwidth cap, in the spellings --limit-rate takes; 0 or empty is no cap', () => {
    expect(settingsFrom({}, {}, HOME).limitRate).toBeUndefined()
    expect(settingsFrom({ HFX_LIMIT_RATE: '50M' }, {}, HOME).limitRate).toBe(50 * 1024 * 1024)
    expect(settingsFrom({ HFX_LIMIT_RATE: '0' }, {}, HOME).limitRate).toBeUndefined()
    expect(settingsFrom({ HFX_LIMIT_RATE: ' ' }, {}, HOME).limitRate).toBeUndefined()
    expect(() => settingsFrom({ HFX_LIMIT_RATE: 'fast' }, {}, HOME)).toThrow(/^HFX_LIMIT_RATE=fast: expected bytes per second such as 50M/)
  })

  test('HFX_DEBUG: any value prints the cause, unset or empty does not', () => {
    expect(debugStacks({ HFX_DEBUG: '1' })).toBe(true)
    expect(debugStacks({ HFX_DEBUG: '' })).toBe(false)
    expect(debugStacks({})).toBe(false)
  })

  test('envFlag: huggingface_hub\'s true spellings, any case, spaces trimmed; anything else is false', () => {
    for (const v of ['1', 'on', 'YES', ' True ']) expect(envFlag(v)).toBe(true)
    for (const v of [undefined, '', '0', 'false', 'no', 'y', '2']) expect(envFlag(v)).toBe(false)
  })
})

describe('settingsFrom for ModelScope', () => {
  test('its own endpoint, token and cache beside the Hugging Face one', () => {
    const env = { HF_HOME: '/h', HF_TOKEN: 'hf_x', HF_ENDPOINT: 'https://hf-mirror.com' }
    expect(settingsFrom(env, {}, HOME, 'modelscope')).toMatchObject({
      endpoint: 'https://www.modelscope.cn',
      cacheDir: '/h/modelscope/hub',
      token: undefined,
      tokenFile: undefined,
    })
    const ms = settingsFrom({ ...env, MODELSCOPE_DOMAIN: 'modelscope.example', MODELSCOPE_API_TOKEN: 'ms_t' }, {}, HOME, 'modelscope')
    expect(ms).toMatchObject({ endpoint: 'https://modelscope.example', token: { value: 'ms_t', source: 'MODELSCOPE_API_TOKEN' } })
    expect(settingsFrom({ MODELSCOPE_DOMAIN: 'http://127.0.0.1:9' }, { cacheDir: '/c' }, HOME, 'modelscope')).toMatchObject({ endpoint: 'http://127.0.0.1:9', cacheDir: '/c' })
  })

  test('MODELSCOPE_ENDPOINT (what the modelscope library reads now) is read too, and wins over MODELSCOPE_DOMAIN', () => {
    expect(settingsFrom({ MODELSCOPE_ENDPOINT: 'https://www.modelscope.ai' }, {}, HOME, 'modelscope').endpoint).toBe('https://www.modelscope.ai')
    expect(settingsFrom({ MODELSCOPE_ENDPOINT: 'ms.example', MODELSCOPE_DOMAIN: 'other.example' }, {}, HOME, 'modelscope').endpoint).toBe('https://ms.example')
    expect(settingsFrom({ MODELSCOPE_ENDPOINT: ' ', MODELSCOPE_DOMAIN: 'other.example' }, {}, HOME, 'modelscope').endpoint).toBe('https://other.example')
    expect(settingsFrom({ MODELSCOPE_ENDPOINT: 'x.example' }, { endpoint: 'http://127.0.0.1:9' }, HOME, 'modelscope').endpoint).toBe('http://127.0.0.1:9')
  })
})
