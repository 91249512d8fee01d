export function MyOpportunitiesPage() { return <p>Loading…</p> }
