// The rows the post-provision hook seeds are valid policies by the app's own schema, and name the Batch pools
// that infra creates.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVmssPolicy } from '../../../src/autoscale/policy.js';
import { parsePolicy } from '../../../src/policies/policy.js';
import { infraDir, readBicep, variable } from '../../support/infra/bicep-text.js';

const outputs = {
  POOL_VMSS_ID: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-dsvm-abc',
  POOL_MAX_INSTANCES: '10',
  POOL_SEATS_PER_INSTANCE: '4',
  POOL_CONNECT_URL: 'https://dsvm-abc.westeurope.cloudapp.azure.com:8000',
  BATCH_GPU_POOL_VM_SIZE: 'Standard_NC4as_T4_v3',
  BATCH_GPU_POOL_MAX_NODES: '2',
  BATCH_CPU_POOL_VM_SIZE: 'Standard_D4s_v5',
  BATCH_CPU_POOL_MAX_NODES: '4',
};

function seedRows(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(infraDir, 'scripts/seed-policies.mjs'), '--print'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr, rows: run.status === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>[]) : [] };
}

describe('default policy rows', () => {
  const { rows, status, stderr } = seedRows(outputs);

  it('are printed without touching storage', () => {
    expect(status, stderr).toBe(0);
    expect(rows.map((r) => r.rowKey)).toEqual(['interactive', 'gpu', 'cpu']);
  });

  it.each(rows.map((r) => [String(r.rowKey), r] as const))('%s is valid by the policies schema', (_, row) => {
    const parsed = parsePolicy(row);
    expect(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.problems)).toBe(true);
    expect(row.partitionKey).toBe('pool');
  });

  it('spells the interactive pool with the default spare seats, idle window and parked VMs (the simulator study)', () => {
    const defaults = parseVmssPolicy({ kind: 'vmss', target: outputs.POOL_VMSS_ID });
    const seeded = parseVmssPolicy(rows.find((r) => r.rowKey === 'interactive')!);
    expect(defaults.ok && seeded.ok).toBe(true);
    if (!defaults.ok || !seeded.ok) return;
    const chosen = ({ spareSeats, idleMinutesBeforeScaleIn, maxDeallocated }: typeof defaults.value) => ({ spareSeats, idleMinutesBeforeScaleIn, maxDeallocated });
    expect(chosen(seeded.value)).toEqual(chosen(defaults.value));
  });

  it('names the Batch pools infra/app/batch.bicep creates, with their VM sizes', () => {
    const pools = variable(readBicep('app/batch.bicep'), 'pools') ?? '';
    const ids = [...pools.matchAll(/id:\s*'(\w+)'/g)].map((m) => m[1]);
    expect(rows.filter((r) => r.kind === 'batch').map((r) => r.poolId)).toEqual(ids);
    expect(rows.find((r) => r.poolId === 'gpu')).toMatchObject({ vmSize: 'Standard_NC4as_T4_v3', gpusPerNode: 1 });
    expect(rows.find((r) => r.poolId === 'cpu')).toMatchObject({ vmSize: 'Standard_D4s_v5', gpusPerNode: 0 });
  });

  it('fails with a clear message for a VM size it cannot describe', () => {
    const odd = seedRows({ ...outputs, BATCH_GPU_POOL_VM_SIZE: 'Standard_Unknown_v9' });
    expect(odd.status).not.toBe(0);
    expect(odd.stderr).toContain('BATCH_GPU_POOL_SHAPE');
    expect(seedRows({ ...outputs, BATCH_GPU_POOL_VM_SIZE: 'Standard_Unknown_v9', BATCH_GPU_POOL_SHAPE: '2,12,100' }).status).toBe(0);
  });
});
