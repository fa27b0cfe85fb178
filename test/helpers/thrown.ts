/** What `fn` throws, or undefined when it returns: for tests that look at an error's fields, not only its message. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}
