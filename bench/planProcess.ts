/**
 * One plan, as the CLI runs it, in its own process; reports its peak memory on stderr as JSON.
 * Used by bench/plan.bench.ts; not part of the package.
 */
import { main } from "../plan/cli";

const [dir, stack] = process.argv.slice(2);
const write = process.stdout.write.bind(process.stdout);
let bytes = 0;
// The document is counted, not printed: the benchmark measures the plan, not the terminal.
process.stdout.write = ((chunk: string) => ((bytes += chunk.length), true)) as typeof process.stdout.write;

main([stack, "--dir", dir, "--json"]).then((code) => {
    process.stdout.write = write;
    process.stderr.write(`${JSON.stringify({ code, outputBytes: bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
    process.exitCode = code;
});
