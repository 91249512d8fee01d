import type { z } from 'zod'

import { AppError } from '../errors.js'

/** Parses input with a zod schema; on failure, a 400 naming each failing field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'params' | 'query' | 'body',
): z.infer<S> {
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}))
  if (result.success) return result.data
  const fields: Record<string, string> = {}
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[[...issue.path, key].join('.')] = 'Unknown field.'
      continue
    }
    const path = issue.path.length > 0 ? issue.path.join('.') : where
    fields[path] ??= issue.message
  }
  const names = Object.keys(fields).join(', ')
  throw new AppError(
    'VALIDATION_FAILED',
    `Some ${where === 'body' ? 'fields are' : `${where} are`} not valid: ${names}.`,
    fields,
  )
}
