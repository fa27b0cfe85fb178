// Errors that cross from a receive thread to the main thread (receive-pool.ts). postMessage's structured clone
// keeps an Error's message and stack but drops its class and its own fields (`code`, `hint`, `exitCode`,
// `status`, `location`…), which are exactly what the chunk loop (next-step.ts), the retry table
// (retry/policy.ts reads `code` down the `cause` chain) and the CLI's printer read. So they are sent as data,
// and rebuilt as the same class with the same fields. Pure: no thread, no I/O.
import * as errors from '../errors.js'
import { RangeIgnoredError } from '../hub/range-answer.js'
import { ShortBodyError } from './body-writer.js'
import { ExpiredUrlError, RedirectedError } from './range-request.js'

type Field = string | number | boolean | null | undefined

export interface WireError {
  /** The class's name: an hfx error class is rebuilt as itself; any other keeps the name on a plain Error. */
  name: string
  message: string
  stack?: string
  /** The error's own fields that are plain values (code, hint, exitCode, status, errno, syscall, path…). */
  fields: Record<string, Field>
  cause?: WireError
}

/** The hfx error classes a receive thread may throw, by name: every class errors.ts exports, and the pull's own. */
type ErrorClass = new (...args: never[]) => Error
const isErrorClass = (v: unknown): v is ErrorClass => typeof v === 'function' && v.prototype instanceof Error
const CLASSES: ReadonlyMap<string, ErrorClass> = new Map(
  ([...Object.values(errors), RangeIgnoredError, ExpiredUrlError, RedirectedError, ShortBodyError] as unknown[]).filter(isErrorClass).map((c) => [c.name, c]),
)

/** Causes deeper than this are dropped: retry/policy.ts looks no further either. */
const MAX_DEPTH = 5

export function toWire(err: unknown, depth = 0): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} }
  const fields: Record<string, Field> = {}
  for (const [k, v] of Object.entries(err)) {
    if (k === 'cause') continue
    if (v === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof v)) fields[k] = v as Field
  }
  const wire: WireError = { name: err.name, message: err.message, stack: err.stack, fields }
  if (err.cause !== undefined && depth < MAX_DEPTH) wire.cause = toWire(err.cause, depth + 1)
  return wire
}

/**
 * The error again. An hfx class is made without running its constructor (which would build the message from
 * its arguments again): Reflect.construct gives a real Error whose prototype is the class's, so `instanceof`
 * holds, and the fields as sent make it whole (readonly class fields are own properties, sent with the rest).
 */
export function fromWire(wire: WireError): Error {
  const cause = wire.cause && fromWire(wire.cause)
  const cls = CLASSES.get(wire.name)
  const err: Error = cls ? Reflect.construct(Error, [wire.message, cause && { cause }], cls) : new Error(wire.message, cause && { cause })
  Object.assign(err, wire.fields)
  if (!cls && err.name !== wire.name) err.name = wire.name
  if (wire.stack !== undefined) err.stack = wire.stack
  return err
}
