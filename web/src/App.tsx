import { useEffect, useState } from 'react'

type Health = { status: string; database?: string; migrations?: string; version?: string }

// Placeholder until the dashboard lands: shows that the server answers and the database is ready.
export function App() {
  const [health, setHealth] = useState<Health | null>(null)
  useEffect(() => {
    fetch('/healthz')
      .then((r) => r.json())
      .then(setHealth)
      .catch(() => setHealth({ status: 'unreachable' }))
  }, [])
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', lineHeight: 1.5 }}>
      <h1>rmirror</h1>
      <p>Your reMarkable notes, as text, todos and highlights — synced to Notion.</p>
      <p data-testid="health">Server: {health ? health.status : 'checking…'}{health?.version ? ` (v${health.version})` : ''}</p>
      <p>
        The API is at <a href="/graphql">/graphql</a>.
      </p>
    </main>
  )
}
