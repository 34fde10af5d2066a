// One labelled on/off switch with a hint under its label, as every target card's settings use.
import styles from './Integrations.module.css'

export function Switch(props: { label: string; hint: string; checked: boolean; busy: boolean; onChange: () => void }) {
  return (
    <label className={styles.switchRow}>
      <span className={styles.switchText}>
        <span className={styles.choiceLabel}>{props.label}</span>
        <span className={styles.choiceHint}>{props.hint}</span>
      </span>
      <input type="checkbox" role="switch" className={styles.switch} checked={props.checked} disabled={props.busy} onChange={props.onChange} aria-label={props.label} />
    </label>
  )
}
