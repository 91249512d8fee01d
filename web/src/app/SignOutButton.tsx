import { Button } from '@mantine/core'
import { IconLogout } from '@tabler/icons-react'
import { useNavigate } from 'react-router'

import { useLogout } from '../api/use-session.js'

export function SignOutButton() {
  const logout = useLogout()
  const navigate = useNavigate()
  return (
    <Button
      variant="subtle"
      color="gray"
      leftSection={<IconLogout size={16} aria-hidden="true" />}
      loading={logout.isPending}
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
      Sign out
    </Button>
  )
}
