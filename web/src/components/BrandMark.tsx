// The product's mark in the header and on the sign-in pages: a "C" on the primary colour (decorative).
import { ThemeIcon } from '@mantine/core'

export function BrandMark() {
  return (
    <ThemeIcon size={28} radius={7} fw={700} aria-hidden="true">
      C
    </ThemeIcon>
  )
}
