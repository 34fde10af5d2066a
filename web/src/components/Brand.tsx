import { Link } from '../lib/router.tsx'
import styles from './Brand.module.css'

/** The product's mark and name, linking home. */
export function Brand() {
  return (
    <Link to="/dashboard" className={styles.brand} aria-label="rmirror, home">
      <svg className={styles.mark} viewBox="0 0 24 24" aria-hidden="true">
        <rect x="4" y="2.5" width="13" height="19" rx="2.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
        <path d="M7.5 8h6M7.5 11.5h6M7.5 15h3.5" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        <path d="M19.5 7.5v9" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" opacity="0.55" />
      </svg>
      <span>rmirror</span>
    </Link>
  )
}
