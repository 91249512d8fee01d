// Tabs that are links (each tab is a page with its own URL): a nav with aria-current, not role=tablist.
// On a narrow screen the row scrolls sideways instead of being cut off.
import { ScrollArea } from '@mantine/core'
import { NavLink } from 'react-router'

export interface LinkTab {
  to: string
  label: string
  /** Match the path exactly (the default tab). */
  end?: boolean
  /** For tabs driven by the query string, where NavLink cannot tell which one is current. */
  current?: boolean
}

export function LinkTabs({ label, tabs }: { label: string; tabs: LinkTab[] }) {
  return (
    <ScrollArea type="auto" scrollbarSize={6} offsetScrollbars="x">
      <nav className="link-tabs" aria-label={label}>
        {tabs.map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            end={tab.end ?? false}
            aria-current={tab.current === undefined ? undefined : tab.current ? 'page' : false}
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
    </ScrollArea>
  )
}
