import { isApiError } from '../api/client.js'

/**
 * Merges the form's own checks with the server's answer into per-field errors and one summary line.
 * The server's message is kept when it says more than "fix the fields" (a duplicate email, a spent link).
 */
export function formErrors(
  error: unknown,
  clientErrors: Record<string, string>,
): { fields: Record<string, string>; message: string | null } {
  const serverFields = isApiError(error) ? error.fields : {}
  const fields = { ...serverFields, ...clientErrors }
  if (Object.keys(clientErrors).length > 0 || isApiError(error, 'VALIDATION_FAILED')) {
    return { fields, message: 'Check the highlighted fields.' }
  }
  return { fields, message: error instanceof Error ? error.message : null }
}
