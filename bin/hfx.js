#!/usr/bin/env node
// Thin shim: the CLI lives in the TypeScript build (`npm install` runs `prepare`, which builds dist/).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = new URL('../dist/cli.js', import.meta.url)
import(dist.href).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    // Either dist/ was never built, or it was and a dependency is missing (`npm install -g .` links a clone
    // without installing anything in it): the fix is the same, but the message should say which.
    const folder = fileURLToPath(new URL('..', import.meta.url))
    const what = existsSync(dist) ? "hfx's dependencies are not installed" : 'hfx is not built'
    process.stderr.write(`error: ${what} (${folder}).\nhint: run \`npm install\` in that folder.\n`)
    process.exit(1)
  }
  throw err
})
