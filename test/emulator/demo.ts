// A long-running emulator with a few repos shaped like real ones, for trying hfx by hand and for the
// README's sample output:  npx vite-node test/emulator/demo.ts  then  HF_ENDPOINT=<printed url> hfx ls …
import { bytes } from '../helpers/files.js'
import { startHub } from './index.js'

const MiB = 1024 * 1024
const hub = await startHub()
hub.addRepo('acme/tiny-llama', {
  '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
  'README.md': '---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# tiny-llama\n',
  'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 256, num_hidden_layers: 4 }, null, 2),
  'generation_config.json': '{"do_sample": true}\n',
  'model-00001-of-00002.safetensors': bytes(1, 24 * MiB),
  'model-00002-of-00002.safetensors': bytes(2, 9 * MiB),
  'model.safetensors.index.json': '{"metadata": {"total_size": 34603008}, "weight_map": {}}\n',
  'original/consolidated.00.pth': bytes(3, 33 * MiB),
  'original/params.json': '{"dim": 256}\n',
  'tokenizer.json': bytes(4, 2 * MiB),
  'tokenizer_config.json': '{"model_max_length": 8192}\n',
})
process.stdout.write(`${hub.url}\n`)
process.on('SIGINT', () => hub.close().then(() => process.exit(0)))
process.on('SIGTERM', () => hub.close().then(() => process.exit(0)))
