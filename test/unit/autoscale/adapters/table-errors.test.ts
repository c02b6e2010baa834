// Table Storage trouble in the autoscale stores is classified (STORAGE_THROTTLED / STORAGE_UNAVAILABLE), never INTERNAL.
import { describe, expect, it } from 'vitest';
import { createPolicyStore } from '../../../../src/azure/policy-store.js';
import { createScaleEventStore } from '../../../../src/azure/scale-events.js';
import { createTableLease } from '../../../../src/azure/table-lease.js';
import { classifyTableError } from '../../../../src/azure/table-errors.js';
import { failingTable, restError } from '../../../support/failing-table.js';

describe('autoscale stores classify Table Storage errors', () => {
  it.each([
    [429, 'STORAGE_THROTTLED'],
    [503, 'STORAGE_THROTTLED'],
    [500, 'STORAGE_UNAVAILABLE'],
    [400, 'STORAGE_FAILED'],
  ])('%i → %s on every store call', async (status, code) => {
    const table = failingTable(restError(status));
    const policies = createPolicyStore(table);
    const events = createScaleEventStore(table);
    const leases = createTableLease(table);
    const calls = [
      policies.list(), policies.get('p'), policies.put('p', {}),
      events.since('p', new Date(0)), events.page('p', { top: 1 }),
      events.append({ pool: 'p', at: new Date(0), kind: 'wake', trigger: 'wake', outcome: 'requested', direction: 'none', reason: 'r', actedIn: false, actedOut: false, durationMs: 0 }),
      leases.acquire('p', 'h', new Date(0), 1000),
    ];
    for (const call of calls) await expect(call).rejects.toMatchObject({ name: 'AutoscaleError', code });
  });

  it('calls a refused connection STORAGE_UNAVAILABLE', () => {
    expect(classifyTableError('x', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })).code).toBe('STORAGE_UNAVAILABLE');
  });

  it('calls a request abandoned after the storage timeout STORAGE_UNAVAILABLE, in words that name the setting', () => {
    const abandoned = Object.assign(new Error('The operation was aborted. Rejecting from abort signal callback while making request.'), { name: 'AbortError' });
    const e = classifyTableError('reading policies', abandoned);
    expect(e.code).toBe('STORAGE_UNAVAILABLE');
    expect(e.message).toBe('reading policies: storage did not answer in time (DSVMPOOL_STORAGE_TIMEOUT_SECONDS), so the request was abandoned');
    // An abort with an HTTP status is not the timeout: a 404 stays what it is.
    expect(classifyTableError('x', Object.assign(new Error('gone'), { name: 'AbortError', statusCode: 404 })).code).toBe('STORAGE_FAILED');
  });
});
