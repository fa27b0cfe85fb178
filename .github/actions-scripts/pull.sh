#!/usr/bin/env bash
# Pull what the lock pins (no request when the restored cache has it all), then, unless told not to, switch the
# rest of the job offline: transformers, vLLM and huggingface_hub then load these snapshots without asking the Hub.
set -euo pipefail
lock=${HFX_LOCKFILE:-hfx.lock}
if [ -n "${HFX_OIDC_RESOURCE:-}" ]; then export HF_OIDC_RESOURCE=$HFX_OIDC_RESOURCE; fi
hfx pull --locked "$lock"
if [ "${HFX_OFFLINE_AFTER:-true}" = true ]; then echo 'HF_HUB_OFFLINE=1' >>"$GITHUB_ENV"; fi
