import { HonoBase } from 'hono/hono-base';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from './context';

/**
 * Every Hono app here, the Worker's and each group of routes, with one router: TrieRouter,
 * which takes every route this API has (RegExpRouter refuses `/assignments/next` beside
 * `/assignments/:id`; Hono's default carries both and falls back from one to the other).
 */
export const newApp = () => new HonoBase<AppEnv>({ router: new TrieRouter() });

export type App = ReturnType<typeof newApp>;
