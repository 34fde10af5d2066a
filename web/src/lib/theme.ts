// Light, dark, or the system's choice (the default); remembered per browser.
import { useEffect, useState } from 'react'

export type ThemeChoice = 'system' | 'light' | 'dark'
const KEY = 'rmirror.theme'
const media = () => window.matchMedia('(prefers-color-scheme: dark)')

function apply(choice: ThemeChoice) {
  const dark = choice === 'dark' || (choice === 'system' && media().matches)
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

export function readThemeChoice(): ThemeChoice {
  const stored = window.localStorage.getItem(KEY)
  return stored === 'light' || stored === 'dark' ? stored : 'system'
}

/** Applies the stored choice before the first render, and follows the system while on "system". */
export function initTheme() {
  apply(readThemeChoice())
  media().addEventListener('change', () => apply(readThemeChoice()))
}

export function useTheme(): [ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(readThemeChoice)
  useEffect(() => apply(choice), [choice])
  return [
    choice,
    (next) => {
      if (next === 'system') window.localStorage.removeItem(KEY)
      else window.localStorage.setItem(KEY, next)
      setChoice(next)
    },
  ]
}
