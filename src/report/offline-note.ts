// The line that marks an answer read from the cache under HF_HUB_OFFLINE (`hfx ls`, `hfx info`): a snapshot
// holds only what was pulled, so nobody should take it for the Hub's own listing.
export function offlineNote(offlineVar: string, commit: string): string {
  return `offline: from the cache, commit ${commit} (${offlineVar} is set; only the files pulled are shown)`
}
