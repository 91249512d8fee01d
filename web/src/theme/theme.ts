// The one set of design tokens (Mantine theme): colours, type, radius, spacing and component defaults.
// Light and dark follow the system setting (MantineProvider defaultColorScheme="auto" in app/providers.tsx).
// The primary and status palettes are darkened at shades 7-9 so text on their light tints and white text on their
// filled backgrounds reach WCAG 2.2 AA contrast (4.5:1): https://www.w3.org/TR/WCAG22/#contrast-minimum
import { createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core'

const green: MantineColorsTuple = [
  '#ebfbee',
  '#d3f9d8',
  '#b2f2bb',
  '#8ce99a',
  '#69db7c',
  '#51cf66',
  '#37b24d',
  '#2b8a3e',
  '#1f6e31',
  '#175a27',
]

const orange: MantineColorsTuple = [
  '#fff4e6',
  '#ffe8cc',
  '#ffd8a8',
  '#ffc078',
  '#ffa94d',
  '#ff922b',
  '#f76707',
  '#c2410c',
  '#a3360a',
  '#862e09',
]

const indigo: MantineColorsTuple = [
  '#edf2ff',
  '#dbe4ff',
  '#bac8ff',
  '#91a7ff',
  '#748ffc',
  '#5c7cfa',
  '#4c6ef5',
  '#4263eb',
  '#3049b5',
  '#263b96',
]

const red: MantineColorsTuple = [
  '#fff5f5',
  '#ffe3e3',
  '#ffc9c9',
  '#ffa8a8',
  '#ff8787',
  '#ff6b6b',
  '#fa5252',
  '#e03131',
  '#c92a2a',
  '#a51d1d',
]

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 in both schemes: filled buttons keep white text at AA contrast, light tints get dark text.
  primaryShade: { light: 8, dark: 8 },
  colors: { green, indigo, orange, red },
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  defaultRadius: 'md',
  cursorType: 'pointer',
  // Mantine's own transitions stop when the system asks for reduced motion.
  respectReducedMotion: true,
  headings: {
    fontWeight: '600',
    // Compact headings for a work tool; a section (h3) inside a page's h2 is not larger than it.
    sizes: { h1: { fontSize: '1.5rem' }, h2: { fontSize: '1.0625rem' }, h3: { fontSize: '1rem' } },
  },
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  components: {
    Button: { defaultProps: { size: 'sm' } },
    TextInput: { defaultProps: { size: 'sm' } },
    PasswordInput: { defaultProps: { size: 'sm' } },
    NativeSelect: { defaultProps: { size: 'sm' } },
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', highlightOnHover: true } },
    Badge: { defaultProps: { variant: 'light', radius: 'sm', tt: 'none' } },
    Modal: { defaultProps: { centered: true } },
  },
})

/**
 * Mantine's default secondary text (gray.6) and error text (red.6) reach only about 3.3:1 on white; these
 * shades reach AA on the light and dark page backgrounds.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-8)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
  },
})

/** Tones used for status badges and alerts across the app, mapped to theme palettes. */
export const toneColor = {
  success: 'green',
  warning: 'orange',
  danger: 'red',
  info: 'indigo',
  neutral: 'gray',
} as const

export type Tone = keyof typeof toneColor
