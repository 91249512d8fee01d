// A whole record as the sObject resource returns it (REST API "sObject Rows"): attributes {type, url}, then
// every field visible to the user, values in Salesforce's wire formats (the same writers the query engine uses).
import type { Org } from '../org/org.js'
import type { FieldDef, SfRecord } from '../org/model.js'
import { valueWriter } from '../soql/format-json.js'

/** `fields` narrows the output (sObject Rows `?fields=`, sObject Collections retrieve); default: every visible field. */
export function writeRecord(
  org: Org,
  objectName: string,
  record: SfRecord,
  version: string,
  fields: readonly FieldDef[] = org.records.visibleFields(objectName),
): string {
  let json = `{"attributes":{"type":${JSON.stringify(objectName)},"url":"/services/data/v${version}/sobjects/${objectName}/${String(record['Id'])}"}`
  for (const field of fields) {
    json += `,${JSON.stringify(field.name)}:${valueWriter(field)(record[field.name] ?? null)}`
  }
  return `${json}}`
}
