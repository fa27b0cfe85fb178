// GitLab CI's collapsible log sections. Pure. The runner's log viewer folds everything between a start and an
// end marker of the same name; a name may hold only [a-zA-Z0-9_.-], so a repo id is mapped into that set.
// The header is shown as the folded line: it must be escapeControls'd by the caller (no ESC, CR or LF).

const CLEAR = '\x1b[0K'

export function sectionName(text: string): string {
  return text.replace(/[^a-zA-Z0-9_.-]/g, '_')
}

/** `unixSeconds`: GitLab shows the time between start and end as the section's duration. */
export function sectionStart(name: string, unixSeconds: number, header: string): string {
  return `${CLEAR}section_start:${unixSeconds}:${sectionName(name)}[collapsed=true]\r${CLEAR}${header}`
}

export function sectionEnd(name: string, unixSeconds: number): string {
  return `${CLEAR}section_end:${unixSeconds}:${sectionName(name)}\r${CLEAR}`
}
