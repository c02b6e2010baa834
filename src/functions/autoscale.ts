// The autoscale timer: evaluates every enabled VM scale set pool (schedule from DSVMPOOL_AUTOSCALE_SCHEDULE).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { autoscaleService } from '../services/autoscale.js';

export async function autoscaleTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await autoscaleService().tick();
  const count = (o: string) => summary.evaluated.filter((e) => e.outcome === o).length;
  // A tick that changed nothing and found nothing wrong is debug-level, so an idle app's log stays quiet.
  const idle = summary.evaluated.every((e) => e.outcome === 'none') && summary.invalid.length === 0;
  (idle ? context.debug : context.log).call(
    context,
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
