// A TableClient whose every call fails with one error: the narrow seam of the Table Storage adapters' error
// classification tests (the status codes Azure answers are what is under test, not a fake store).
import type { TableClient } from '@azure/data-tables';

/** An error shaped as the Tables SDK throws it for an HTTP status. */
export const restError = (statusCode: number): Error => Object.assign(new Error(`status ${statusCode}`), { name: 'RestError', statusCode });

/** Every method the adapters call rejects with `error`; listings reject on their first page. */
export function failingTable(error: Error): TableClient {
  const fail = () => Promise.reject(error);
  const iterator = { next: fail, [Symbol.asyncIterator]() { return this; }, byPage: () => ({ next: fail }) };
  return { listEntities: () => iterator, getEntity: fail, createEntity: fail, upsertEntity: fail, updateEntity: fail, deleteEntity: fail } as unknown as TableClient;
}
