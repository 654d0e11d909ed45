import type { FlowDocument, SourcePosition } from './flow-types.js';

/** The key of a path in FlowPositions.paths: `['nodes', 'main', 'next']` → "nodes.main.next". */
export function pathKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/**
 * Position of the value at `path`, or of the nearest enclosing value that has one (line 1, column 1 when nothing
 * matches). With `offset`, the position of that character of a string value when it can be known exactly.
 */
export function positionOf(
  flow: Pick<FlowDocument, 'positions'>,
  path: readonly (string | number)[],
  offset?: number,
): SourcePosition {
  if (offset !== undefined) {
    const start = flow.positions.text?.[pathKey(path)];
    if (start) return { line: start.line, column: start.column + offset };
  }
  for (let n = path.length; n >= 0; n--) {
    const pos = flow.positions.paths[pathKey(path.slice(0, n))];
    if (pos) return pos;
  }
  return { line: 1, column: 1 };
}
