/**
 * The page to return to after signing in, from `?next=`. Only same-site paths are accepted, so a crafted
 * link cannot bounce a user to another site after login (an open redirect).
 */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null
  if (next.startsWith('/login') || next.startsWith('/setup') || next.startsWith('/reset-password'))
    return null
  return next
}
