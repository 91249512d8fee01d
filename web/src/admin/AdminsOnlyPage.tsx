import { Link } from 'react-router'

import { useDocumentTitle } from '../components/use-document-title.js'

/** What a member sees at /admin/…; the API refuses them too (403), this only explains it. */
export function AdminsOnlyPage() {
  useDocumentTitle('Admins only')
  return (
    <div className="panel narrow">
      <h1>Admins only</h1>
      <p className="muted">
        The Admin Portal is for network admins. If you need access, ask an admin to change your role.
      </p>
      <Link className="button button-primary" to="/portal">
        Back to the User Portal
      </Link>
    </div>
  )
}
