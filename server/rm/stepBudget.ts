import { BudgetExhausted } from './errors.ts'

/**
 * Counts work done on behalf of one input. Every loop whose length comes from the
 * file spends from it, so no input can make the reader run unbounded.
 */
export class StepBudget {
  private used = 0

  constructor(readonly maxSteps: number) {}

  spend(steps = 1): void {
    this.used += steps
    if (this.used > this.maxSteps) throw new BudgetExhausted(this.maxSteps)
  }

  get stepsUsed(): number {
    return this.used
  }
}

/** Generous for real pages (work is roughly linear in bytes), small enough to stop pathological ones. */
export function defaultMaxSteps(byteLength: number): number {
  return 1_000_000 + 64 * byteLength
}
