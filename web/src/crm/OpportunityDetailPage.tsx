export function OpportunityDetailPage() { return <p>Loading…</p> }
