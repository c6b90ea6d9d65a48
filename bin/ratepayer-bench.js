#!/usr/bin/env node
// `npm run bench`: the benchmarks. Like bin/ratepayer.js, tsx compiles the TypeScript on load.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
