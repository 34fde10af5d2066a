import { Link } from '../lib/router.tsx'

export function NotFound() {
  return (
    <main style={{ maxWidth: 480, margin: '20vh auto', padding: '0 1rem', display: 'grid', gap: '1rem' }}>
      <h1>Nothing here</h1>
      <p className="muted">This address does not lead to a page of the dashboard.</p>
      <p><Link to="/dashboard">Go to your notebooks</Link></p>
    </main>
  )
}
