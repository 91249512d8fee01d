// Describe traits derived from a field's type, shared by describe and the SOQL engine so both say the same.
import type { FieldDef } from './model.js'

/**
 * Whether GROUP BY accepts the field (describe's `groupable`). Considerations for GROUP BY
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_group_by_considerations.htm):
 * some field types do not support grouping and formula fields cannot be grouped; the types that can are listed in
 * the GraphQL API's "Group Aggregate Results" (https://developer.salesforce.com/docs/platform/graphql/guide/aggregate-groupby.html):
 * boolean, date, int, string, id (picklists, emails, phones, urls and references are string- or id-valued), not
 * double, currency, percent, datetime or long text.
 */
export function isGroupable(field: FieldDef): boolean {
  if (field.calculated) return false
  return !['currency', 'double', 'percent', 'datetime', 'textarea'].includes(field.type)
}
