#!/usr/bin/env node
// The `ratepayer` command. The source is TypeScript; tsx compiles it on load (cached), so there is
// no separate server build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
