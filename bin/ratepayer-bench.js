#!/usr/bin/env node
// `npm run bench`: the benchmarks. Like bin/ratepayer.js, tsx compiles the TypeScript on load.
import { register } from 'tsx/esm/api';

register();
// `npm run bench -- billing ...` is the billing run; anything else, search and the account page.
await import(process.argv[2] === 'billing' ? '../bench/billing.ts' : '../bench/run.ts');
