// action.yml and the README's workflows checked against GitHub's own schemas for actions and workflows, by
// @action-validator/core (the schemas compiled into WebAssembly), so a typo in a key fails here, not in a user's CI.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ValidationState, validateAction, validateWorkflow } from '@action-validator/core'
import { describe, expect, test } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8')

/** Every ```yaml block of the README; its first line is a comment naming the file it is (`# .gitlab-ci.yml`). */
const yamlBlocks = [...README.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '')
const named = (file: RegExp) => yamlBlocks.filter((b) => file.test(b.split('\n')[0] ?? ''))

/** The errors, one line each, with the nested alternatives a oneOf tried: readable in a failed expect. */
function problems(state: ValidationState): string[] {
  const lines = (errors: ValidationState['errors'], indent: string): string[] =>
    errors.flatMap((e) => [
      `${indent}${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`,
      ...('states' in e && e.states ? e.states.flatMap((s) => lines(s.errors, `${indent}  `)) : []),
    ])
  return lines(state.errors, '')
}

describe('GitHub Actions YAML', () => {
  test('action.yml is a valid action', () => {
    expect(problems(validateAction(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')))).toEqual([])
  })

  test('the validator is not a yes-man: an unknown key in a step is an error', () => {
    const action = readFileSync(path.join(ROOT, 'action.yml'), 'utf8').replace('      shell: bash', '      shel: bash')
    expect(validateAction(action).errors).not.toEqual([])
  })

  test('every README workflow is a valid workflow', () => {
    const workflows = named(/^# \.github\/workflows\/[\w-]+\.ya?ml$/)
    expect(workflows.length).toBeGreaterThanOrEqual(2)
    for (const w of workflows) expect(problems(validateWorkflow(w)), w).toEqual([])
  })

  test("every README yaml block names its file, and those that aren't GitHub's are GitLab's", () => {
    expect(yamlBlocks.length).toBe(named(/^# (\.github\/workflows\/[\w-]+\.ya?ml|\.gitlab-ci\.yml)$/).length)
    expect(named(/^# \.gitlab-ci\.yml$/).length).toBeGreaterThanOrEqual(1)
  })
})
