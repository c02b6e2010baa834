// Reading a JSON request body the same way for every endpoint: content type, size limit, JSON syntax and the
// zod schema, each failure a problem+json response naming what to fix. Nothing is written before this passes.
// Shared by the jobs API and the policy API.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import '../zod-messages.js';
import { problem } from './problem.js';

export type ParsedRequest<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

export interface JsonBodyOptions {
  /** Largest accepted body in bytes. */
  maxBytes: number;
  /** What the body is, for messages ("job spec", "policy"). */
  what: string;
}

/** Field problems of a zod error, with dotted paths ("resources.gpus", "env.1BAD"). */
export function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: path ? `${path}.${k}` : k, message: 'is not a known field (check the spelling)' }));
    // A refused record key (an env variable name): zod 4 says only "Invalid key in record"; the key's own check says why.
    if (i.code === 'invalid_key') return [{ field: path || '(body)', message: i.issues.map((k) => k.message).join('; ') || i.message }];
    return [{ field: path || '(body)', message: i.message }];
  });
}

export function invalidFields(what: string, errors: { field: string; message: string }[]): HttpResponseInit {
  return problem({
    status: 400,
    code: 'VALIDATION_FAILED',
    title: `Invalid ${what}`,
    detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
    errors,
  });
}

/** application/json or any application/…+json, parameters (charset) allowed. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

export async function readJsonBody<S extends z.ZodType>(request: HttpRequest, schema: S, options: JsonBodyOptions): Promise<ParsedRequest<z.output<S>>> {
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      response: problem({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        title: 'Unsupported content type',
        detail: `Send the ${options.what} as JSON with "Content-Type: application/json" (got ${contentType ? `"${contentType}"` : 'none'}).`,
      }),
    };
  }
  const tooLarge = (size: number) => ({
    ok: false as const,
    response: problem({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      title: 'Request body too large',
      detail: `The ${options.what} is ${size} bytes; at most ${options.maxBytes} bytes are accepted. Move large data into input files.`,
    }),
  });
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) return tooLarge(declared);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > options.maxBytes) return tooLarge(bytes.length);

  let json: unknown;
  try {
    // A UTF-8 byte order mark (what Windows PowerShell 5 writes with `-Encoding utf8`) is not JSON; RFC 8259 §8.1 lets a
    // parser ignore it, and we do.
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return {
      ok: false,
      response: problem({ status: 400, code: 'INVALID_JSON', title: 'Body is not valid JSON', detail: `The ${options.what} is not valid JSON: ${(error as Error).message}.` }),
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, response: invalidFields(options.what, fieldErrors(parsed.error)) };
  return { ok: true, value: parsed.data };
}

/** Validates query parameters (as a plain object of strings) against a schema. */
export function readQuery<S extends z.ZodType>(request: HttpRequest, schema: S, what = 'query'): ParsedRequest<z.output<S>> {
  // `code` carries the function key (Azure's alternative to x-functions-key); it is the platform's, not ours.
  // A parameter given twice (`top=5&top=50`) has no one meaning: refused, rather than silently taking one of them.
  // Counted in the URL: the Functions host hands the worker one comma-joined value per name ("5,50"), as Azure does.
  const names = [...new URL(request.url).searchParams.keys()].filter((k) => k !== 'code');
  const repeated = [...new Set(names.filter((k, i) => names.indexOf(k) !== i))];
  if (repeated.length) return { ok: false, response: invalidFields(what, repeated.map((k) => ({ field: k, message: `is given ${names.filter((n) => n === k).length} times; give it once` }))) };
  const query = Object.fromEntries([...request.query.entries()].filter(([k]) => k !== 'code'));
  const parsed = schema.safeParse(query);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, response: invalidFields(what, fieldErrors(parsed.error)) };
}
