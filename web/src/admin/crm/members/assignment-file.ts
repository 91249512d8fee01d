// What the admin's CSV import of assignments checks before sending a file: its size (the contract's limit, so
// the server never has to refuse it) and what the dry run's answer means for the page.
import {
  ASSIGNMENT_CSV_MAX_CHARS,
  ASSIGNMENT_CSV_MAX_ROWS,
} from '../../../../../contracts/api/members.api.js'

export const ASSIGNMENT_FILE_LIMITS = {
  bytes: ASSIGNMENT_CSV_MAX_CHARS,
  rows: ASSIGNMENT_CSV_MAX_ROWS,
  /** "2 MB", as the page states it. */
  label: `${ASSIGNMENT_CSV_MAX_CHARS / 1_000_000} MB`,
} as const

/** Why this file cannot be sent at all, or null. A file of at most the limit in bytes has no more characters. */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty.`
  if (file.size > ASSIGNMENT_FILE_LIMITS.bytes) {
    return `${file.name} is larger than ${ASSIGNMENT_FILE_LIMITS.label}. Split it into smaller files.`
  }
  return null
}

export interface ImportCounts {
  rows: number
  added: number
  unchanged: number
  errors: ReadonlyArray<{ line: number; message: string }>
}

/** One sentence for a dry run's or an import's counts. */
export function describeCounts(counts: ImportCounts, dryRun: boolean): string {
  const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`
  if (counts.errors.length > 0) {
    return `${plural(counts.errors.length, 'line')} of ${plural(counts.rows, 'row')} ${counts.errors.length === 1 ? 'has a problem' : 'have problems'}. Nothing was written.`
  }
  const added = dryRun
    ? `${plural(counts.added, 'assignment')} to add`
    : `${plural(counts.added, 'assignment')} added`
  return `${plural(counts.rows, 'row')}: ${added}, ${counts.unchanged.toLocaleString()} already assigned.`
}
