import type { TestProject } from 'vitest/node';
import { startDevServer } from './dev-server';

declare module 'vitest' {
  export interface ProvidedContext {
    devServer: { url: string; adminToken: string };
  }
}

/** One shared `wrangler dev` for the end-to-end files; stopped even when tests fail. */
export default async function setup(project: TestProject) {
  const server = await startDevServer();
  project.provide('devServer', { url: server.url, adminToken: server.adminToken });
  return () => server.stop();
}
