/**
 * The oldest Node.js fitsync supports, read from package.json's `engines.node` (">=MAJOR.MINOR.PATCH"). The same
 * version is what the compiler checks against (@types/node of that major and minor, the ECMAScript library that
 * Node ships) and what esbuild compiles the bundles for, so nothing that runtime lacks type-checks or is emitted.
 */
export interface OldestNode {
  /** The `engines.node` range as written, copied into each bundle's package.json. */
  range: string;
  major: number;
  minor: number;
  /** esbuild's `target` for that version, e.g. "node20.19". */
  esbuildTarget: string;
}

export function oldestNode(enginesNode: string | undefined): OldestNode {
  const m = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(enginesNode ?? '');
  if (!m) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR.PATCH", not ${JSON.stringify(enginesNode)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return { range: enginesNode!, major, minor, esbuildTarget: `node${major}.${minor}` };
}
