/**
 * `npx tsx scripts/bench-profile.ts <file.cpuprofile>…`: where a V8 CPU profile (`node --cpu-prof`) spent its
 * time, by npm package and by function, mapped back through the bundle's source map (or the module comments
 * of an unminified esbuild bundle). `npm run bench -- --profile` writes the profiles it summarizes.
 */
import { basename } from 'node:path';
import { formatProfileSummary, summarizeProfile } from '../bench/profile-summary';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('Name one or more .cpuprofile files.');
for (const file of files) console.log(`${formatProfileSummary(basename(file), summarizeProfile(file, Number(process.env.TOP ?? 15)))}\n`);
