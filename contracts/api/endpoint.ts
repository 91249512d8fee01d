// Endpoint contracts shared by the server (routing, validation, OpenAPI) and the web client (typed fetch).
// One object per endpoint: method, path, who may call it, and zod schemas for what goes in and comes out.
import type { z } from 'zod'

/** Who may call an endpoint: anyone, any signed-in user, or network admins only. */
export type Access = 'public' | 'user' | 'admin'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface Endpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  method: HttpMethod
  /** Fastify-style path, e.g. `/api/admin/users/:id`. */
  path: string
  access: Access
  summary: string
  tag: string
  params?: Params
  query?: Query
  body?: Body
  /** Success body; absent for 204 responses. */
  response?: Response
  /** HTTP status of a successful call; 200 unless stated. */
  successStatus?: 200 | 201 | 202 | 204
}

export function defineEndpoint<
  Params extends z.ZodType = z.ZodType,
  Query extends z.ZodType = z.ZodType,
  Body extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
>(endpoint: Endpoint<Params, Query, Body, Response>): Endpoint<Params, Query, Body, Response> {
  return endpoint
}

type InferOr<T, Fallback> = T extends z.ZodType ? z.infer<T> : Fallback
export type EndpointParams<E> =
  E extends Endpoint<infer P, z.ZodType, z.ZodType, z.ZodType> ? InferOr<P, undefined> : never
export type EndpointQuery<E> =
  E extends Endpoint<z.ZodType, infer Q, z.ZodType, z.ZodType> ? InferOr<Q, undefined> : never
export type EndpointBody<E> =
  E extends Endpoint<z.ZodType, z.ZodType, infer B, z.ZodType> ? InferOr<B, undefined> : never
export type EndpointResponse<E> =
  E extends Endpoint<z.ZodType, z.ZodType, z.ZodType, infer R> ? InferOr<R, undefined> : never

/** The one error shape every API error uses. */
export interface ApiErrorBody {
  error: {
    code: string
    message: string
    /** Per-field problems for validation errors, keyed by dotted path (`email`, `body.name`). */
    fields?: Record<string, string>
    /** Structured detail some codes carry (EDIT_CONFLICT: the fields with their values, see edits.api.ts). */
    details?: Record<string, unknown>
  }
}

/** Error codes the API returns; the web client switches on these, never on messages. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  /** Not readable as an HTTP request, e.g. the body ended before its Content-Length; nothing was done. */
  'MALFORMED_REQUEST',
  /** The body stopped arriving for BODY_IDLE_TIMEOUT_MS; nothing was done and the connection is closed. */
  'REQUEST_TIMEOUT',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'CSRF_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'TOO_MANY_ATTEMPTS',
  'ACCOUNT_DISABLED',
  'SETUP_LINK_INVALID',
  'RESET_LINK_INVALID',
  'MODULE_DISABLED',
  'OPPORTUNITY_DELETED',
  'UNSUPPORTED_MEDIA_TYPE',
  /** Cache off and Salesforce could not answer a live read (down, API limit, connection needs attention). */
  'CRM_UNAVAILABLE',
  /** Passwords are refused here (SSO only): sign in with the identity provider. */
  'SSO_REQUIRED',
  /** Portal edits are turned off, or only admins may edit (Module Settings > Edits). */
  'EDITS_DISABLED',
  /** An opportunity's rule (its own, or the module default) lets only admins post or add people; the message says which. */
  'ADMINS_ONLY',
  /** The record changed in Salesforce since the user saw it; `details` has both values per field. */
  'EDIT_CONFLICT',
  /** Salesforce refused the values (validation rule, read-only field, bad picklist value); `fields` says where. */
  'CRM_REJECTED',
  /** Salesforce does not send the change events real-time updates need; `details.hint` says how to enable them. */
  'REALTIME_UNAVAILABLE',
  /** "Select all N matching": the filters no longer match the count the admin confirmed; nothing was written. */
  'SELECTION_CHANGED',
  /** "Select all N matching": more matches than one change may reach (`details.limit`); nothing was written. */
  'SELECTION_TOO_LARGE',
  'INTERNAL',
] as const
export type ErrorCode = (typeof errorCodes)[number]
