// "SSO only": with sign-in through the identity provider turned on and made the only way in, passwords are
// refused for everyone but the one break-glass admin, who can still get in when the provider is down.
import { AppError } from '../../errors.js'
import type { Db } from '../../storage/open-database.js'
import { findOidcSettings } from './oidc.repository.js'

/** Throws SSO_REQUIRED when this user may not sign in with a password. Call after the password is checked. */
export async function assertPasswordSignInAllowed(db: Db, userId: string): Promise<void> {
  const settings = await findOidcSettings(db)
  if (!settings?.enabled || !settings.sso_only || settings.break_glass_user_id === userId) return
  throw new AppError(
    'SSO_REQUIRED',
    `This workspace signs in with ${settings.display_name}. Use "Sign in with ${settings.display_name}" instead of a password.`,
  )
}
