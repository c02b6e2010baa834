// Routes for Batch pools: get, list, resize and stop-resize. Error codes are Batch's own (BatchErrorCodeStrings:
// PoolNotFound, PoolBeingResized, ConditionNotMet, InvalidPropertyValue).
import type { SimClock } from '../sim-clock.js';
import type { Route } from '../route.js';
import type { BatchModel } from './batch-model.js';
import { batchElement, batchEmpty, batchError, batchNotFound, versionHeaders } from './batch-response.js';
import { toWirePool } from './batch-wire.js';
import { listResponse } from './batch-list.js';

const deallocationOptions = new Set(['requeue', 'terminate', 'taskcompletion', 'retaineddata']);

export function poolRoutes(model: BatchModel, clock: SimClock): Route[] {
  const now = (): number => clock.now().getTime();
  return [
    {
      method: 'GET',
      pattern: '/pools',
      operation: 'batch.pool.list',
      family: 'batch',
      handle(req) {
        model.sync(now());
        return listResponse(req, [...model.pools.values()].map((p) => toWirePool(p, req.baseUrl)), 'pools');
      },
    },
    {
      method: 'GET',
      pattern: '/pools/{poolId}',
      operation: 'batch.pool.get',
      family: 'batch',
      handle(req) {
        model.sync(now());
        const pool = model.pool(req.params.poolId ?? '');
        if (!pool) return batchNotFound(req.baseUrl, 'pool');
        return batchElement(req.baseUrl, 'pools', toWirePool(pool, req.baseUrl), pool, req.query.get('$select'));
      },
    },
    {
      method: 'POST',
      pattern: '/pools/{poolId}/resize',
      operation: 'batch.pool.resize',
      family: 'batch',
      handle(req) {
        const t = now();
        model.sync(t);
        const pool = model.pool(req.params.poolId ?? '');
        if (!pool) return batchNotFound(req.baseUrl, 'pool');
        const body = (req.body ?? {}) as { targetDedicatedNodes?: unknown; targetLowPriorityNodes?: unknown; nodeDeallocationOption?: unknown };
        const target = body.targetDedicatedNodes ?? 0;
        if (typeof target !== 'number' || !Number.isInteger(target) || target < 0) {
          return batchError(req.baseUrl, 400, 'InvalidPropertyValue', 'targetDedicatedNodes must be a whole number of 0 or more.', [
            { key: 'PropertyName', value: 'targetDedicatedNodes' },
          ]);
        }
        const option = String(body.nodeDeallocationOption ?? 'requeue').toLowerCase();
        if (!deallocationOptions.has(option)) {
          return batchError(req.baseUrl, 400, 'InvalidPropertyValue', 'nodeDeallocationOption must be requeue, terminate, taskcompletion or retaineddata.', [
            { key: 'PropertyName', value: 'nodeDeallocationOption' },
          ]);
        }
        const ifMatch = req.headers['if-match'];
        if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch !== pool.eTag) {
          return batchError(req.baseUrl, 412, 'ConditionNotMet', 'The condition specified using HTTP conditional header(s) is not met.');
        }
        if (pool.allocationState !== 'steady') {
          return batchError(req.baseUrl, 409, 'PoolBeingResized', 'The specified pool is being resized; a pool can be resized only when its allocation state is steady.');
        }
        model.resizePool(pool, target, option, t);
        return batchEmpty(202, { ...versionHeaders(pool), DataServiceId: `${req.baseUrl}/pools/${pool.spec.id}/resize` });
      },
    },
    {
      method: 'POST',
      pattern: '/pools/{poolId}/stopresize',
      operation: 'batch.pool.stopResize',
      family: 'batch',
      handle(req) {
        const t = now();
        model.sync(t);
        const pool = model.pool(req.params.poolId ?? '');
        if (!pool) return batchNotFound(req.baseUrl, 'pool');
        model.stopResize(pool, t);
        return batchEmpty(202, { ...versionHeaders(pool), DataServiceId: `${req.baseUrl}/pools/${pool.spec.id}/stopresize` });
      },
    },
  ];
}
