// `hfx info`'s flags and help; what it does is in info-run.ts. All logic lives in src/summary/.
import { InvalidArgumentError, type Command } from 'commander'
import { gpuByName, parseContext, parseFitArg } from '../summary/fit-budget.js'
import type { InfoFlags } from './info-run.js'
import { addRepoOptions } from './repo-options.js'

function countArg(max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`)
    return n
  }
}

export function infoCommand(program: Command): void {
  const cmd = program
    .command('info')
    .description('what a repo holds (architecture, parameters, precision, KV cache, memory, files) without downloading weights')
    .argument('<repo>', 'org/name[@rev], datasets/org/name, hf://… or a huggingface.co URL')
  addRepoOptions(cmd)
    .option('--json', 'everything, machine-readable, with bytesRead')
    .option('--fit [size]', 'does it fit GPUs with this much memory each (80GiB, 24GB: GB = 10^9, GiB = 2^30)? alone or "auto": the local GPUs, from nvidia-smi', parseFitArg)
    .option('--gpu <name>', 'a fit on this GPU, from a table of marketed sizes (H100, H100-NVL, H200, B200, A100-80GB, A100-40GB, L40S, L4, A10G, RTX-4090, RTX-3090)', gpuByName)
    .option('--gpus <n>', 'GPUs for a fit (default 1, or as many as nvidia-smi lists)', countArg(1024))
    .option('--context <tokens>', "context for a fit: 8192, 32k, 128K (k = 1,024); default the model's maximum", parseContext)
    .option('--batch <n>', 'sequences at that context at once, for a fit (default 1)', countArg(1_000_000))
    .addHelpText(
      'after',
      `
Reads config.json, the model card and the weights' own headers (safetensors, GGUF) with small Range
requests: a few kB per file, never the weights. The KV cache per token and at 4K/32K/128K/max context
comes from config.json, by each attention family's rule (GQA, MLA, sliding windows, Mamba state).

--fit says whether weights + KV cache (16-bit) fit, the smallest tensor-parallel degree, the largest
context, and the vLLM / SGLang / llama.cpp flags for it. Overhead assumed per GPU: 10% left free (vLLM's
gpu_memory_utilization 0.9), then 1 GiB for the CUDA context, workspaces and activations.

Examples:
  hfx info deepseek-ai/DeepSeek-V3
  hfx info meta-llama/Llama-3.1-8B-Instruct --json
  hfx info deepseek-ai/DeepSeek-V3 --fit 80GiB --gpus 8 --context 32k
  hfx info Qwen/Qwen2.5-7B-Instruct --gpu L4
  hfx info meta-llama/Llama-3.1-8B-Instruct --fit          (the local GPUs, via nvidia-smi)
  hfx info datasets/HuggingFaceFW/fineweb`,
    )
    .action(async (repo: string, _opts: InfoFlags, self: Command) => {
      // Loaded when info runs: its header parsers (@huggingface/hub, @huggingface/gguf) and the Hub session.
      const { runInfo } = await import('./info-run.js')
      await runInfo(repo, self)
    })
}
