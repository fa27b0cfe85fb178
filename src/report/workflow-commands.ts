// GitHub Actions workflow commands (`::group::`, `::error file=…::`), built from values. Pure. The runner acts
// on a line that starts with `::` (leading spaces ignored) and, in its older syntax, on `##[command]` anywhere
// in a line: a file path or error text from a hostile server must never become one of those. So a command's
// data is escaped as the runner unescapes it, its properties also lose `:` and `,`, and every other line a
// pull prints in Actions goes through defuseLine first.

/** The data after `::`: the runner turns %25, %0D and %0A back into `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property value (`file=`, `title=`): `:` would end the properties and `,` start another one. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function workflowCommand(name: string, props: Record<string, string | undefined>, data: string): string {
  const list = Object.entries(props)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',')
  return `::${name}${list ? ` ${list}` : ''}::${escapeData(data)}`
}

/**
 * Text with the older `##[command]` form made inert: `##[` is shown as `#\x23[`, as escapeControls shows a
 * control character, so the reader still sees the text and the runner sees no command. For a command's data
 * and properties too: the runner tries that form on any line its `::` syntax does not parse.
 */
export function defuseLegacy(text: string): string {
  return text.replace(/##\[/g, '#\\x23[')
}

/**
 * A plain line made inert: a leading `::` is shown as `\x3a:`, and `##[` as above. The line has been through
 * escapeControls already: it holds no CR or LF that would start a new line.
 */
export function defuseLine(line: string): string {
  return defuseLegacy(line.replace(/^(\s*)::/, '$1\\x3a:'))
}
