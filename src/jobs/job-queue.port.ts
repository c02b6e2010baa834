// The `jobs` queue: one message `{ "jobId": "…" }` per job to dispatch (base64 JSON on the wire).
export interface JobQueue {
  /** Sends `{ jobId }`; with `delaySeconds` the message stays invisible that long (at most 7 days in Azure). */
  enqueue(jobId: string, options?: { delaySeconds?: number }): Promise<void>;
}

export interface DispatchMessage {
  jobId: string;
}

/** Reads a queue message body (already decoded by the trigger, or a raw string/object). */
export function parseDispatchMessage(body: unknown): DispatchMessage | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      try {
        value = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
      } catch {
        return undefined;
      }
    }
  }
  const jobId = (value as { jobId?: unknown } | null)?.jobId;
  return typeof jobId === 'string' && jobId.length > 0 && jobId.length < 100 ? { jobId } : undefined;
}
