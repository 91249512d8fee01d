// Errors the SOQL engine raises, carrying Salesforce's errorCode, HTTP status and message text.
// Source for codes and message shapes: Salesforce REST API Developer Guide, "Status Codes and Error Responses"
// (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm). Texts marked UNCONFIRMED were not seen
// in a primary source.

export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'INVALID_QUERY_LOCATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE'

export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode
  readonly statusCode: number

  constructor(errorCode: SoqlErrorCode, message: string, statusCode = 400) {
    super(message)
    this.name = 'SoqlError'
    this.errorCode = errorCode
    this.statusCode = statusCode
  }
}

export interface SourcePosition {
  /** 1-based row and column, as in Salesforce's "ERROR at Row:1:Column:8". */
  row: number
  column: number
}

/**
 * Salesforce prefixes SOQL errors with the offending line, a caret under the position and
 * "ERROR at Row:r:Column:c" (example in errorcodes.htm for INVALID_FIELD:
 * "\nSELECT Bacon__c FROM Account LIMIT 2\n       ^\nERROR at Row:1:Column:8\nNo such column ...").
 * Without a known position the bare message is returned, which Salesforce also does for some errors.
 */
export function withPosition(soql: string, position: SourcePosition | undefined, message: string): string {
  if (!position) return message
  const line = soql.split(/\r?\n/)[position.row - 1] ?? soql
  return `\n${line}\n${' '.repeat(position.column - 1)}^\nERROR at Row:${position.row}:Column:${position.column}\n${message}`
}

/**
 * Finds where `word` (an identifier or dotted path, case-insensitive, whole word, outside string literals) first
 * occurs at or after character `from`. Used to point the caret like Salesforce does; undefined when not found.
 */
export function locate(soql: string, word: string, from = 0): SourcePosition | undefined {
  const target = word.toLowerCase()
  const lower = soql.toLowerCase()
  let inString = false
  for (let i = 0; i < soql.length; i++) {
    const ch = soql[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === "'") inString = false
      continue
    }
    if (ch === "'") {
      inString = true
      continue
    }
    if (i < from || !lower.startsWith(target, i)) continue
    if (isWordChar(soql[i - 1]) || isWordChar(soql[i + target.length])) continue
    return positionOf(soql, i)
  }
  return undefined
}

/** Index of a keyword such as FROM / WHERE / ORDER outside string literals, or -1. */
export function keywordIndex(soql: string, keyword: string): number {
  const pos = locate(soql, keyword)
  if (!pos) return -1
  const lines = soql.split(/\r?\n/)
  let index = 0
  for (let r = 0; r < pos.row - 1; r++) index += (lines[r]?.length ?? 0) + 1
  return index + pos.column - 1
}

function positionOf(soql: string, index: number): SourcePosition {
  let row = 1
  let lineStart = 0
  for (let i = 0; i < index; i++) {
    if (soql[i] === '\n') {
      row++
      lineStart = i + 1
    }
  }
  return { row, column: index - lineStart + 1 }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_.]/.test(ch)
}

// --- Message texts -------------------------------------------------------------------------------------------

/** INVALID_TYPE text, verbatim from errorcodes.htm. */
export function invalidTypeMessage(objectName: string): string {
  return (
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to ` +
    `append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  )
}

/** INVALID_FIELD text for an unknown column, verbatim from errorcodes.htm. */
export function noSuchColumnMessage(field: string, objectName: string): string {
  return (
    `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to ` +
    `append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
  )
}

/** INVALID_FIELD text for an unknown relationship in a field path. Wording UNCONFIRMED (widely quoted, not in errorcodes.htm). */
export function unknownRelationshipMessage(relationship: string): string {
  return (
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom ` +
    `relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or ` +
    `the describe call for the appropriate names.`
  )
}

/**
 * For valid SOQL the emulator does not implement. Salesforce has no code for "emulator limitation"; MALFORMED_QUERY
 * is the closest documented one, and the text says plainly what is unsupported so nobody mistakes it for real data.
 */
export function unsupported(feature: string): SoqlError {
  return new SoqlError('MALFORMED_QUERY', `${feature} is not supported by the Salesforce emulator`)
}
