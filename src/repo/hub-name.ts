// Which hub a command talks to. One name for it everywhere (flags, references, settings, the session), and
// one rule deciding it: an ms:// reference or --hub modelscope means ModelScope, anything else the Hugging
// Face Hub (a mirror of it, HF_ENDPOINT, is still 'huggingface').
export type HubName = 'huggingface' | 'modelscope'

/** The reference's hub when it names one (ms://, or --hub as parseRepoRef applied it), else --hub, else Hugging Face. */
export function hubNameOf(flags: { hub?: HubName }, ref?: { hub?: HubName }): HubName {
  return ref?.hub ?? flags.hub ?? 'huggingface'
}
