// The Azure Batch data plane of the local emulator: pools, jobs and tasks over REST (mounted at the URL root by the
// emulator server), with nodes and task runs in simulated time driven by the emulator's clock.
import type { Route } from '../route.js';
import type { SimClock } from '../sim-clock.js';
import { BatchModel } from './batch-model.js';
import type { PoolSpec } from './batch-records.js';
import { nodeState } from './batch-wire.js';
import { jobRoutes } from './job-routes.js';
import { poolRoutes } from './pool-routes.js';
import { taskRoutes } from './task-routes.js';
import { fileRoutes } from './file-routes.js';

export type { PoolSpec } from './batch-records.js';

export interface BatchEmulator {
  routes: Route[];
  createPool(o: PoolSpec): void;
  state(): BatchState;
  reset(): void;
  /** Running tasks interrupted by a shrinking resize (requeued or terminated): the number we promise stays 0. */
  killedTasks(): number;
}

export interface BatchState {
  pools: {
    id: string;
    vmSize: string;
    gpusPerNode: number;
    cpusPerNode: number;
    memoryGiBPerNode: number;
    taskSlotsPerNode: number;
    allocationState: string;
    targetDedicatedNodes: number;
    currentDedicatedNodes: number;
    nodes: { id: string; state: string; usedSlots: number; tasks: string[] }[];
  }[];
  jobs: { id: string; poolId: string; state: string }[];
  tasks: { jobId: string; id: string; state: string; exitCode?: number; retryCount: number; requeueCount: number; nodeId?: string }[];
  killedTasks: number;
  requeuedTasks: number;
  terminatedByResize: number;
}

export function createBatchEmulator(clock: SimClock): BatchEmulator {
  const model = new BatchModel(clock.now().getTime());
  clock.onAdvance((now) => model.sync(now.getTime()));

  return {
    routes: [...poolRoutes(model, clock), ...jobRoutes(model, clock), ...taskRoutes(model, clock), ...fileRoutes(model, clock)],
    createPool: (o) => model.createPool(o),
    reset: () => model.reset(clock.now().getTime()),
    killedTasks: () => model.counts.killedTasks,
    state() {
      const now = clock.now().getTime();
      model.sync(now);
      return {
        pools: [...model.pools.values()].map((p) => ({
          id: p.spec.id,
          vmSize: p.spec.vmSize,
          gpusPerNode: p.spec.gpusPerNode,
          cpusPerNode: p.spec.cpusPerNode,
          memoryGiBPerNode: p.spec.memoryGiBPerNode,
          taskSlotsPerNode: p.taskSlotsPerNode,
          allocationState: p.allocationState,
          targetDedicatedNodes: p.targetDedicatedNodes,
          currentDedicatedNodes: p.nodes.length,
          nodes: p.nodes.map((n) => ({ id: n.id, state: nodeState(n, now), usedSlots: n.usedSlots, tasks: [...n.taskKeys] })),
        })),
        jobs: [...model.jobs.values()].map((j) => ({ id: j.id, poolId: j.poolId, state: j.state })),
        tasks: [...model.tasks.values()].map((t) => ({
          jobId: t.jobId,
          id: t.id,
          state: t.state,
          exitCode: t.execution.exitCode,
          retryCount: t.execution.retryCount,
          requeueCount: t.execution.requeueCount,
          nodeId: t.nodeInfo?.nodeId,
        })),
        ...model.counts,
      };
    },
  };
}
