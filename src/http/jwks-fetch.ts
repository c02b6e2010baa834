// The fetch jose's remote JWKS resolver uses when the issuer's TLS certificate comes from an extra CA
// (DSVMPOOL_TLS_CA_FILE, the local emulator's): Node's global fetch cannot take a CA per request, node:https can.
import { request } from 'node:https';

/** A fetch for `GET url` that trusts only `ca` (PEM; as the SDK clients' tlsOptions.ca), in the shape jose's `customFetch` takes. */
export function fetchTrusting(ca: string, maxBytes = 1024 * 1024) {
  return (url: string, init: { headers: Headers; signal: AbortSignal }): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', ca: [ca], headers: Object.fromEntries(init.headers), signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= maxBytes) {
            chunks.push(c);
            return;
          }
          // Settle first, then drop the connection without an error: an error passed to req.destroy() here was
          // emitted where nobody listened (an uncaught exception), and 'end' still resolved an empty 200.
          reject(new Error(`the key set at ${url} is larger than ${maxBytes} bytes`));
          res.destroy();
        });
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 502, headers }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}
