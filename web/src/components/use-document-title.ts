import { useEffect } from 'react'

/** Names the browser tab after the page, which is also what screen readers announce on navigation. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · CRM` : 'CRM'
  }, [title])
}
