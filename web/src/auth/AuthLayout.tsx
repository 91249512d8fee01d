import type { ReactNode } from 'react'

import { useDocumentTitle } from '../components/use-document-title.js'

/** The centred card used by sign-in, first-run setup and password reset. */
export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string
  intro?: ReactNode
  children: ReactNode
}) {
  useDocumentTitle(title)
  return (
    <div className="auth-page">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <main id="main" className="auth-card" tabIndex={-1}>
        <div className="auth-brand" aria-hidden="true">
          <span className="brand-mark">C</span>
          <span>CRM</span>
        </div>
        <h1>{title}</h1>
        {intro && <div className="auth-intro">{intro}</div>}
        {children}
      </main>
    </div>
  )
}
