// CSV import of assignments (issue 17 item 7), the parsing and checking half: a file of `email,opportunity_id`
// rows becomes the assignments to write, or every problem with its line number, so an import writes all rows or
// none. The header names its columns (any case, spaces or underscores: "Email", "Opportunity Id"); a byte-order
// mark, quoted fields and CRLF line ends are accepted (csv-parse: https://csv.js.org/parse/options/). Who and what
// exist is asked through `lookups`, so the same check serves a dry run and the real import.
import { parse } from 'csv-parse/sync'

import { ASSIGNMENT_CSV_MAX_ROWS as MAX_LINES } from '../../../contracts/api/members.api.js'
import { unescapeFormula } from './csv-cells.js'

export interface AssignmentLine {
  /** 1-based line in the file (the header is line 1). */
  line: number
  email: string
  opportunityId: string
}

export interface LineError {
  line: number
  message: string
}

export interface AssignmentLookups {
  /** The active workspace user with this email (any case), or undefined. */
  userIdByEmail(email: string): string | undefined
  /** The stored Id of this opportunity (15- or 18-character form), or undefined when it is not in the org. */
  opportunityId(id: string): string | undefined
}

export interface CheckedImport {
  assignments: Array<{ line: number; userId: string; opportunityId: string }>
  errors: LineError[]
}

// Salesforce Ids: 15 case-sensitive characters, or 18 with a case-safe suffix; Opportunity's prefix is 006.
const OPPORTUNITY_ID = /^006[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const normalise = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '')

/** Reads the file into lines; a file that is not CSV or lacks a column is one error on line 1. */
export function parseAssignmentCsv(text: string): { lines: AssignmentLine[]; errors: LineError[] } {
  let records: string[][]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true })
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : 1
    return { lines: [], errors: [{ line, message: `Not readable as CSV: ${(err as Error).message}` }] }
  }
  const [header, ...body] = records
  const names = (header ?? []).map(normalise)
  const emailAt = names.findIndex((name) => name === 'email' || name === 'useremail')
  const idAt = names.findIndex((name) => name === 'opportunityid' || name === 'id')
  if (emailAt < 0 || idAt < 0) {
    return {
      lines: [],
      errors: [{ line: 1, message: 'The first line must name the columns: email,opportunity_id' }],
    }
  }
  if (body.length > MAX_LINES) {
    return { lines: [], errors: [{ line: 1, message: `At most ${MAX_LINES} rows per file` }] }
  }
  return {
    lines: body.map((cells, index) => ({
      line: index + 2,
      email: unescapeFormula(cells[emailAt] ?? ''),
      opportunityId: unescapeFormula(cells[idAt] ?? ''),
    })),
    errors: [],
  }
}

/** Every line checked: its shape, duplicates, the user and the opportunity. Nothing is written here. */
export function checkAssignments(text: string, lookups: AssignmentLookups): CheckedImport {
  const parsed = parseAssignmentCsv(text)
  if (parsed.errors.length > 0) return { assignments: [], errors: parsed.errors }
  if (parsed.lines.length === 0)
    return { assignments: [], errors: [{ line: 2, message: 'The file has no rows' }] }
  const errors: LineError[] = []
  const assignments: CheckedImport['assignments'] = []
  const seen = new Map<string, number>()
  for (const { line, email, opportunityId } of parsed.lines) {
    const problems: string[] = []
    if (!EMAIL.test(email))
      problems.push(email === '' ? 'email is empty' : `"${email}" is not an email address`)
    if (!OPPORTUNITY_ID.test(opportunityId)) {
      problems.push(
        opportunityId === '' ? 'opportunity_id is empty' : `"${opportunityId}" is not an Opportunity Id`,
      )
    }
    const userId = problems.length === 0 ? lookups.userIdByEmail(email) : undefined
    const storedId = problems.length === 0 ? lookups.opportunityId(opportunityId) : undefined
    if (problems.length === 0 && !userId) problems.push(`no active user has the email ${email}`)
    if (problems.length === 0 && !storedId) problems.push(`no opportunity ${opportunityId} in the synced org`)
    if (userId && storedId) {
      const key = `${userId}|${storedId}`
      const first = seen.get(key)
      if (first !== undefined) problems.push(`the same assignment as line ${first}`)
      else seen.set(key, line)
    }
    if (problems.length > 0) errors.push({ line, message: problems.join('; ') })
    else if (userId && storedId) assignments.push({ line, userId, opportunityId: storedId })
  }
  return errors.length > 0 ? { assignments: [], errors } : { assignments, errors: [] }
}
