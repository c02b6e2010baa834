// The policy study as Markdown: the ranking rule, the chosen candidate, the best candidates and the current default
// side by side, and the chosen candidate's figures per trace and delay.
import type { CandidateResult, FieldValue, SweepChoice } from './policy-sweep.js';

export interface SweepReportOptions {
  /** How many of the ranked candidates to list; default 10. */
  top?: number;
  /** The fields of the current default, marked in the table and always listed. */
  current?: Record<string, FieldValue>;
  bootSeconds: number;
}

export function renderSweepMarkdown(choice: SweepChoice, options: SweepReportOptions): string {
  const { ranked, chosen } = choice;
  const delays = Object.keys(chosen.summary.killedByDelay).map(Number).sort((a, b) => a - b);
  const traces = [...new Set(chosen.runs.map((r) => r.trace))];
  const seeds = [...new Set(chosen.runs.map((r) => r.seed))];
  const isCurrent = (c: CandidateResult): boolean =>
    options.current !== undefined && Object.entries(c.fields).every(([k, v]) => options.current?.[k] === v);
  const listed = ranked.slice(0, options.top ?? 10);
  const current = ranked.find(isCurrent);
  if (current && !listed.includes(current)) listed.push(current);
  const cheapest = [...ranked].sort((a, b) => a.summary.cost - b.summary.cost)[0];
  if (cheapest && !listed.includes(cheapest)) listed.push(cheapest);
  const fields = Object.keys(chosen.fields);
  const first = delays[0] ?? 0;

  const lines = [
    `# Default-policy study: ${ranked.length} candidates × ${traces.length} traces × delays ${delays.join('/')} s × seeds ${seeds.join(',')}`,
    '',
    `Rule: ${choice.rule}. Cost and × oracle at ${first} s delay, summed (cost) or worst (× oracle) over the traces, ` +
      `mean over seeds; killed summed over traces and seeds; waits are the worst run (per delay for p95); the wait requirement is judged at the smallest delay. VM boot ${options.bootSeconds} s.`,
    choice.killFreeExists ? '' : '\n**No candidate kills no session at every delay: scale-in needs a drain step (see README "simulator").**',
    '',
    `| rank | ${fields.join(' | ')} | ${delays.map((d) => `killed @${d}s`).join(' | ')} | cost $ | cost $ @${delays[1] ?? first}s | worst × oracle | ${traces.map((t) => `× oracle ${t}`).join(' | ')} | worst p95 wait s ${delays.map((d) => `@${d}`).join('/')} | worst max wait s |`,
    `| ${['---', ...fields.map(() => '---:'), ...delays.map(() => '---:'), '---:', '---:', '---:', ...traces.map(() => '---:'), '---:', '---:'].join(' | ')} |`,
    ...listed.map((c) => {
      const s = c.summary;
      const rank = `${ranked.indexOf(c) + 1}${c === chosen ? ' (chosen)' : ''}${isCurrent(c) ? ' (current default)' : ''}`;
      const perTrace = traces.map((t) => ratioAt(c, t, first).toFixed(2));
      return `| ${[
        rank,
        ...fields.map((f) => String(c.fields[f])),
        ...delays.map((d) => String(s.killedByDelay[d])),
        s.cost.toFixed(2),
        (s.costByDelay[delays[1] ?? first] ?? s.cost).toFixed(2),
        s.worstOracleRatio.toFixed(2),
        ...perTrace,
        delays.map((d) => (s.p95ByDelay[d] ?? 0).toFixed(0)).join('/'),
        s.worstMaxWaitSeconds.toFixed(0),
      ].join(' | ')} |`;
    }),
    '',
    `## Chosen: ${fields.map((f) => `${f}=${String(chosen.fields[f])}`).join(', ')}`,
    '',
    '| trace | delay s | seed | killed | VM-h | oracle VM-h | × oracle | cost $ | p95 wait s | max wait s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...chosen.runs.map(
      (r) =>
        `| ${r.trace} | ${r.delaySeconds} | ${r.seed} | ${r.killed} | ${r.vmHours.toFixed(1)} | ${r.oracleVmHours.toFixed(1)} | ${r.oracleRatio.toFixed(2)} | ${r.cost.toFixed(2)} | ${r.p95WaitSeconds.toFixed(0)} | ${r.maxWaitSeconds.toFixed(0)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

function ratioAt(c: CandidateResult, trace: string, delay: number): number {
  const runs = c.runs.filter((r) => r.trace === trace && r.delaySeconds === delay);
  return runs.reduce((s, r) => s + r.oracleRatio, 0) / Math.max(1, runs.length);
}
