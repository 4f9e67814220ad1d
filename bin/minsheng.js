#!/usr/bin/env node
// minsheng 民生 command line: registers tsx so the TypeScript sources run as they are, then
// hands over to src/cli/main.ts. Run from a checkout: `npx minsheng --help`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
