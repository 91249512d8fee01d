// SOAP API login() on the partner endpoint, POST /services/Soap/u/{version}. jsforce falls back to it when
// `login()` is called without an OAuth client secret (https://github.com/jsforce/jsforce/blob/main/src/connection.ts).
// Response: the partner WSDL's LoginResult (SOAP API Developer Guide "LoginResult",
// https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login_loginresult.htm);
// bad credentials: HTTP 500 fault `INVALID_LOGIN: Invalid username, password, security token; or user locked out.`
// (the same connection.ts parses it). Salesforce retires login() in API 65.0 and disables it by default in orgs created
// Winter '26 or later (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_login.htm);
// the fault sent then is UNCONFIRMED (we use INVALID_OPERATION).
import type { FastifyInstance, FastifyReply } from 'fastify'

import type { Org } from '../org/org.js'
import { baseUrl } from '../http/base-url.js'
import { parseVersion } from '../http/versions.js'

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`)
const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)
  return match?.[1] === undefined ? undefined : unescapeXml(match[1])
}

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  )
}

function sendFault(reply: FastifyReply, code: string, message: string): FastifyReply {
  return reply
    .code(500)
    .header('content-type', 'text/xml;charset=UTF-8')
    .send(
      envelope(
        `<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
          `<detail><sf:LoginFault xmlns:sf="urn:fault.partner.soap.sforce.com" xsi:type="sf:LoginFault">` +
          `<sf:exceptionCode>${code}</sf:exceptionCode><sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage>` +
          `</sf:LoginFault></detail></soapenv:Fault>`,
      ),
    )
}

export function registerSoapLoginRoutes(app: FastifyInstance, org: Org): void {
  for (const type of ['text/xml', 'application/soap+xml']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, String(body)))
  }

  app.post('/services/Soap/u/:version', async (request, reply) => {
    const parsed = parseVersion((request.params as { version: string }).version)
    const xml = typeof request.body === 'string' ? request.body : ''
    // Retired and unknown versions: SOAP API answers 500 UNSUPPORTED_API_VERSION (API End-of-Life Policy,
    // https://developer.salesforce.com/docs/platform/api-metadata/guide/meta-api-eol.html).
    if (parsed.kind !== 'supported')
      return sendFault(reply, 'UNSUPPORTED_API_VERSION', `Invalid Api version specified on URL`)
    const version = parsed.version
    if (!/<(?:\w+:)?login[\s>]/.test(xml))
      return sendFault(reply, 'INVALID_OPERATION', 'Only login() is emulated on the SOAP API')
    if (!org.auth.soapLoginEnabled || Number(version) >= 65)
      return sendFault(reply, 'INVALID_OPERATION', 'SOAP API login() is disabled in this org')
    const user = org.auth.findUserByUsername(element(xml, 'username') ?? '')
    const password = element(xml, 'password') ?? ''
    if (!user || !user.isActive || password !== user.password + user.securityToken) {
      return sendFault(
        reply,
        'INVALID_LOGIN',
        'Invalid username, password, security token; or user locked out.',
      )
    }
    const session = org.auth.openSession(user.id, '', null)
    const base = baseUrl(request)
    const org15 = org.id.slice(0, 15)
    const record = org.records.findById('User', user.id)
    // GetUserInfoResult, element order as the partner WSDL lists them (SOAP API Developer Guide,
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_getuserinfo_getuserinforesult.htm);
    // sessionSecondsValid is the session's remaining lifetime in seconds. currencySymbol and orgDefaultCurrencyIsoCode
    // apply only when organizationMultiCurrency is false, userDefaultCurrencyIsoCode only when it is true (same page).
    const text = (name: string) => String(record?.[name] ?? '')
    const single = !org.multiCurrency
    const userInfo = [
      ['accessibilityMode', 'false'],
      ['chatterExternal', 'false'],
      ['currencySymbol', single ? '$' : null],
      ['orgAttachmentFileSizeLimit', '5242880'],
      ['orgDefaultCurrencyIsoCode', single ? 'USD' : null],
      ['orgDefaultCurrencyLocale', single ? 'en_US' : null],
      ['orgDisallowHtmlAttachments', 'false'],
      ['orgHasPersonAccounts', 'false'],
      ['organizationId', org.id],
      ['organizationMultiCurrency', String(org.multiCurrency)],
      ['organizationName', org.name],
      ['profileId', null],
      ['roleId', null],
      ['sessionSecondsValid', String(Math.max(0, Math.floor((session.expiresAt - org.now()) / 1000)))],
      ['userDefaultCurrencyIsoCode', single ? null : 'USD'],
      ['userEmail', text('Email')],
      ['userFullName', text('Name')],
      ['userId', user.id],
      ['userLanguage', text('LanguageLocaleKey') || 'en_US'],
      ['userLocale', text('LocaleSidKey') || 'en_US'],
      ['userName', user.username],
      ['userTimeZone', text('TimeZoneSidKey') || 'America/Los_Angeles'],
      ['userType', 'Standard'],
      ['userUiSkin', 'Theme3'],
    ]
      .map(([key, value]) =>
        value === null ? `<${key} xsi:nil="true"/>` : `<${key}>${escapeXml(value ?? '')}</${key}>`,
      )
      .join('')
    const result =
      `<loginResponse><result><metadataServerUrl>${base}/services/Soap/m/${version}/${org15}</metadataServerUrl>` +
      `<passwordExpired>false</passwordExpired><sandbox>false</sandbox>` +
      `<serverUrl>${base}/services/Soap/u/${version}/${org15}</serverUrl>` +
      `<sessionId>${session.accessToken}</sessionId><userId>${user.id}</userId>` +
      `<userInfo>${userInfo}</userInfo></result></loginResponse>`
    return reply.code(200).header('content-type', 'text/xml;charset=UTF-8').send(envelope(result))
  })
}
