// Identity URL and OpenID Connect UserInfo bodies.
// * Identity URL (Salesforce Help "Identity URLs",
//   https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_using_openid.htm, and the Mobile SDK's
//   copy with the full field list, https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-using-identity-urls.html):
//   id, asserted_user, user_id, organization_id, username, nick_name, display_name, email, email_verified,
//   first_name, last_name, timezone, photos {picture, thumbnail}, addr_street/city/state/country/zip, mobile_phone,
//   mobile_phone_verified, is_lightning_login_user, status {created_date, body}, urls {enterprise, metadata, partner,
//   rest, sobjects, search, query, recent, tooling_soap, tooling_rest, profile, feeds, groups, users, feed_items,
//   feed_elements, custom_domain}, active, user_type, language, locale, utcOffset, last_modified_date,
//   is_app_installed. `version=NN.0|latest` puts that version into the urls; without it they keep `{version}`.
// * UserInfo ("UserInfo Endpoint",
//   https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_using_userinfo_endpoint.htm): the
//   OpenID Connect claims sub, name, given_name, family_name, preferred_username, nickname, email, email_verified,
//   zoneinfo, locale, picture, profile, address, updated_at, plus Salesforce's own user_id, organization_id, photos,
//   urls, active, user_type, language, utcOffset, is_app_installed.
// The emulator serves the REST urls (rest, sobjects, query, recent); the others name resources it does not
// emulate, but their shape is Salesforce's, so clients that read them find what they expect.
import type { FastifyRequest } from 'fastify'

import { baseUrl } from '../http/base-url.js'
import { parseVersion } from '../http/versions.js'
import type { Org } from '../org/org.js'

/** Offset of an IANA zone from UTC in milliseconds at the given time (what utcOffset reports). */
function utcOffsetMs(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(at))
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    )
    return asUtc - Math.floor(at / 1000) * 1000
  } catch {
    return 0
  }
}

function urlsFor(org: Org, base: string, userId: string, version: string) {
  const org15 = org.id.slice(0, 15)
  const data = `${base}/services/data/v${version}`
  return {
    enterprise: `${base}/services/Soap/c/${version}/${org15}`,
    metadata: `${base}/services/Soap/m/${version}/${org15}`,
    partner: `${base}/services/Soap/u/${version}/${org15}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/${version}/${org15}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: base,
  }
}

/** Identity URL and UserInfo bodies for a user of the org. */
export function identity(org: Org, request: FastifyRequest, userId: string, shape: 'identity' | 'userinfo') {
  const record = org.records.findById('User', userId)
  const user = org.auth.users.get(userId)
  const base = baseUrl(request)
  const requested = (request.query as Record<string, unknown> | undefined)?.['version']
  const parsed = typeof requested === 'string' ? parseVersion(requested) : undefined
  const version = parsed?.kind === 'supported' ? parsed.version : '{version}'
  const text = (name: string) => (record?.[name] == null ? null : String(record[name]))
  const timeZone = text('TimeZoneSidKey') ?? 'America/Los_Angeles'
  const locale = text('LocaleSidKey') ?? 'en_US'
  const photos = {
    picture: `${base}/profilephoto/005/F`,
    thumbnail: `${base}/profilephoto/005/T`,
  }
  const lastModified =
    typeof record?.['LastModifiedDate'] === 'number' ? record['LastModifiedDate'] : org.now()
  const common = {
    user_id: userId,
    organization_id: org.id,
    email: text('Email'),
    email_verified: true,
    photos,
    urls: urlsFor(org, base, userId, version),
    active: user?.isActive ?? record?.['IsActive'] === true,
    user_type: 'STANDARD',
    language: text('LanguageLocaleKey') ?? 'en_US',
    locale,
    utcOffset: utcOffsetMs(timeZone, org.now()),
    is_app_installed: true,
  }
  if (shape === 'userinfo') {
    return {
      sub: `${base}/id/${org.id}/${userId}`,
      name: text('Name'),
      given_name: text('FirstName'),
      family_name: text('LastName'),
      preferred_username: user?.username ?? text('Username'),
      nickname: text('CommunityNickname') ?? text('Alias'),
      zoneinfo: timeZone,
      picture: photos.picture,
      profile: `${base}/${userId}`,
      address: { country: null },
      updated_at: new Date(lastModified).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...common,
    }
  }
  return {
    id: `${base}/id/${org.id}/${userId}`,
    asserted_user: true,
    username: user?.username ?? text('Username'),
    nick_name: text('CommunityNickname') ?? text('Alias'),
    display_name: text('Name'),
    first_name: text('FirstName'),
    last_name: text('LastName'),
    timezone: timeZone,
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    // The user's latest Chatter status; no status was ever posted in the emulated org.
    status: { created_date: null, body: null },
    // Format UNCONFIRMED (the pages show the key, not a value): Salesforce's datetime wire form, as elsewhere.
    last_modified_date: new Date(lastModified).toISOString().replace('Z', '+0000'),
    ...common,
  }
}
