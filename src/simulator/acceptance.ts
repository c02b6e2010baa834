// The "Done when" criteria for our policy on one trace, computed from a simulation result so the report,
// the tests and the README state the same verdicts.
import type { RunSummary, SimulationResult } from './simulation.js';

export interface AcceptanceCheck {
  criterion: string;
  pass: boolean;
  detail: string;
}

export const ORACLE_RATIO_TARGET = 1.25;
/** The connection broker's goal (issue "Connection broker"): VM-hours within 10 % of the oracle. */
export const BROKER_ORACLE_RATIO_TARGET = 1.1;

export function acceptanceChecks(result: SimulationResult, ours = 'dsvm-pool'): AcceptanceCheck[] {
  const run = (name: string): RunSummary | undefined => result.runs.find((r) => r.policy === name);
  const us = run(ours);
  if (!us) return [];
  const checks: AcceptanceCheck[] = [
    { criterion: 'no killed sessions', pass: us.killedSessions === 0, detail: `${us.killedSessions} killed` },
    {
      criterion: `p95 seat wait ≤ VM boot time (${result.bootSeconds} s)`,
      pass: us.waits.p95Seconds <= result.bootSeconds,
      detail: `p95 ${us.waits.p95Seconds.toFixed(0)} s`,
    },
  ];
  if (run('oracle')) {
    checks.push({
      criterion: `VM-hours ≤ ${ORACLE_RATIO_TARGET}× oracle`,
      pass: us.oracleRatio <= ORACLE_RATIO_TARGET,
      detail: `${us.oracleRatio.toFixed(2)}× (${us.vmHours.toFixed(1)} h vs ${run('oracle')?.vmHours.toFixed(1)} h)`,
    });
    checks.push({
      criterion: `VM-hours ≤ ${BROKER_ORACLE_RATIO_TARGET}× oracle (broker goal)`,
      pass: us.oracleRatio <= BROKER_ORACLE_RATIO_TARGET,
      detail: `${us.oracleRatio.toFixed(2)}×`,
    });
  }
  for (const name of ['lb-random', 'always-on', 'office-hours', 'cpu-autoscale']) {
    const other = run(name);
    if (!other) continue;
    checks.push({
      criterion: `cheaper than ${name}`,
      pass: us.cost.total < other.cost.total,
      detail: `$${us.cost.total.toFixed(2)} vs $${other.cost.total.toFixed(2)}`,
    });
  }
  return checks;
}
