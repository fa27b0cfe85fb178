#!/usr/bin/env bash
# The action's hfx is the action's own checkout: a clean install builds dist/ (the `prepare` script). npm ci
# links no bin for the package itself, so an `hfx` link to bin/hfx.js goes in a folder put on PATH for the rest
# of the job: later steps can run `hfx` too.
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
npm ci --no-audit --no-fund
bin=${RUNNER_TEMP:-$(mktemp -d)}/hfx-bin
mkdir -p "$bin"
ln -sf "$GITHUB_ACTION_PATH/bin/hfx.js" "$bin/hfx"
echo "$bin" >>"$GITHUB_PATH"
