// "Connect my Salesforce account" (issue 16 item 5): a workspace user who also has a Salesforce login links
// it (authorization code with PKCE on the connection's connected app), and their portal edits then run as
// that Salesforce user. Every endpoint acts on the signed-in user's own link only; no answer carries a token.
import { z } from 'zod'

import { OAuthCallbackQuerySchema } from './crm-connection.api.js'
import { defineEndpoint } from './endpoint.js'

export const SalesforceAccountLinkSchema = z.object({
  /** The Salesforce username and name the edits run as. */
  username: z.string().nullable(),
  name: z.string().nullable(),
  salesforceUserId: z.string(),
  connectedAt: z.string(),
  /** needs_reconnect: Salesforce no longer accepts the link (revoked or expired); edits are refused until then. */
  status: z.enum(['connected', 'needs_reconnect']),
  statusReason: z.string().nullable(),
})
export type SalesforceAccountLink = z.infer<typeof SalesforceAccountLinkSchema>

export const SalesforceAccountSchema = z.object({
  /** Whether the user may link an account: edits are allowed for them and the org connection is healthy. */
  available: z.boolean(),
  /** Why not, in words for the user (null when available). */
  reason: z.string().nullable(),
  link: SalesforceAccountLinkSchema.nullable(),
})
export type SalesforceAccount = z.infer<typeof SalesforceAccountSchema>

export const getSalesforceAccount = defineEndpoint({
  method: 'GET',
  path: '/api/crm/salesforce-account',
  access: 'user',
  tag: 'salesforce account',
  summary: "The signed-in user's own Salesforce link (username, status), never its tokens",
  response: SalesforceAccountSchema,
})

export const startSalesforceAccountLink = defineEndpoint({
  method: 'POST',
  path: '/api/crm/salesforce-account/connect',
  access: 'user',
  tag: 'salesforce account',
  summary: '"Connect my Salesforce account": returns the Salesforce login URL (authorization code with PKCE)',
  response: z.object({ authorizeUrl: z.string() }),
})

export const completeSalesforceAccountLink = defineEndpoint({
  method: 'GET',
  path: '/api/crm/salesforce-account/oauth/callback',
  access: 'user',
  tag: 'salesforce account',
  summary:
    'Where Salesforce sends the user back; exchanges the code for their tokens (state and PKCE checked), redirects to the portal',
  query: OAuthCallbackQuerySchema,
})

export const disconnectSalesforceAccount = defineEndpoint({
  method: 'DELETE',
  path: '/api/crm/salesforce-account',
  access: 'user',
  tag: 'salesforce account',
  summary: "Disconnect: revokes the user's refresh token at Salesforce and deletes their link",
  response: z.object({ revoked: z.boolean(), account: SalesforceAccountSchema }),
})

/** Where the callback sends the browser: the portal home, with `salesforceAccount=connected` or `...Error=`. */
export const SALESFORCE_ACCOUNT_PAGE = '/portal'
