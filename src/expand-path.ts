// huggingface_hub reads HF_HOME, HF_HUB_CACHE and HF_TOKEN_PATH through os.path.expandvars(os.path.expanduser(…)),
// so `HF_HOME=~/hf` or `HF_HUB_CACHE=$SCRATCH/hub` name the same folder for both tools. These are Python's
// POSIX rules, reproduced exactly: taking a value literally would create a folder named `~` (which invites
// `rm -rf ~` to clean it up). Pure: the environment and the home folder come in as values.

type Env = Record<string, string | undefined>

/**
 * os.path.expanduser: a leading `~` alone or followed by `/` becomes `home` (its trailing slashes dropped, `/`
 * if nothing is left). `~name` would need the password database; hfx leaves it as written, which is what
 * Python does for a user it cannot find. A `~` anywhere else is an ordinary character.
 */
export function expandUser(p: string, home: string): string {
  if (p !== '~' && !p.startsWith('~/')) return p
  return home.replace(/\/+$/, '') + p.slice(1) || '/'
}

// Python's posixpath._varprog: `$name` (ASCII word characters) or `${anything but a brace}`.
const VARIABLE = /\$(\w+|\{[^}]*\})/g

/**
 * os.path.expandvars: `$NAME` and `${NAME}` become the variable's value, an empty one included; a variable that is
 * not set stays as written, and a value is never expanded again.
 */
export function expandVars(p: string, env: Env): string {
  return p.replace(VARIABLE, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name
    return Object.hasOwn(env, key) && env[key] !== undefined ? env[key] : whole
  })
}

/** What huggingface_hub's constants.py does to each path variable: `~` first, then variables. */
export function expandPath(p: string, env: Env, home: string): string {
  return expandVars(expandUser(p, home), env)
}
