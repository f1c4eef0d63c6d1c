#!/usr/bin/env -S node --max-semi-space-size=1
// A 1 MB young generation: DuckDB's results are freed by finalizers after each scavenge, and the default size let ~2 s
// of them pile up into one 60–150 ms stall of every request (docs/architecture.md, "Readers and writers").
import { main } from '../dist/cli/index.js';

await main(process.argv);
