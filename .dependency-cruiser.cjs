/**
 * The module rules of GUIDE.md, checked in CI:
 * shared ← audit ← areas ← access ← {later modules}; modules import each other only through
 * index.ts; core/ is pure; only the composition roots (server, cli) see everything.
 */
const MODULE_ORDER = ['audit', 'calendar', 'areas', 'access', 'tickets', 'open311', 'analysis', 'residents', 'benefits', 'projects', 'micro', 'facilities'];

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'No cycles between files.',
    from: {},
    to: { circular: true },
  },
  {
    name: 'shared-is-the-kernel',
    severity: 'error',
    comment: 'src/shared imports no domain module, server or CLI.',
    from: { path: '^src/shared/' },
    to: { path: '^src/(domain|server|cli)/' },
  },
  {
    name: 'domain-does-not-know-its-callers',
    severity: 'error',
    comment: 'Domain modules never import the server or the CLI.',
    from: { path: '^src/domain/' },
    to: { path: '^src/(server|cli)/' },
  },
  {
    name: 'modules-meet-at-index',
    severity: 'error',
    comment: 'Another module is imported through its index.ts only.',
    from: { path: '^src/domain/([^/]+)/' },
    to: { path: '^src/domain/([^/]+)/.+', pathNot: ['^src/domain/$1/', '^src/domain/[^/]+/index\\.ts$'] },
  },
  {
    name: 'core-is-pure',
    severity: 'error',
    comment: 'core/ has no database, no HTTP, no node:* and no other module.',
    from: { path: '^src/domain/[^/]+/core/', pathNot: '\\.test\\.ts$' },
    to: {
      pathNot: ['^src/domain/[^/]+/core/', '^node_modules/(flatbush|polygon-clipping|d3-delaunay|gcoord|delaunator|robust-predicates|flatqueue|splaytree|d3-array|internmap)/'],
      dependencyTypesNot: ['type-only'],
    },
  },
  {
    name: 'only-repo-imports-db-driver',
    severity: 'error',
    comment: 'Database drivers are reached through src/shared/db only.',
    from: { path: '^src/', pathNot: '^src/shared/db/' },
    to: { path: '^node_modules/(pg|@electric-sql/pglite)/' },
  },
  // Module order: a module may import only modules to its left.
  ...MODULE_ORDER.map((mod, i) => ({
    name: `order-${mod}`,
    severity: 'error',
    comment: `${mod} may import only ${MODULE_ORDER.slice(0, i).join(', ') || 'shared'}.`,
    from: { path: `^src/domain/${mod}/` },
    to: { path: `^src/domain/(${MODULE_ORDER.slice(i).filter((m) => m !== mod).join('|') || '__none__'})/` },
  })),
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '\\.test\\.ts$' },
  },
};
