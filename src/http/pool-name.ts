// Pool names in URLs: what PUT /api/pools/{pool}/policy accepts as a policy row key, so no other name can name a
// pool. Checked before anything reads storage: a name with "/", NUL, control characters or 64+ characters is a 400,
// never a Table query built from it (an encoded "/" made the Tables SDK fail with a 500).
import type { HttpResponseInit } from '@azure/functions';
import { invalidFields } from './request.js';

export const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** A 400 naming the rule, or undefined when `pool` is a well-formed pool name. */
export function poolNameProblem(pool: string): HttpResponseInit | undefined {
  if (POOL_NAME.test(pool)) return undefined;
  return invalidFields('pool name', [{ field: 'pool', message: 'must be 1-63 letters, digits, "-" or "_", starting with a letter or digit' }]);
}
