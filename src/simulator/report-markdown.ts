// The report as Markdown: one row per policy with the figures an admin asks for, then the acceptance verdicts.
import { acceptanceChecks } from './acceptance.js';
import type { SimulationResult } from './simulation.js';

export function renderMarkdown(result: SimulationResult, chartFile?: string): string {
  const t = result.trace;
  const lines = [
    `# Simulation: ${t.name}`,
    '',
    `${t.sessions} sessions by ${t.users} users, ${t.periodStart} → ${t.periodEnd}; peak ${t.peakSessions} concurrent sessions ` +
      `= ${t.peakVms} VMs at ${result.seatsPerInstance} seats per VM. VM boot ${result.bootSeconds} s. ` +
      `Prices: ${result.prices.vmSize} $${result.prices.vmPerHour}/h, deallocated disk ${result.prices.diskSku} $${result.prices.diskPerHour}/h (estimates). Seed ${result.seed}.` +
      (result.metricDelaySeconds > 0 ? ` Session metric seen ${result.metricDelaySeconds} s late.` : ''),
    '',
    '| policy | VM-hours | × oracle | cost $ | waited | p50 wait s | p95 wait s | max wait s | killed | scale out/in | flaps | shortage session-h | over-seat session-h |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.runs.map((r) =>
      [
        r.policy,
        r.vmHours.toFixed(1),
        Number.isFinite(r.oracleRatio) ? r.oracleRatio.toFixed(2) : '∞',
        r.cost.total.toFixed(2),
        `${r.waits.waited}/${r.sessions}`,
        r.waits.p50Seconds.toFixed(0),
        r.waits.p95Seconds.toFixed(0),
        r.waits.maxSeconds.toFixed(0),
        String(r.killedSessions),
        `${r.scaleActions.out}/${r.scaleActions.in}`,
        String(r.flaps),
        r.seatShortageSessionHours.toFixed(1),
        r.overSeatSessionHours.toFixed(1),
      ].join(' | ').replace(/^/, '| ').concat(' |'),
    ),
    '',
  ];
  const checks = acceptanceChecks(result);
  if (checks.length > 0) {
    lines.push('## Done-when checks for dsvm-pool', '', ...checks.map((c) => `- ${c.pass ? '✅' : '❌'} ${c.criterion}: ${c.detail}`), '');
  }
  if (chartFile) lines.push(`![demand vs capacity](${chartFile})`, '');
  lines.push(
    'VM-hours count every hour a VM is billed for compute (booting, running, deallocating). Waits are seat waits: ',
    'from arrival until the pool (running VMs × seats) has a seat for the session, or, for a broker, until it connects the ',
    'person. Over-seat: sessions on a VM past its seats. Killed: sessions on a VM that was removed.',
    '',
  );
  return lines.join('\n');
}
