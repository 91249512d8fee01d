// The frame of both portals: skip link, header (name, portal switcher for admins, sign out), the
// portal's navigation and the page. Pages render their own <h1>.
import { NavLink, Outlet, useNavigate } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'
import { useLogout, useSession } from '../api/use-session.js'
import { CrmAttentionBanner } from '../crm/CrmAttentionBanner.js'

type Portal = 'user' | 'admin'

export function Shell({ portal }: { portal: Portal }) {
  const user = useSession().data?.user
  const isAdmin = user?.role === 'admin'
  // A member who opens /admin sees the "Admins only" page inside their own portal's frame.
  const shown: Portal = portal === 'admin' && !isAdmin ? 'user' : portal
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-start">
          <span className="brand" aria-hidden="true">
            <span className="brand-mark">C</span>
          </span>
          <span className="brand-name">{shown === 'admin' ? 'Admin Portal' : 'User Portal'}</span>
        </div>
        {isAdmin && <PortalSwitcher current={shown} />}
        <div className="topbar-end">
          <span className="user-name" title={user?.email}>
            {user?.name}
          </span>
          <SignOutButton />
        </div>
      </header>
      <div className="shell-body">
        {shown === 'admin' ? <AdminNav /> : <UserNav />}
        <main id="main" className="content" tabIndex={-1}>
          <CrmAttentionBanner enabled={shown === 'admin'} />
          <Outlet />
        </main>
      </div>
    </div>
  )
}

function PortalSwitcher({ current }: { current: Portal }) {
  return (
    <nav className="portal-switcher" aria-label="Portal">
      <NavLink to="/portal" aria-current={current === 'user' ? 'page' : undefined}>
        User Portal
      </NavLink>
      <NavLink to="/admin" aria-current={current === 'admin' ? 'page' : undefined}>
        Admin Portal
      </NavLink>
    </nav>
  )
}

function UserNav() {
  const crm = useCrmModule()
  return (
    <nav className="sidenav" aria-label="User Portal">
      <NavLink to="/portal" end>
        Home
      </NavLink>
      {crm.module?.enabled && (
        <div className="sidenav-group">
          <span className="sidenav-heading" id="nav-crm">
            CRM
          </span>
          <ul aria-labelledby="nav-crm">
            <li>
              <NavLink to="/portal/crm/opportunities">Opportunities</NavLink>
            </li>
          </ul>
        </div>
      )}
    </nav>
  )
}

function AdminNav() {
  return (
    <nav className="sidenav" aria-label="Admin Portal">
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/modules">Modules</NavLink>
      <NavLink to="/admin/identity">Identity</NavLink>
    </nav>
  )
}

function SignOutButton() {
  const logout = useLogout()
  const navigate = useNavigate()
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={logout.isPending}
      onClick={() =>
        logout.mutate(undefined, {
          onSuccess: ({ redirectUrl }) => {
            if (redirectUrl) window.location.assign(redirectUrl)
            else void navigate('/login', { replace: true })
          },
          onError: () => void navigate('/login', { replace: true }),
        })
      }
    >
      {logout.isPending ? 'Signing out…' : 'Sign out'}
    </button>
  )
}
