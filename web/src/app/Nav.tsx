// The side navigation of each portal. Links are React Router links (aria-current="page" when active),
// drawn as Mantine NavLinks.
import { NavLink as MantineNavLink } from '@mantine/core'
import {
  IconBriefcase,
  IconHome,
  IconId,
  IconPuzzle,
  IconUsers,
  type Icon as TablerIcon,
} from '@tabler/icons-react'
import { NavLink, useMatch, useResolvedPath } from 'react-router'

import { useCrmModule } from '../api/use-modules.js'

function NavItem({
  to,
  label,
  icon: Icon,
  end = false,
}: {
  to: string
  label: string
  icon: TablerIcon
  end?: boolean
}) {
  const active = useMatch({ path: useResolvedPath(to).pathname, end }) !== null
  return (
    <MantineNavLink
      component={NavLink}
      to={to}
      end={end}
      label={label}
      active={active}
      variant="light"
      leftSection={<Icon size={18} stroke={1.6} aria-hidden="true" />}
    />
  )
}

export function UserNav() {
  const crm = useCrmModule()
  return (
    <nav aria-label="User Portal">
      <NavItem to="/portal" label="Home" icon={IconHome} end />
      {crm.module?.enabled && (
        <div>
          <span className="sidenav-heading" id="nav-crm">
            CRM
          </span>
          <ul aria-labelledby="nav-crm" className="sidenav-list">
            <li>
              <NavItem to="/portal/crm/opportunities" label="Opportunities" icon={IconBriefcase} />
            </li>
          </ul>
        </div>
      )}
    </nav>
  )
}

export function AdminNav() {
  return (
    <nav aria-label="Admin Portal">
      <NavItem to="/admin/users" label="Users" icon={IconUsers} />
      <NavItem to="/admin/modules" label="Modules" icon={IconPuzzle} />
      <NavItem to="/admin/identity" label="Identity" icon={IconId} />
    </nav>
  )
}
