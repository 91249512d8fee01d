// Admin Portal > Identity: sign-in with the company's identity provider, the latest refused sign-ins with
// what to fix, and the SCIM tokens for provisioning.
import { useOidcSettings } from '../../api/use-identity.js'
import { formatDateTime } from '../../shared/format.js'
import { PageHeader } from '../../components/PageHeader.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { OidcSettingsForm } from './OidcSettingsForm.js'
import { ScimTokensPanel } from './ScimTokensPanel.js'
import './identity.css'

export function IdentityPage() {
  const oidc = useOidcSettings()
  return (
    <>
      <PageHeader
        title="Identity"
        description="Sign-in with your company's identity provider (OpenID Connect) and provisioning of users and groups (SCIM 2.0)."
      />
      <section className="panel stack" aria-labelledby="identity-oidc">
        <h2 id="identity-oidc">Sign-in with the identity provider</h2>
        {oidc.isPending && <Spinner label="Loading the settings" />}
        {oidc.isError && <QueryError error={oidc.error} onRetry={() => void oidc.refetch()} />}
        {oidc.data && <OidcSettingsForm view={oidc.data} />}
      </section>
      {oidc.data && oidc.data.recentFailures.length > 0 && (
        <section className="panel stack" aria-labelledby="identity-failures">
          <h2 id="identity-failures">Refused sign-ins</h2>
          <ul className="plain-list">
            {oidc.data.recentFailures.map((failure) => (
              <li key={`${failure.at}-${failure.reason}`}>
                <strong>{formatDateTime(failure.at, 'Never')}</strong>: {failure.message}{' '}
                <span className="muted">{failure.hint}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="panel stack" aria-labelledby="identity-scim">
        <h2 id="identity-scim">Provisioning (SCIM)</h2>
        <ScimTokensPanel />
      </section>
    </>
  )
}
