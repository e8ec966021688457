import { adminApi } from './admin/routes';
import { pegaApi } from './api/routes';
import { dxApi } from './dx/routes';
import type { Audience } from './http/operations';
import { discovery, oauthApi } from './oauth/routes';

/**
 * Every table of operations the Worker serves (http/operations.ts): app.ts mounts them,
 * openapi.ts documents them, the contract test calls each operation.
 */
export const AUDIENCES: Audience[] = [discovery, oauthApi, pegaApi, dxApi, adminApi];
