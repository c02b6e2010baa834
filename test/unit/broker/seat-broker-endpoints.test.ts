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

async function evaluate(previous: PoolView | undefined, nat: NatEndpointReader, ids: string[], o: Partial<Evaluated> = {}) {
  const { broker, written } = setup(previous, nat);
  const p = policy({ target: TARGET });
  const facts = await broker.facts('pool', p, NOW, {});
  const e: Evaluated = { pool: 'pool', policy: p, now: NOW, observation: observation(ids.map((id) => vm(id, { state: 'running' }))), acted: { steps: [], actedOut: false, actedIn: false }, facts, ...o };
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

  it('asks again for a VM the previous view knew only one kind of endpoint for', async () => {
    const first = await evaluate(undefined, recordingReader().reader, ['0', '1']);
    const partial = { ...first, instances: first.instances.map((i) => (i.instanceId === '1' ? { ...i, endpoints: { ssh: i.endpoints.ssh } } : i)) };
    const { reader, asked } = recordingReader();
    await evaluate(partial, reader, ['0', '1']);
    expect(asked).toEqual([['1']]);
  });

  it('does not ask for a VM being deleted', async () => {
    const { reader, asked } = recordingReader();
    await evaluate(undefined, reader, [], { observation: observation([vm('0', { state: 'running' }), vm('1', { state: 'deleting' })]) });
    expect(asked).toEqual([['0']]);
  });

  it('asks for the VMs listed after a scale-out', async () => {
    const { reader, asked } = recordingReader();
    const instancesAfter = [{ instanceId: '0', state: 'running' }, { instanceId: '5', state: 'creating' }] as Evaluated['instancesAfter'];
    await evaluate(undefined, reader, ['0'], { instancesAfter });
    expect(asked).toEqual([['0', '5']]);
  });

  it('asks nothing for a scale set that is gone', async () => {
    const { reader, asked } = recordingReader();
    // Observing it failed with NOT_FOUND: nothing is listed.
    await evaluate(undefined, reader, [], { observation: undefined, scaleSetMissing: true });
    expect(asked).toEqual([]);
  });
});
