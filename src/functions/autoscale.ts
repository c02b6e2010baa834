// The autoscale timer: evaluates every enabled VM scale set pool (schedule from DSVMPOOL_AUTOSCALE_SCHEDULE).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { autoscaleService } from '../services/autoscale.js';

export async function autoscaleTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await autoscaleService().tick();
  const count = (o: string) => summary.evaluated.filter((e) => e.outcome === o).length;
  context.log(
    JSON.stringify({
      event: 'autoscale.tick',
      pools: summary.evaluated.length,
      done: count('done'),
      dryRun: count('dry-run'),
      failed: count('failed'),
      busy: count('busy'),
      invalid: summary.invalid.map((i) => i.pool),
      disabled: summary.disabled,
    }),
  );
}

app.timer('autoscale', { schedule: '%DSVMPOOL_AUTOSCALE_SCHEDULE%', handler: autoscaleTimer });
