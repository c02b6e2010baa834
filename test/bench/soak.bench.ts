// The job-service soak at full size: 300 jobs through HTTP → queue → dispatch → the Batch emulator → sync, under 10%
// Batch 503/429 and dropped connections, a 3-minute Batch outage and a host restart (test/support/soak.ts). Prints
// what was lost, duplicated or left unfinished (all must be 0), with wall time, throughput and Batch calls per job.
import { runSoak } from '../support/soak.js';

const JOBS = 300;

export async function bench(): Promise<void> {
  const r = await runSoak({ jobs: JOBS, maxTicks: 150, log: (line) => console.log(`  ${line}`) });
  const row = (k: string, v: string | number) => console.log(`| ${k} | ${v} |`);
  console.log('| measurement | value |');
  console.log('| --- | --- |');
  row('jobs submitted / listed', `${r.submitted} / ${r.listed}`);
  row('final states', JSON.stringify(r.states));
  row('lost jobs', r.lost.length);
  row('jobs with more than one Batch task', r.duplicated.length);
  row('jobs not final', r.notFinal.length);
  row('fewest dispatch attempts of a job submitted during the outage', r.attemptsDuringOutage);
  row('injected 503/429/dropped Batch calls (outage excluded)', r.faultsInjected);
  row('Batch calls in all / per job', `${r.batchCalls} / ${(r.batchCalls / r.submitted).toFixed(2)}`);
  row('sync ticks (simulated minutes)', r.ticks);
  row('host restarts', r.restarts);
  row('wall time (s)', r.wallSeconds.toFixed(1));
  row('jobs/s (submitted to all final, wall)', (r.submitted / r.wallSeconds).toFixed(2));
  if (r.lost.length || r.duplicated.length || r.notFinal.length || r.submitted !== JOBS) {
    throw new Error(`soak failed: lost ${r.lost.join(', ')}; duplicated ${r.duplicated.join(', ')}; not final ${r.notFinal.join(', ')}`);
  }
}
