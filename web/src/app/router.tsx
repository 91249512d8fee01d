import { createBrowserRouter, Navigate } from 'react-router'

import { AdminsOnlyPage } from '../admin/AdminsOnlyPage.js'
import { IdentityPage } from '../admin/identity/IdentityPage.js'
import { ModuleSettingsPage } from '../admin/ModuleSettingsPage.js'
import { ModulesPage } from '../admin/ModulesPage.js'
import { moduleSettingsTabs } from '../admin/module-settings-tabs.js'
import { UsersPage } from '../admin/UsersPage.js'
import { LoginPage } from '../auth/LoginPage.js'
import { ResetPasswordPage } from '../auth/ResetPasswordPage.js'
import { SetupPage } from '../auth/SetupPage.js'
import { AdminOpportunityPage } from '../crm/AdminOpportunityPage.js'
import { MyOpportunitiesPage } from '../crm/MyOpportunitiesPage.js'
import { OpportunityDetailPage } from '../crm/OpportunityDetailPage.js'
import { PortalHomePage } from '../portal/PortalHomePage.js'
import { NotFoundPage, RouteErrorPage } from './ErrorPages.js'
import { HomeRedirect, RequireAdmin, RequireSession } from './guards.js'
import { Shell } from './Shell.js'

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/setup', element: <SetupPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            path: '/portal',
            element: <Shell portal="user" />,
            children: [
              { index: true, element: <PortalHomePage /> },
              { path: 'crm/opportunities', element: <MyOpportunitiesPage /> },
              { path: 'crm/opportunities/:id', element: <OpportunityDetailPage /> },
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
                  { path: 'users', element: <UsersPage /> },
                  { path: 'modules', element: <ModulesPage /> },
                  { path: 'identity', element: <IdentityPage /> },
                  { path: 'crm/opportunities/:id', element: <AdminOpportunityPage /> },
                  {
                    path: 'modules/crm',
                    element: <ModuleSettingsPage />,
                    children: moduleSettingsTabs.map((tab) =>
                      tab.path === ''
                        ? { index: true, element: tab.element }
                        : { path: tab.path, element: tab.element },
                    ),
                  },
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
