// Azure Monitor-style CPU autoscale removes the highest instance id on scale-in, whatever its sessions. On this
// trace it must: the morning burst forces a second VM, SSH users land on both VMs, and once the burst leaves the
// average CPU is below 30 % with sessions on the VM that goes. Our policy, on the same trace, kills none.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMINGS } from '../../../src/local/emulator/compute/pool-model.js';
import { poolModelFactory } from '../../../src/local/simulator/simulate-files.js';
import { defaultPolicy } from '../../../src/simulator/policy-file.js';
import { simulate } from '../../../src/simulator/simulation.js';
import { traceOf, type TraceSession } from '../../../src/simulator/trace.js';

const t = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00Z`);

describe('CPU-autoscale baseline', () => {
  const burst: TraceSession[] = ['a', 'b', 'c', 'd', 'e'].map((u) => ({ user: u, kind: 'jupyter', start: t('09:00'), end: t('10:00') }));
  // Eight SSH users arrive one a minute once the second VM is up; 8 SSH sessions ≈ 2 × 2 % + 8 × 6 % = 26 % average.
  const ssh: TraceSession[] = Array.from({ length: 8 }, (_, i) => ({ user: `s${i}`, kind: 'ssh', start: t(`09:${10 + i}`), end: t('17:00') }));
  const trace = traceOf([...burst, ...ssh], { start: t('00:00'), end: Date.parse('2026-03-03T00:00:00Z') });

  it('kills the sessions on the VM its scale-in removes; ours kills none on the same trace', () => {
    const r = simulate({
      trace,
      policy: defaultPolicy(),
      newPool: poolModelFactory(),
      bootSeconds: DEFAULT_TIMINGS.bootSeconds,
      baselines: ['cpu-autoscale'],
      cpuRules: { maxInstances: 2 },
    });
    const cpu = r.runs.find((x) => x.policy === 'cpu-autoscale')!;
    const ours = r.runs.find((x) => x.policy === 'dsvm-pool')!;
    expect(cpu.scaleActions.out).toBeGreaterThanOrEqual(1);
    expect(cpu.scaleActions.in).toBeGreaterThanOrEqual(1);
    expect(cpu.killedSessions).toBeGreaterThan(0);
    expect(ours.killedSessions).toBe(0);
  });

  it('never goes below one VM: it cannot scale from zero', () => {
    const quiet = traceOf([], { start: t('00:00'), end: Date.parse('2026-03-03T00:00:00Z') });
    const r = simulate({ trace: quiet, policy: defaultPolicy(), newPool: poolModelFactory(), bootSeconds: 180, baselines: ['cpu-autoscale'] });
    expect(r.runs.find((x) => x.policy === 'cpu-autoscale')!.vmHours).toBe(24);
  });
});
