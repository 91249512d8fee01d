export function AllOpportunitiesTab() { return <p>Loading…</p> }
