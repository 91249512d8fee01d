// A whole record as the sObject resource returns it (REST API "sObject Rows"): attributes {type, url}, then
// every field visible to the user, values in Salesforce's wire formats (the same writers the query engine uses).
import type { Org } from '../org/org.js'
import type { SfRecord } from '../org/model.js'
import { valueWriter } from '../soql/format-json.js'

export function writeRecord(org: Org, objectName: string, record: SfRecord, version: string): string {
  let json = `{"attributes":{"type":${JSON.stringify(objectName)},"url":"/services/data/v${version}/sobjects/${objectName}/${String(record['Id'])}"}`
  for (const field of org.records.visibleFields(objectName)) {
    json += `,${JSON.stringify(field.name)}:${valueWriter(field)(record[field.name] ?? null)}`
  }
  return `${json}}`
}
