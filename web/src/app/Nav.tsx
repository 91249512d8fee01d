// The side navigation of each portal. Links are React Router links (aria-current="page" when active),
// drawn as Mantine NavLinks.
import { Box, NavLink as MantineNavLink, Text } from '@mantine/core'
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
          <Text
            component="span"
            id="nav-crm"
            display="block"
            px={12}
            pt="md"
            pb={4}
            size="xs"
            fw={600}
            tt="uppercase"
            lts="0.04em"
            c="dimmed"
          >
            CRM
          </Text>
          <Box component="ul" aria-labelledby="nav-crm" m={0} p={0} style={{ listStyle: 'none' }}>
            <li>
              <NavItem to="/portal/crm/opportunities" label="Opportunities" icon={IconBriefcase} />
            </li>
          </Box>
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
