import { z } from 'zod'

import { EmailSchema, PasswordSchema, RoleSchema } from './auth.api.js'
import { defineEndpoint } from './endpoint.js'

export const ApiUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  isActive: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
})
export type ApiUser = z.infer<typeof ApiUserSchema>

const UserIdParams = z.strictObject({ id: z.uuid('Not a valid user id.') })

export const OneTimeLinkSchema = z.object({ url: z.string(), expiresAt: z.string() })
export type OneTimeLink = z.infer<typeof OneTimeLinkSchema>

export const listUsers = defineEndpoint({
  method: 'GET',
  path: '/api/admin/users',
  access: 'admin',
  tag: 'users',
  summary: 'List workspace users, optionally filtered by name or email',
  query: z.strictObject({
    search: z.string().trim().max(200).optional(),
    includeInactive: z.enum(['true', 'false']).optional(),
  }),
  response: z.object({ users: z.array(ApiUserSchema) }),
})

export const createUser = defineEndpoint({
  method: 'POST',
  path: '/api/admin/users',
  access: 'admin',
  tag: 'users',
  summary: 'Create a user; without a password the response carries a one-time link to set one',
  body: z.strictObject({
    name: z.string().trim().min(1, 'Enter a name.').max(200),
    email: EmailSchema,
    role: RoleSchema,
    password: PasswordSchema.optional(),
  }),
  response: z.object({ user: ApiUserSchema, passwordLink: OneTimeLinkSchema.nullable() }),
  successStatus: 201,
})

export const updateUser = defineEndpoint({
  method: 'PATCH',
  path: '/api/admin/users/:id',
  access: 'admin',
  tag: 'users',
  summary: 'Edit a user; isActive=false deactivates and ends their sessions at once',
  params: UserIdParams,
  body: z
    .strictObject({
      name: z.string().trim().min(1, 'Enter a name.').max(200),
      email: EmailSchema,
      role: RoleSchema,
      isActive: z.boolean(),
    })
    .partial()
    .refine((body) => Object.keys(body).length > 0, 'Change at least one field.'),
  response: z.object({ user: ApiUserSchema }),
})

export const issuePasswordResetLink = defineEndpoint({
  method: 'POST',
  path: '/api/admin/users/:id/password-reset-link',
  access: 'admin',
  tag: 'users',
  summary: 'Issue a one-time password-reset link for a user (replaces any earlier one)',
  params: UserIdParams,
  response: OneTimeLinkSchema,
  successStatus: 201,
})
