// The command that resumes an interrupted pull, printed as a hint: the same arguments, quoted for a POSIX
// shell so that globs like --include '*.json' survive being pasted back, and without the token, which must
// never appear in a terminal or CI log. A password in a URL argument (`--endpoint https://user:pass@mirror`)
// is masked rather than the argument dropped: without --endpoint the command would quietly pull from
// huggingface.co instead, while `user:***@` fails at the mirror's door and says what to put back.
import { maskCredentials } from '../repo/mask-credentials.js'

const TOKEN_FLAG = '--token'

/** POSIX single-quoting, only where needed. */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

export function resumeCommand(args: string[]): { command: string; droppedToken: boolean; maskedPassword: boolean } {
  const kept: string[] = []
  let droppedToken = false
  let maskedPassword = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === TOKEN_FLAG) {
      droppedToken = true
      i++
      continue
    }
    if (a.startsWith(`${TOKEN_FLAG}=`)) {
      droppedToken = true
      continue
    }
    const masked = maskCredentials(a)
    maskedPassword ||= masked !== a
    kept.push(masked)
  }
  return { command: ['hfx', ...kept.map(shellQuote)].join(' '), droppedToken, maskedPassword }
}
