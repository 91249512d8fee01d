export function AdminOpportunityPage() { return <p>Loading…</p> }
