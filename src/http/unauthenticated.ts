// The 401 for a request that carries no credentials at all (kept for routes that check a caller themselves).
import type { HttpResponseInit } from '@azure/functions';
import { identityProblem } from './identity-problem.js';

export function unauthenticated(): HttpResponseInit {
  return identityProblem({
    code: 'UNAUTHENTICATED',
    message: 'The request carries no credentials. Send "Authorization: Bearer <Entra access token>" (README, Security) or sign in at /.auth/login/aad in a browser.',
  });
}
