// The "See more details in CRM system" link.
//
// Salesforce serves Lightning Experience from the My Domain's `lightning.force.com` host: the My Domain
// login/API host `<name>.my.salesforce.com` becomes `<name>.lightning.force.com`, and the same holds for the
// suffixed forms of enhanced domains (`acme--dev.sandbox.my.salesforce.com` →
// `acme--dev.sandbox.lightning.force.com`, likewise `.develop.`, `.scratch.`, `.demo.`, `.trailblaze.`).
// Source: Salesforce Help, "My Domain URL Formats" (help.salesforce.com, articleView?id=sf.domain_name_url_formats.htm)
// and the Lightning record URL `/lightning/r/<Object>/<Id>/view` from "Lightning Experience URL Formats".
// Any other host (Government Cloud, a proxy, the local emulator at http://127.0.0.1:PORT) gets
// `<instance_url>/<Id>`, the Salesforce Classic record URL, which Salesforce redirects to Lightning for users who
// use it and which the emulator serves.
const MY_DOMAIN_HOST =
  /^([a-z0-9-]+(?:\.(?:sandbox|develop|scratch|demo|trailblaze|patch))?)\.my\.salesforce\.com$/i

export function salesforceRecordUrl(instanceUrl: string | null, recordId: string): string | null {
  if (!instanceUrl) return null
  let url: URL
  try {
    url = new URL(instanceUrl)
  } catch {
    return null
  }
  const myDomain = url.protocol === 'https:' ? MY_DOMAIN_HOST.exec(url.hostname) : null
  if (myDomain) {
    return `https://${myDomain[1]!.toLowerCase()}.lightning.force.com/lightning/r/Opportunity/${recordId}/view`
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${recordId}`
}
