#!/usr/bin/env node
// Thin shim: the CLI lives in the TypeScript build (`npm install` runs `prepare`, which builds dist/).
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('error: hfx is not built.\nhint: run `npm install` (or `npm run build`) in the hfx folder.\n')
    process.exit(1)
  }
  throw err
})
