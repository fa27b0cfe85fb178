#!/usr/bin/env bash
# Outputs for actions/cache: `key`, from the lock's content only (same lock, same key), and `paths`, the caches
# hfx fills: the Hugging Face one, found as huggingface_hub finds it, and ModelScope's beside it under HF_HOME.
set -euo pipefail
lock=${HFX_LOCKFILE:-hfx.lock}
hf_home=${HF_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/huggingface}
cache=${HFX_CACHE_DIR:-${HF_HUB_CACHE:-${HUGGINGFACE_HUB_CACHE:-$hf_home/hub}}}
# Absolute, so a later step with another working-directory finds the same folder (actions/cache expands `~`).
case $cache in /* | '~'*) ;; *) cache=$PWD/$cache ;; esac
# A folder given to the action is the cache of the rest of the job: the pull's, and transformers' or vLLM's.
if [ -n "${HFX_CACHE_DIR:-}" ]; then echo "HF_HUB_CACHE=$cache" >>"$GITHUB_ENV"; fi
key=$(hfx cache key --locked "$lock")
{
  echo "key=$key"
  echo "cache-dir=$cache"
  echo 'paths<<END_OF_PATHS'
  echo "$cache"
  echo "$hf_home/modelscope/hub"
  echo 'END_OF_PATHS'
} >>"$GITHUB_OUTPUT"
echo "hfx: cache key $key for $lock"
