// Identity URL and OpenID Connect UserInfo bodies (Salesforce Help "Identity URLs",
// https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_using_openid.htm, and "UserInfo Endpoint",
// https://help.salesforce.com/s/articleView?type=5&id=xcloud.remoteaccess_using_userinfo_endpoint.htm).
import type { FastifyRequest } from 'fastify'

import type { EmulatedUser } from '../org/auth-state.js'
import type { Org } from '../org/org.js'
import { baseUrl } from '../http/base-url.js'

/** Identity URL and UserInfo bodies. */
export function identity(org: Org, request: FastifyRequest, userId: string, shape: 'identity' | 'userinfo') {
  const record = org.records.findById('User', userId)
  const user: EmulatedUser | undefined = org.auth.users.get(userId)
  const base = baseUrl(request)
  const urls = {
    enterprise: `${base}/services/Soap/c/{version}/${org.id.slice(0, 15)}`,
    partner: `${base}/services/Soap/u/{version}/${org.id.slice(0, 15)}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    query: `${base}/services/data/v{version}/query/`,
    profile: `${base}/${userId}`,
  }
  const common = {
    user_id: userId,
    organization_id: org.id,
    email: record?.['Email'] ?? null,
    active: user?.isActive ?? false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    urls,
  }
  if (shape === 'userinfo') {
    return {
      sub: `${base}/id/${org.id}/${userId}`,
      preferred_username: user?.username,
      nickname: record?.['Alias'],
      name: record?.['Name'],
      given_name: record?.['FirstName'],
      family_name: record?.['LastName'],
      email_verified: true,
      zoneinfo: 'Etc/UTC',
      ...common,
    }
  }
  return {
    id: `${base}/id/${org.id}/${userId}`,
    asserted_user: true,
    username: user?.username,
    nick_name: record?.['Alias'],
    display_name: record?.['Name'],
    ...common,
  }
}
