// The routes. The sign-in pages, the guards and the portal frame load with the first page; every other
// page's code loads when it is first opened, so the first page stays small (issue 17 item 10,
// scripts/bundle-size.mjs). React Router's route.lazy: https://reactrouter.com/start/data/route-object#lazy
import type { ComponentType } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'

import { AdminsOnlyPage } from '../admin/AdminsOnlyPage.js'
import { moduleSettingsTabs } from '../admin/module-settings-tabs.js'
import { LoginPage } from '../auth/LoginPage.js'
import { Spinner } from '../components/QueryState.js'
import { NotFoundPage, RouteErrorPage } from './ErrorPages.js'
import { HomeRedirect, RequireAdmin, RequireSession } from './guards.js'
import { Shell } from './Shell.js'

/** A route whose component is loaded on first visit; no path makes it the index route. */
function lazyPage(path: string | undefined, load: () => Promise<ComponentType>): RouteObject {
  const lazy = async () => ({ Component: await load() })
  return path === undefined ? { index: true, lazy } : { path, lazy }
}

function lazyLayout(path: string, load: () => Promise<ComponentType>, children: RouteObject[]): RouteObject {
  return { path, lazy: async () => ({ Component: await load() }), children }
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <Spinner label="Loading" fullPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      lazyPage('/setup', () => import('../auth/SetupPage.js').then((m) => m.SetupPage)),
      lazyPage('/reset-password', () =>
        import('../auth/ResetPasswordPage.js').then((m) => m.ResetPasswordPage),
      ),
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            path: '/portal',
            element: <Shell portal="user" />,
            children: [
              lazyPage(undefined, () => import('../portal/PortalHomePage.js').then((m) => m.PortalHomePage)),
              lazyPage('crm/opportunities', () =>
                import('../portal/crm/MyOpportunitiesPage.js').then((m) => m.MyOpportunitiesPage),
              ),
              lazyPage('crm/opportunities/:id', () =>
                import('../portal/crm/OpportunityDetailPage.js').then((m) => m.OpportunityDetailPage),
              ),
              lazyPage('notifications', () =>
                import('../notifications/NotificationSettingsPage.js').then(
                  (m) => m.NotificationSettingsPage,
                ),
              ),
            ],
          },
          {
            path: '/admin',
            element: <Shell portal="admin" />,
            children: [
              {
                element: <RequireAdmin fallback={<AdminsOnlyPage />} />,
                children: [
                  { index: true, element: <Navigate to="users" replace /> },
                  lazyPage('users', () => import('../admin/UsersPage.js').then((m) => m.UsersPage)),
                  lazyPage('modules', () => import('../admin/ModulesPage.js').then((m) => m.ModulesPage)),
                  lazyPage('notifications', () =>
                    import('../notifications/NotificationSettingsPage.js').then(
                      (m) => m.NotificationSettingsPage,
                    ),
                  ),
                  lazyPage('identity', () =>
                    import('../admin/identity/IdentityPage.js').then((m) => m.IdentityPage),
                  ),
                  lazyPage('crm/opportunities/:id', () =>
                    import('../admin/crm/AdminOpportunityPage.js').then((m) => m.AdminOpportunityPage),
                  ),
                  lazyPage('crm/guide', () =>
                    import('../admin/crm/guide/ConnectingSalesforceGuide.js').then(
                      (m) => m.ConnectingSalesforceGuide,
                    ),
                  ),
                  lazyLayout(
                    'modules/crm',
                    () => import('../admin/ModuleSettingsPage.js').then((m) => m.ModuleSettingsPage),
                    moduleSettingsTabs.map((tab) =>
                      lazyPage(tab.path === '' ? undefined : tab.path, tab.load),
                    ),
                  ),
                ],
              },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])
