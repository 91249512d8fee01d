import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

import local from './eslint-rules.js'

// The server's feature folders: the router (http/) and storage/ sit below all of them.
const FEATURE_FOLDERS = [
  'server/auth',
  'server/users',
  'server/user-admin',
  'server/crm',
  'server/identity',
  'server/modules',
]

// Where the test harnesses live: tests may query tables and name Salesforce paths (emulator faults) directly.
const TESTS = ['**/*.test.ts', 'server/testing/**/*.ts', 'e2e/**/*.ts']

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'data/',
      'node_modules/',
      'test-results/',
      'scripts/*.mjs',
      'eslint.config.js',
      'eslint-rules.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/only-throw-error': 'error',
      // Handlers and drivers implement async interfaces; an async function without await is fine there.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only server/config.ts reads the environment (tests and scripts get their settings passed in).
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings from server/config.ts, not process.env.',
        },
      ],
    },
  },
  {
    // Process entry points of test harnesses and scripts pass the environment on to child processes.
    files: [
      'server/config.ts',
      'vitest.config.ts',
      'scripts/**/*.ts',
      'emulator/main.ts',
      'e2e/**/*.ts',
      'server/testing/**/*.ts',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests read JSON responses as `any` on purpose: the assertion is the type check.
    files: ['**/*.test.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // The identity libraries stay inside server/identity/ (OpenID Connect client, SCIM parsing), like
    // Salesforce inside providers/salesforce. (Blocks below that set no-restricted-imports replace this one.)
    files: ['**/*.{ts,tsx}'],
    ignores: ['server/identity/**', 'server/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'openid-client', message: 'OpenID Connect goes through server/identity/oidc/.' },
            { name: 'scimmy', message: 'SCIM goes through server/identity/scim/.' },
          ],
          patterns: [{ group: ['scimmy/*'], message: 'SCIM goes through server/identity/scim/.' }],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The web bundle may only depend on the shared endpoint contracts, never on server code.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/emulator/**'], message: 'web/ imports only from contracts/.' },
          ],
        },
      ],
    },
  },
  {
    // Providers talk to Salesforce; they never reach into the CRM features that use them.
    files: ['server/providers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/crm/**'], message: 'providers/ must not import from crm/.' }] },
      ],
    },
  },
  {
    // Only the Salesforce provider speaks jsforce and spells Salesforce's URL paths; the CRM features use the
    // CrmProvider/CrmSession interfaces. bench:sync's baseline measures jsforce itself.
    files: ['server/**/*.ts', 'scripts/**/*.ts', 'contracts/**/*.ts', 'web/**/*.{ts,tsx}'],
    ignores: ['server/providers/salesforce/**', 'scripts/bench-sync.ts'],
    plugins: { local },
    rules: { 'local/no-jsforce': 'error' },
  },
  {
    files: ['server/**/*.ts', 'contracts/**/*.ts', 'web/**/*.{ts,tsx}'],
    ignores: ['server/providers/salesforce/**', ...TESTS],
    plugins: { local },
    rules: { 'local/no-salesforce-paths': 'error' },
  },
  {
    // SQL (Kysely query builders and the sql tag) lives in *.repository.ts files, migrations and storage.
    // Tests, their harness, the benchmarks' fixture seeding and the soak's checks may query tables directly.
    files: ['server/**/*.ts', 'scripts/**/*.ts', 'contracts/**/*.ts', 'emulator/**/*.ts'],
    ignores: ['**/*.repository.ts', 'server/storage/**', 'scripts/bench-*.ts', 'scripts/soak-*.ts', ...TESTS],
    plugins: { local },
    rules: { 'local/sql-in-repositories': 'error' },
  },
  {
    // Folder layers (ARCHITECTURE.md): the router knows no feature (app.ts hands it authenticate); user
    // records sit below sign-in, and sign-in below the admins' user management; storage (the schema
    // included, server/storage/tables/) knows no feature.
    files: ['server/**/*.ts'],
    plugins: { local },
    rules: {
      'local/folder-layers': [
        'error',
        {
          layers: {
            'server/http': FEATURE_FOLDERS,
            'server/users': ['server/auth', 'server/user-admin', 'server/identity', 'server/crm'],
            'server/auth': ['server/user-admin'],
            'server/storage': [...FEATURE_FOLDERS, 'server/http'],
          },
        },
      ],
    },
  },
)
