// Passwords in URLs never reach the terminal or a log: every message and echoed argument goes through here.
// Below both repo-ref.ts (which echoes what the user typed) and hub-urls.ts (which redacts the URLs it built).

/** `scheme://userinfo@`: userinfo may not hold a raw `/ ? # @` (RFC 3986), so it ends at the first `@`. */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)@/gi

/**
 * `text` with the password of every URL in it masked: `https://user:***@mirror`, or `https://***@mirror`
 * when the userinfo is a single secret. The user name stays, so a message still says which account was used.
 */
export function maskCredentials(text: string): string {
  return text.replace(USERINFO, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':')
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`
  })
}
