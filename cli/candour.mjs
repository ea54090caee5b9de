#!/usr/bin/env node
// The `candour` command (package.json "bin"). The commands are TypeScript, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
