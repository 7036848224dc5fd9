/** `npm run setup`: installs what the local stack needs beyond npm packages (the Temporal CLI), once. */
import { ensureTemporalCli } from '../infra/local/temporal-cli';

const started = Date.now();
const cli = await ensureTemporalCli((line) => console.log(line));
console.log(`Temporal CLI ready: ${cli} (${Date.now() - started} ms)`);
