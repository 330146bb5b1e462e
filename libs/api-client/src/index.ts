import createClient from 'openapi-fetch';
import type { paths } from './jrp-api';

export type { components, operations, paths } from './jrp-api';

/**
 * A typed client of the jrp API for departments' systems and for our own tests, generated from the
 * OpenAPI document (`jrp-api.ts`, by openapi-typescript; `test/contract/openapi.e2e-spec.ts` fails when
 * it drifts from the running API). Every path, parameter, body and answer is checked by the compiler.
 */
export function createJrpClient(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

export type JrpClient = ReturnType<typeof createJrpClient>;
