/**
 * How a request composes what it reads (store/reads.ts): named reads, run in one D1 batch beside
 * the bearer check. Handlers build them through domain/ like every other storage access.
 */
export { allReads, mapReads, nothing, type Reads, runReads } from '../store/reads';
