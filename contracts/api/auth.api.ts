import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

export const roles = ['admin', 'member'] as const
export const RoleSchema = z.enum(roles)
export type Role = z.infer<typeof RoleSchema>

/** Passwords: long rather than clever (NIST SP 800-63B): at least 12 characters, at most 256. */
export const PasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(256, 'Use at most 256 characters.')

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254))

export const SessionUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
})
export type SessionUser = z.infer<typeof SessionUserSchema>

export const SessionSchema = z.object({
  /** Null when nobody is signed in. */
  user: SessionUserSchema.nullable(),
  /** Send back as the `X-CSRF-Token` header on every state-changing request. Null when signed out. */
  csrfToken: z.string().nullable(),
  /** True while no admin exists: the UI shows that the setup link in the server log must be used. */
  setupRequired: z.boolean(),
})
export type Session = z.infer<typeof SessionSchema>

export const getSession = defineEndpoint({
  method: 'GET',
  path: '/api/auth/session',
  access: 'public',
  tag: 'auth',
  summary: 'The signed-in user (or null), the CSRF token and whether first-run setup is pending',
  response: SessionSchema,
})

export const login = defineEndpoint({
  method: 'POST',
  path: '/api/auth/login',
  access: 'public',
  tag: 'auth',
  summary: 'Sign in with email and password; sets the session cookie',
  body: z.strictObject({ email: EmailSchema, password: z.string().min(1, 'Enter your password.').max(256) }),
  response: SessionSchema,
})

export const logout = defineEndpoint({
  method: 'POST',
  path: '/api/auth/logout',
  access: 'user',
  tag: 'auth',
  summary: 'Sign out and end the session',
  successStatus: 204,
})

export const completeSetup = defineEndpoint({
  method: 'POST',
  path: '/api/setup',
  access: 'public',
  tag: 'auth',
  summary: 'First run: create the first network admin with the one-time setup token from the server log',
  body: z.strictObject({
    token: z.string().min(1).max(200),
    name: z.string().trim().min(1, 'Enter a name.').max(200),
    email: EmailSchema,
    password: PasswordSchema,
  }),
  response: SessionSchema,
  successStatus: 201,
})

export const resetPassword = defineEndpoint({
  method: 'POST',
  path: '/api/auth/reset-password',
  access: 'public',
  tag: 'auth',
  summary: 'Set a new password with a one-time reset link issued by an admin',
  body: z.strictObject({ token: z.string().min(1).max(200), password: PasswordSchema }),
  successStatus: 204,
})
