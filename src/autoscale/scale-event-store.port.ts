// The `scaleevents` log: appended per evaluation that acted, wanted to act or failed; read newest first.
import type { ScaleEvent } from './scale-event.js';

export interface ScaleEventPage {
  events: ScaleEvent[];
  continuationToken?: string;
}

export interface ScaleEventStore {
  append(event: ScaleEvent): Promise<void>;
  /** Events of a pool at or after `from`, newest first (for cooldowns and wake requests). */
  since(pool: string, from: Date): Promise<ScaleEvent[]>;
  /** One page of a pool's events, newest first. */
  page(pool: string, options: { top: number; continuationToken?: string }): Promise<ScaleEventPage>;
}
