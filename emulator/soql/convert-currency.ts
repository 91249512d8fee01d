// convertCurrency(field) in the SELECT list of a multi-currency org (SOQL and SOSL Reference, "convertCurrency()",
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_currency_fields.htm):
// the field's value converted "to the user's currency"; "this action requires that the org has multiple currencies
// enabled". The emulator's users have no currency of their own (User.DefaultCurrencyIsoCode is not modelled), so the
// user's currency is the corporate one. The same page refuses convertCurrency() in WHERE (where.ts) and on an
// aggregate's result; ORDER BY convertCurrency(…) does not parse. Error codes and wordings for these refusals are
// undocumented: MALFORMED_QUERY (errorcodes.htm's code for a query Salesforce cannot run), texts the emulator's own.
// Undocumented, as implemented: without an alias the column keeps the field's name (`Amount`); the value is
// rounded to the target currency's DecimalPlaces.
import type { FieldFunctionExpression } from '@jetstreamapp/soql-parser-js'

import { currencyOf, currencyRates, roundTo, toCorporate } from '../org/currencies.js'
import { SoqlError, unsupported } from './errors.js'
import { compileParentGetter, resolveField, type ResolveContext, type ResolvedField } from './fields.js'

export function isConvertCurrency(name: string): boolean {
  return name.toLowerCase() === 'convertcurrency'
}

export function compileConvertCurrency(
  f: FieldFunctionExpression,
  ctx: ResolveContext,
  selectAt: number,
): ResolvedField {
  const rates = currencyRates(ctx.ds)
  if (!rates) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      'convertCurrency() requires an org with multiple currencies enabled',
    )
  }
  const param = f.parameters[0]
  if (f.parameters.length !== 1) throw new SoqlError('MALFORMED_QUERY', 'convertCurrency() takes one field')
  if (typeof param !== 'string') {
    // "You can't convert the result of an aggregate function into the user's currency by calling the
    // convertCurrency() function" (same page).
    throw new SoqlError(
      'MALFORMED_QUERY',
      'convertCurrency() cannot convert the result of an aggregate function',
    )
  }
  const resolved = resolveField(param, ctx, selectAt)
  if (resolved.field.type !== 'currency') {
    throw new SoqlError(
      'INVALID_FIELD',
      `convertCurrency() needs a currency field: ${resolved.path} is not one`,
    )
  }
  const ownerOf = compileParentGetter(ctx.ds, resolved.hops)
  const key = f.alias ?? resolved.field.name
  if (resolved.hops.length > 0 && !f.alias)
    throw unsupported('convertCurrency() on a parent field without an alias')
  return {
    ...resolved,
    path: f.alias ?? resolved.path,
    outputKey: key,
    get: (rec) => {
      const value = resolved.get(rec)
      if (typeof value !== 'number') return null
      return roundTo(toCorporate(value, currencyOf(ownerOf(rec)), rates), rates.corporateDecimals)
    },
  }
}
