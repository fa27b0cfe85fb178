// Repo names, tags, card fields, config strings, GGUF metadata, file paths and error headers all come from
// the server, and hfx prints them. Raw, an ESC/CSI/OSC sequence in one could retitle the terminal, rewrite
// lines already printed (a fake "complete" over an error), plant an OSC 8 link or an OSC 52 clipboard write;
// a bidi override reorders what is shown (`exe.txt` that is really `txt.exe`). Every text printer passes
// server strings through here, which shows each such character as an escape (`\x1b`, `\u202e`), so a user
// sees that something is off instead of the effect. Pure. --json needs none of it: JSON.stringify escapes
// C0 controls itself, and JSON values stay exactly what the server sent.

/** C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), and the bidi embeddings, overrides and isolates. */
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeOne(c: string): string {
  const code = c.charCodeAt(0)
  return SHORT[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
}

/** `text` with every control and bidi formatting character shown as a visible escape; anything else unchanged. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeOne)
}
