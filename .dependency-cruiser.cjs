// The layer rules of STYLE.md, checked on every `npm run lint`. Which messaging folder and transport
// library a context, a neutral folder, a transport or an app may import is libs/architecture.spec.ts's
// job (libs/architecture-rules.ts), with a failing fixture per rule; it is not repeated here.
const contexts = '(users|orders|payments)';
const forbidden = [
  {
    name: 'domain-is-pure',
    comment:
      'domain imports only @app/ddd, its own domain and the plain contracts (for a bound the wire shares, written once): no Nest, ORM, driver or other layer',
    severity: 'error',
    from: { path: `^libs/${contexts}/src/domain/` },
    to: {
      pathNot: [`^libs/$1/src/domain/`, '^libs/ddd/src/', '^libs/contracts/src/', '^node_modules/zod/'],
    },
  },
  {
    name: 'application-has-no-infrastructure',
    comment: 'application sees its domain, its ports, contracts and cqrs; never the ORM, broker or adapters',
    severity: 'error',
    from: { path: `^libs/${contexts}/src/application/` },
    to: {
      path: [
        '^node_modules/(typeorm|amqplib|pg)/',
        `^libs/${contexts}/src/(infrastructure|interface)/`,
        '^libs/(messaging|platform)/',
      ],
    },
  },
  {
    name: 'infrastructure-not-interface',
    severity: 'error',
    from: { path: `^libs/${contexts}/src/infrastructure/` },
    to: { path: `^libs/${contexts}/src/interface/` },
  },
  {
    name: 'interface-through-the-bus',
    comment: 'interface reaches the context through its application layer only',
    severity: 'error',
    from: { path: `^libs/${contexts}/src/interface/` },
    to: { path: [`^libs/${contexts}/src/(domain|infrastructure)/`, '^node_modules/(typeorm|amqplib|pg)/'] },
  },
  {
    name: 'contexts-meet-only-through-contracts',
    comment: 'a context never imports another one: they meet through @app/contracts and integration events',
    severity: 'error',
    from: { path: `^libs/${contexts}/` },
    to: { path: `^libs/${contexts}/`, pathNot: '^libs/$1/' },
  },
  {
    name: 'apps-use-the-public-surface',
    comment: 'composition roots import a context through its index, never its layers',
    severity: 'error',
    from: { path: '^apps/' },
    to: { path: `^libs/${contexts}/src/(domain|application|infrastructure|interface)/` },
  },
  {
    name: 'building-blocks-know-no-context',
    severity: 'error',
    from: { path: '^libs/(ddd|contracts|messaging|platform)/' },
    to: { path: `^libs/${contexts}/` },
  },
  {
    name: 'contracts-are-plain',
    comment: 'contracts cross process boundaries: types, constants and their zod schemas only',
    severity: 'error',
    from: { path: '^libs/contracts/' },
    to: { path: ['^node_modules/(?!zod/)', '^libs/(?!contracts/)'] },
  },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
