// Python snippets the interop tests run in a peer environment (helpers/peers.ts). Each takes its inputs from
// sys.argv and ends by printing one JSON line (lastJson reads it); an exception exits 1 with a traceback.

/** argv: repo id, then optional JSON keyword arguments (revision, local_files_only, …). */
export const SNAPSHOT_DOWNLOAD = `
import json, sys
from huggingface_hub import snapshot_download
kwargs = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
print(json.dumps({"path": snapshot_download(sys.argv[1], **kwargs)}))
`

/** argv: cache dir. Every repo with its revisions (commit, refs, files) and every warning, as strings. */
export const SCAN_CACHE = `
import json, sys
from huggingface_hub import scan_cache_dir
info = scan_cache_dir(sys.argv[1])
repos = []
for r in info.repos:
    revisions = [
        {
            "commit": v.commit_hash,
            "refs": sorted(v.refs),
            "files": sorted(f.file_path.relative_to(v.snapshot_path).as_posix() for f in v.files),
        }
        for v in r.revisions
    ]
    repos.append({"id": r.repo_id, "type": r.repo_type, "revisions": sorted(revisions, key=lambda v: v["commit"])})
print(json.dumps({"warnings": [str(w) for w in info.warnings], "repos": sorted(repos, key=lambda r: r["id"])}))
`

/**
 * argv: repo id, revision. What a transformers user does offline: config and tokenizer by repo id and
 * revision, and the weights through the cache's own lookup (refs/<rev> → snapshot → blob).
 */
export const TRANSFORMERS_LOAD = `
import json, sys
from huggingface_hub import hf_hub_download
from safetensors.numpy import load_file
from transformers import AutoConfig, AutoTokenizer
repo, revision = sys.argv[1], sys.argv[2]
config = AutoConfig.from_pretrained(repo, revision=revision, local_files_only=True)
tokenizer = AutoTokenizer.from_pretrained(repo, revision=revision, local_files_only=True)
weights = load_file(hf_hub_download(repo, "model.safetensors", revision=revision, local_files_only=True))
print(json.dumps({
    "model_type": config.model_type,
    "hidden_size": config.hidden_size,
    "ids": tokenizer("hello world again")["input_ids"],
    "tensors": {name: [str(t.dtype), list(t.shape)] for name, t in sorted(weights.items())},
}))
`

/**
 * argv: lock path. Takes the lock huggingface_hub takes around a blob's download (filelock, flock on Unix),
 * prints "locked", holds it until a line arrives on stdin, then releases it and prints "released".
 */
export const HOLD_LOCK = `
import os, sys
from filelock import FileLock
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
lock = FileLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
print("released", flush=True)
`
