// Repo names, tags, card fields, config strings, GGUF metadata, file paths and error headers all come from
// the server, and hfx prints them. Raw, an ESC/CSI/OSC sequence in one could retitle the terminal, rewrite
// lines already printed (a fake "complete" over an error), plant an OSC 8 link or an OSC 52 clipboard write;
// a bidi override reorders what is shown (`exe.txt` that is really `txt.exe`). Every text printer passes
// server strings through here, which shows each such character as an escape (`\x1b`, `\u202e`), so a user
// sees that something is off instead of the effect. Pure. --json output keeps values exact: JSON.stringify
// escapes C0 controls itself, and jsonText escapes what it leaves raw (DEL, C1, bidi) the JSON way.

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

/** What JSON.stringify leaves raw: DEL, C1 and bidi formatting characters (C0 it escapes itself). */
const RAW_IN_JSON = /[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

/**
 * JSON.stringify, with DEL, C1 and bidi characters written as `\u009b`-style escapes: the text parses to the
 * same values, and a terminal showing it sees no control sequence. Outside strings JSON text is ASCII, so
 * only string contents change.
 */
export function jsonText(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
