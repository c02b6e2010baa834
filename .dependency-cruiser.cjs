// The layering of DESIGN.md, checked: the core never imports infrastructure.
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-azure-sdk',
      comment: 'src/autoscale, src/broker and src/jobs talk to Azure only through ports; adapters live in src/azure.',
      severity: 'error',
      from: { path: '^src/(autoscale|broker|jobs|simulator)/' },
      to: { path: '(^node_modules/@azure|^node_modules/@azure-rest|^src/azure/|^src/local/|^src/functions/)' },
    },
    {
      name: 'only-local-knows-the-emulator',
      comment: 'Nothing in src/ outside src/local knows that an emulator or local host exists.',
      severity: 'error',
      from: { path: '^src/(?!local/)' },
      to: { path: '^src/local/' },
    },
    {
      name: 'only-adapters-import-azure-sdks',
      comment: 'Azure SDKs are imported only by src/azure (and the local tooling that wires them).',
      severity: 'error',
      from: { path: '^src/(?!azure/|local/|functions/|cli/)' },
      to: { path: '^node_modules/(@azure/(arm-|data-tables|storage-|identity|core-rest-pipeline|core-auth)|@azure-rest/)' },
    },
    {
      name: 'cli-speaks-only-http',
      comment: 'src/cli is a client of the HTTP API: it shares the job spec schema (and its plain messages, src/zod-messages.ts), never the core, adapters or SDKs (but @azure/identity for tokens).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: {
        path: '(^src/(?!cli/|jobs/job-spec\\.ts$|zod-messages\\.ts$)|^node_modules/@azure/(?!identity/)|^node_modules/@azure-rest/)',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
