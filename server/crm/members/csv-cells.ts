// CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula,
// so cells the module writes get a leading apostrophe, which spreadsheets show as text
// (https://owasp.org/www-community/attacks/CSV_Injection). Reading a file back takes the apostrophe off again,
// so an exported file imports as it was.
const FORMULA_START = /^[=+\-@\t\r]/

export function escapeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell
}

export function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}
