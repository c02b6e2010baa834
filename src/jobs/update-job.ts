// The one way a job record changes: read, decide from what was read, write conditional on its ETag. A lost race
// is re-read and re-decided (the other writer may have made our change moot), never overwritten.
import { JobsError } from './errors.js';
import type { JobRecord, StoredJob } from './job-record.js';
import { canTransition, isFinal } from './job-state.js';
import type { JobStore } from './job-store.port.js';

/** Returns the next record, or undefined to leave the record as it is. */
export type Decide = (current: JobRecord) => JobRecord | undefined;

export interface UpdateOutcome {
  stored: StoredJob;
  changed: boolean;
}

const MAX_ATTEMPTS = 5;

export async function updateJob(store: JobStore, idOrStored: string | StoredJob, decide: Decide): Promise<UpdateOutcome | undefined> {
  let current = typeof idOrStored === 'string' ? await store.get(idOrStored) : idOrStored;
  for (let attempt = 1; current; attempt++) {
    const next = isFinal(current.record.state) ? undefined : decide(current.record);
    if (!next) return { stored: current, changed: false };
    if (next.state !== current.record.state && !canTransition(current.record.state, next.state)) {
      return { stored: current, changed: false };
    }
    try {
      return { stored: await store.replace(current, next), changed: true };
    } catch (error) {
      if ((error as JobsError).code !== 'CONCURRENT_UPDATE' || attempt >= MAX_ATTEMPTS) throw error;
      current = await store.get(current.record.id);
    }
  }
  return undefined;
}
