import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer plan of docs/architecture.md, held: what each module of src/ imports, read from
 * its source. A type-only import (`import type`, or every name marked `type`) costs nothing at
 * run time and is left out; a value import or a re-export counts.
 */

const SRC = join(import.meta.dirname, '../../src');

/** Folders whose modules answer HTTP requests. */
const SERVES_HTTP = ['admin', 'api', 'case-api', 'console', 'dx', 'http', 'oauth'];

function modules(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const STATEMENT = /^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+['"]([^'"]+)['"]/gms;

/** The modules `file` imports or re-exports values from, resolved, relative to src/. */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(STATEMENT)].flatMap(([, , typeOnly, names = '', specifier = '']) => {
    if (typeOnly || !specifier.startsWith('.')) return [];
    const braces = /^\{([^}]*)\}$/.exec(names.trim());
    const listed =
      braces?.[1]
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean) ?? [];
    if (braces && listed.length > 0 && listed.every((name) => name.startsWith('type '))) return [];
    return [relative(SRC, normalize(join(dirname(file), specifier)))];
  });
}

/** A module's place in the plan: its folder under src/, or the file itself at the top. */
const placeOf = (path: string) => {
  const [first = '', ...rest] = path.split(sep);
  return rest.length > 0 ? first : first.replace(/\.tsx?$/, '');
};

const edges = modules(SRC).flatMap((file) => {
  const from = relative(SRC, file);
  return valueImports(file).map((to) => ({
    from,
    to,
    fromPlace: placeOf(from),
    toPlace: placeOf(to),
  }));
});

describe('the layers of src/ (docs/architecture.md)', () => {
  it('reads the imports it judges', () => {
    // The scan must see the imports that hold the plan together, or it judges nothing.
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual(
      expect.objectContaining({ fromPlace: 'domain', toPlace: 'store' }),
    );
    expect(edges).toContainEqual(expect.objectContaining({ fromPlace: 'dx', toPlace: 'case-api' }));
  });

  it('no folder that serves HTTP imports store/: it goes through domain/', () => {
    const offending = edges.filter(
      ({ fromPlace, toPlace }) => SERVES_HTTP.includes(fromPlace) && toPlace === 'store',
    );
    expect(offending.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('store/ imports no value of domain/', () => {
    const offending = edges.filter(
      ({ fromPlace, toPlace }) => fromPlace === 'store' && toPlace === 'domain',
    );
    expect(offending.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('no two folders (or top-level modules) of src/ import each other', () => {
    const pairs = new Set(
      edges
        .filter(({ fromPlace, toPlace }) => fromPlace !== toPlace)
        .map(({ fromPlace, toPlace }) => `${fromPlace} -> ${toPlace}`),
    );
    const mutual = [...pairs].filter((pair) => {
      const [from, to] = pair.split(' -> ');
      return from !== undefined && from < (to ?? '') && pairs.has(`${to} -> ${from}`);
    });
    expect(mutual).toEqual([]);
  });

  it('API v1 (api/) and DX API v2 (dx/) share case-api/, never each other', () => {
    const sideways = edges.filter(
      ({ fromPlace, toPlace }) =>
        (fromPlace === 'api' && toPlace === 'dx') ||
        (fromPlace === 'dx' && toPlace === 'api') ||
        (fromPlace === 'case-api' && (toPlace === 'api' || toPlace === 'dx')),
    );
    expect(sideways.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('no module of src/ passes 300 lines without saying why at its top', () => {
    const unexplained = modules(SRC).filter((file) => {
      const source = readFileSync(file, 'utf8');
      return (
        source.split('\n').length > 300 &&
        !source.startsWith('// Longer than 300 lines on purpose: ')
      );
    });
    expect(unexplained.map((file) => relative(SRC, file))).toEqual([]);
  });
});
