// At start-up, says loudly when the app runs in Azure with no way to identify callers (see identityStartupProblem).
import { app } from '@azure/functions';
import { config } from '../config.js';
import { identityStartupProblem } from '../http/identity.js';

app.hook.appStart(() => {
  let problem: string | undefined;
  try {
    problem = identityStartupProblem(config());
  } catch {
    return; // invalid settings are reported by the first function that reads them, with each setting named
  }
  if (problem) console.error(JSON.stringify({ level: 'error', event: 'identity.not-configured', message: problem }));
});
