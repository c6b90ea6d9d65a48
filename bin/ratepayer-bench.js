#!/usr/bin/env node
// `npm run bench`: the benchmarks. Like bin/ratepayer.js, tsx compiles the TypeScript on load.
import { register } from 'tsx/esm/api';

register();
// `npm run bench -- billing ...` is the billing run, `payments ...` a payment file; anything else,
// search and the account page.
const which = { billing: '../bench/billing.ts', payments: '../bench/payments.ts' }[process.argv[2]] ?? '../bench/run.ts';
await import(which);
