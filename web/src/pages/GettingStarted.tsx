// The empty library: what to do first, in order.
import { Link } from '../lib/router.tsx'
import { agentWatchCommand } from '../lib/agentCommands.ts'
import styles from './GettingStarted.module.css'

export function GettingStarted({ hasToken, hasIntegration }: { hasToken: boolean; hasIntegration: boolean }) {
  return (
    <section className={`card ${styles.card}`} aria-labelledby="start-title" data-testid="getting-started">
      <div>
        <h2 id="start-title">Bring in your first notebook</h2>
        <p className={styles.lede}>The desktop agent mirrors the reMarkable app's folder on your computer. Notebooks appear here as they upload — no reload needed.</p>
      </div>
      <ol className={styles.steps}>
        <li data-done={hasToken}>
          <span className={styles.num} aria-hidden="true">{hasToken ? '✓' : '1'}</span>
          <div>
            <h3>Make an API token for the agent</h3>
            <p>{hasToken ? 'Done — you have a token. Make another any time.' : 'It is shown once, with the commands to run.'}</p>
            <Link to="/dashboard/settings/tokens" className={`btn ${hasToken ? '' : 'btn-primary'} btn-sm ${styles.action}`}>{hasToken ? 'Manage tokens' : 'Make a token'}</Link>
          </div>
        </li>
        <li>
          <span className={styles.num} aria-hidden="true">2</span>
          <div>
            <h3>Run the agent on your reMarkable folder</h3>
            <p>After <code>login</code>, keep this running; it uploads every change.</p>
            <code className={styles.cmd}>{agentWatchCommand()}</code>
          </div>
        </li>
        <li data-done={hasIntegration}>
          <span className={styles.num} aria-hidden="true">{hasIntegration ? '✓' : '3'}</span>
          <div>
            <h3>Connect Notion</h3>
            <p>{hasIntegration ? 'Connected — pages sync the moment their text is ready.' : 'Each notebook becomes a Notion page; todos and highlights follow.'}</p>
          </div>
        </li>
      </ol>
    </section>
  )
}
