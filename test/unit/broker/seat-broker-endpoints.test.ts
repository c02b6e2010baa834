// The per-VM NAT endpoints an evaluation puts into the pool view: asked of the load balancer only for VMs the last view
// did not map (so a steady pool makes no Network call), carried for the others, and never a reason to fail.
import { describe, expect, it } from 'vitest';
import type { Evaluated } from '../../../src/autoscale/seat-broker.port.js';
import type { BrokerStore, PoolPartition } from '../../../src/broker/broker-store.port.js';
import type { InstanceEndpoints, NatEndpointReader } from '../../../src/broker/nat-endpoints.port.js';
import type { PoolView } from '../../../src/broker/pool-view.js';
import { createSeatBroker } from '../../../src/broker/seat-broker.js';
import type { VmReportStore } from '../../../src/broker/vm-report.js';
import { NOW, observation, policy, TARGET, vm } from '../autoscale/factories.js';

const endpoint = (port: number): InstanceEndpoints => ({ ssh: { address: 'pool.example', port }, jupyter: { address: 'pool.example', port: port + 1000 } });

function setup(previous: PoolView | undefined, nat: NatEndpointReader) {
  const written: PoolView[] = [];
  const partition: PoolPartition = { view: previous, seats: [], waiting: [] };
  const store: BrokerStore = {
    read: async () => partition,
    writeSeats: async () => {},
    writeWaiting: async () => {},
    removeWaiting: async () => {},
    writeView: async (v) => void written.push(v),
    removeSeats: async () => {},
  };
  const reports: VmReportStore = { list: async () => [], remove: async () => {} } as unknown as VmReportStore;
  return { broker: createSeatBroker(store, reports, nat), written };
}

/** A reader that records what it was asked and answers port 50000 + instance id. */
function recordingReader(fail = false) {
  const asked: string[][] = [];
  const reader: NatEndpointReader = {
    async read(scaleSetId, ids) {
      expect(scaleSetId).toBe(TARGET);
      asked.push([...ids]);
      if (fail) throw Object.assign(new Error('throttled'), { code: 'ARM_THROTTLED' });
      return new Map(ids.map((id) => [id, endpoint(50000 + Number(id))]));
    },
  };
  return { reader, asked };
}

async function evaluate(previous: PoolView | undefined, nat: NatEndpointReader, ids: string[]) {
  const { broker, written } = setup(previous, nat);
  const p = policy({ target: TARGET });
  const facts = await broker.facts('pool', p, NOW, {});
  const e: Evaluated = { pool: 'pool', policy: p, now: NOW, observation: observation(ids.map((id) => vm(id, { state: 'running' }))), acted: { steps: [], actedOut: false, actedIn: false }, facts };
  await broker.evaluated(e, {});
  return written[0]!;
}

describe('per-VM endpoints in the pool view', () => {
  it('asks the load balancer for every VM of a first view and writes what it answers', async () => {
    const { reader, asked } = recordingReader();
    const view = await evaluate(undefined, reader, ['0', '1']);
    expect(asked).toEqual([['0', '1']]);
    expect(view.instances.map((i) => [i.instanceId, i.endpoints])).toEqual([['0', endpoint(50000)], ['1', endpoint(50001)]]);
  });

  it('asks only for VMs the previous view had not mapped, and carries the others unchanged', async () => {
    const first = await evaluate(undefined, recordingReader().reader, ['0']);
    const { reader, asked } = recordingReader();
    const view = await evaluate(first, reader, ['0', '2']);
    expect(asked).toEqual([['2']]);
    expect(Object.fromEntries(view.instances.map((i) => [i.instanceId, i.endpoints.ssh?.port]))).toEqual({ 0: 50000, 2: 50002 });
  });

  it('makes no call at all when every VM is mapped already', async () => {
    const first = await evaluate(undefined, recordingReader().reader, ['0', '1']);
    const { reader, asked } = recordingReader();
    await evaluate(first, reader, ['0', '1']);
    expect(asked).toEqual([]);
  });

  it('writes the view without endpoints when the load balancer cannot be read, and asks again next time', async () => {
    const { reader, asked } = recordingReader(true);
    const view = await evaluate(undefined, reader, ['0']);
    expect(view.instances.map((i) => i.endpoints)).toEqual([{}]);
    await evaluate(view, reader, ['0']);
    expect(asked).toEqual([['0'], ['0']]);
  });
});
