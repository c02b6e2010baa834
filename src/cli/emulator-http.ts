// One JSON request to the local emulator (its token and clock routes), over http or https trusting an optional CA
// (the emulator's self-signed certificate). Answers the status and the body parsed as JSON (undefined when it is not
// JSON); rejects on a network error, or on `timeoutInMs` when one is given.
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

/** `body`: sent as JSON; `ca`: PEM text to trust; `timeoutInMs`: abort after that long. */
export function requestJson(url: string, options: { method: 'GET' | 'POST'; body?: unknown; ca?: string; timeoutInMs?: number }): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const init = {
      method: options.method,
      ...(payload ? { headers: { 'content-type': 'application/json', 'content-length': payload.length } } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.timeoutInMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutInMs) } : {}),
    };
    const req = (u.protocol === 'https:' ? request : httpRequest)(u, init, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
