import { Anchor, Breadcrumbs, Text } from '@mantine/core'
import { Link } from 'react-router'

/** The path back up from a detail page: links to each parent, then the current page's name. */
export function Breadcrumb({
  parents,
  current,
}: {
  parents: { to: string; label: string }[]
  current?: string
}) {
  return (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs separator="/" fz="sm">
        {parents.map((parent) => (
          <Anchor key={parent.to} component={Link} to={parent.to} size="sm">
            {parent.label}
          </Anchor>
        ))}
        {current && (
          <Text size="sm" c="dimmed" aria-current="page">
            {current}
          </Text>
        )}
      </Breadcrumbs>
    </nav>
  )
}
