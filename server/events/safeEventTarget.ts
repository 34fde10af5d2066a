// The pubsub's event target. A subscriber's queue holds at most 1,024 undelivered events (graphql-yoga's
// Repeater); beyond that its listener throws, and Node's EventTarget rethrows a listener's error on
// the next tick — which ends the server for every user. Here such an error is logged and that
// subscriber misses the event; the others, and the process, carry on.
import type { Logger } from '../logger.ts'

type Listener = EventListenerOrEventListenerObject

export class SafeEventTarget extends EventTarget {
  private readonly wrapped = new WeakMap<Listener, EventListener>()

  constructor(private readonly logger: Logger) {
    super()
  }

  override addEventListener(type: string, listener: Listener | null, options?: AddEventListenerOptions | boolean): void {
    if (!listener) return
    let safe = this.wrapped.get(listener)
    if (!safe) {
      safe = (event: Event) => {
        try {
          if (typeof listener === 'function') listener(event)
          else listener.handleEvent(event)
        } catch (err) {
          this.logger.warn({ err, topic: type }, 'a subscriber fell too far behind; it misses this event')
        }
      }
      this.wrapped.set(listener, safe)
    }
    super.addEventListener(type, safe, options)
  }

  override removeEventListener(type: string, listener: Listener | null, options?: EventListenerOptions | boolean): void {
    if (!listener) return
    super.removeEventListener(type, this.wrapped.get(listener) ?? listener, options)
  }
}
