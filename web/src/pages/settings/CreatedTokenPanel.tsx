// A token just made: the only time it exists in plain text. Shown with the agent's commands.
import { useEffect, useRef } from 'react'
import { CopyField } from '../../components/CopyField.tsx'
import { agentLoginCommand, agentWatchCommand } from '../../lib/agentCommands.ts'
import type { CreatedToken } from './NewTokenForm.tsx'
import styles from './ApiTokens.module.css'

export function CreatedTokenPanel({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className={styles.created} data-testid="created-token">
      <div className="notice notice-success" role="status">
        <h3 ref={heading} tabIndex={-1} className={styles.createdTitle}>“{created.name}” is ready</h3>
        <p>Copy it now: it is shown only this once. If you lose it, revoke it and make another.</p>
      </div>
      <CopyField label="Token" value={created.token} testId="new-token-value" />
      {created.scopes.includes('agent') && (
        <div className={styles.commands}>
          <p className={styles.commandsLead}>On the computer with the reMarkable desktop app, in the rmirror folder:</p>
          <CopyField label="1. Log the agent in" value={agentLoginCommand(created.token)} testId="agent-login-command" />
          <CopyField label="2. Mirror your notebooks (keeps running)" value={agentWatchCommand()} testId="agent-watch-command" />
        </div>
      )}
      <div>
        <button className="btn" onClick={onDone}>Done</button>
      </div>
    </div>
  )
}
