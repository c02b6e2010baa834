// Who may see a job: its owner, or an admin.
import type { JobRecord } from './job-record.js';

export interface Viewer {
  user: string;
  isAdmin: boolean;
}

export function visibleTo(record: JobRecord, viewer: Viewer): boolean {
  return viewer.isAdmin || record.user === viewer.user;
}
