#!/usr/bin/env node
// `prepare` (run by `npm install` in a clone, and by `npm pack`): builds dist/ with TypeScript. TypeScript is
// a devDependency, so it is missing where npm installs no devDependencies, above all in `npm install -g .`
// run in a fresh clone (npm links the folder and installs nothing in it). Then this says what to run
// instead of sh's bare "tsc: not found".
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

let tsc
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
} catch {
  process.stderr.write(
    'hfx: cannot build: TypeScript is not installed in this folder.\n' +
      'Run `npm install` in it first (it installs the dependencies and builds hfx), then `npm install -g .` again.\n',
  )
  process.exit(1)
}
const run = spawnSync(process.execPath, [tsc, '-p', '.'], { stdio: 'inherit' })
process.exit(run.status ?? 1)
