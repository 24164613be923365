#!/usr/bin/env node
// The `quita` command. Node 20 cannot run TypeScript, so tsx is registered before the CLI loads.
import { register } from 'tsx/esm/api';

register();
const { main, processIo } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
