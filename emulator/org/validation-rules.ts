// Validation rules an operator or test defines through the control API (POST /__emulator/validation-rules),
// formula-free: a field, one comparison and the rule's error message. As in Salesforce, a rule whose condition is
// true for the record as it would be saved blocks the save ("Validation rules verify that the data a user enters
// in a record meets the standards you specify before the user can save the record",
// https://help.salesforce.com/s/articleView?id=platform.fields_about_field_validation.htm&type=5), and the API
// answers 400 [{"message": <the rule's message>, "errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "fields": [<the
// error location field>]}]; a rule shown at the top of the page has no fields (status codes:
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm, StatusCode list:
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm).
// API: evaluateRules(rules, objectName, record, today) → the first failing rule's error, or undefined.
import type { SfRecord, SfValue } from './model.js'

export const RULE_OPERATORS = [
  'equals',
  'notEquals',
  'lessThan',
  'greaterThan',
  'isBlank',
  'isNotBlank',
] as const
export type RuleOperator = (typeof RULE_OPERATORS)[number]

export interface ValidationRule {
  id: number
  object: string
  /** The field the condition reads. */
  field: string
  operator: RuleOperator
  /** Compared with the field's stored value; the string `TODAY` means the emulated clock's date (for date fields). */
  value?: string | number | boolean | null | undefined
  /** The rule's error message, sent as is. */
  message: string
  /** The error location: a field name (default: `field`), or null for the top of the page (no `fields`). */
  errorField?: string | null | undefined
  active: boolean
}

function compare(operator: RuleOperator, actual: SfValue | undefined, expected: SfValue): boolean {
  const blank = actual === null || actual === undefined || actual === ''
  switch (operator) {
    case 'isBlank':
      return blank
    case 'isNotBlank':
      return !blank
    case 'equals':
      return actual === expected
    case 'notEquals':
      return actual !== expected
    case 'lessThan':
      return !blank && expected !== null && (actual as number | string) < expected
    case 'greaterThan':
      return !blank && expected !== null && (actual as number | string) > expected
  }
}

export function evaluateRules(
  rules: readonly ValidationRule[],
  objectName: string,
  record: SfRecord,
  today: string,
): { errorCode: string; message: string; fields?: string[] } | undefined {
  for (const rule of rules) {
    if (!rule.active || rule.object.toLowerCase() !== objectName.toLowerCase()) continue
    const expected = rule.value === 'TODAY' ? today : (rule.value ?? null)
    if (!compare(rule.operator, record[rule.field], expected)) continue
    const location = rule.errorField === undefined ? rule.field : rule.errorField
    return {
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: rule.message,
      ...(location ? { fields: [location] } : {}),
    }
  }
  return undefined
}
