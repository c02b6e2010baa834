// The 401 every authenticated route returns when the request carries no caller (jobs, pools and policy alike).
import type { HttpResponseInit } from '@azure/functions';
import { problem } from './problem.js';

export function unauthenticated(): HttpResponseInit {
  return problem({
    status: 401,
    code: 'UNAUTHENTICATED',
    title: 'Who are you?',
    detail: 'The request carries no signed-in user (x-ms-client-principal). Sign in through the app, or set DSVMPOOL_DEV_IDENTITY locally.',
  });
}
