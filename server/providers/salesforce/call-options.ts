// Every REST call names the module as its client in the Sforce-Call-Options header
// (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_calloptions.htm). Salesforce
// puts that client id into the changeOrigin of the change events a write causes
// (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm:
// "com/salesforce/api/rest/<version>;client=<id>"), which is how the change stream tells the module's own
// write-backs from changes made by others.
export const CLIENT_ID = 'crm-module'

/** The request's headers with `client=` added to Sforce-Call-Options (kept if the call already named one). */
export function withClientId(headers: Record<string, string>): Record<string, string> {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'sforce-call-options')
  const current = name ? (headers[name] ?? '') : ''
  if (/(?:^|,)\s*client=/.test(current)) return headers
  const rest = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name))
  return {
    ...rest,
    'Sforce-Call-Options': current ? `${current},client=${CLIENT_ID}` : `client=${CLIENT_ID}`,
  }
}
