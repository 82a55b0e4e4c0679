/**
 * What the program's own preflight costs: `npm run bench:preflight`.
 *
 * 1. The transform on each resource of the dev and prod stacks (inputs read as the engine hands
 *    them, every resource rule applied): microseconds per resource, over many rounds.
 * 2. A whole offline run of dev and of prod with the transform run as `pulumi up` runs it, against
 *    the same run without it: median of 7 each.
 *
 * Prints figures; asserts nothing (tests are not the place for timings on a shared machine).
 */
import { preflightTransform } from "../components/preflight";
import { RESOURCE_RULES } from "../core/preflight";
import { runProgram } from "../plan/engine";
import { readStackConfig } from "../stacks/stackConfig";
import { environmentProgram } from "../stacks/program";

const root = `${__dirname}/..`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
    for (const stack of ["dev", "prod"]) {
        const { project, config, secretKeys } = readStackConfig(root, stack);
        const run = (enforcePreflight: boolean) => runProgram(environmentProgram, { project, stack, config, secretKeys, enforcePreflight });
        const { resources } = await run(false);
        const custom = resources.filter((r) => r.custom);
        const rounds = 200;
        const start = process.hrtime.bigint();
        for (let i = 0; i < rounds; i++) {
            for (const r of custom) await preflightTransform({ type: r.type, name: r.name, custom: true, props: r.inputs, opts: {} });
        }
        const perResource = Number(process.hrtime.bigint() - start) / 1e3 / rounds / custom.length;
        const times: Record<string, number[]> = { off: [], on: [] };
        for (let i = 0; i < 7; i++) {
            for (const mode of ["off", "on"] as const) {
                const t = process.hrtime.bigint();
                await run(mode === "on");
                times[mode].push(Number(process.hrtime.bigint() - t) / 1e6);
            }
        }
        console.log(
            `${stack}: ${custom.length} cloud resources, ${RESOURCE_RULES.length} resource rules; transform ${perResource.toFixed(1)} µs a resource; ` +
                `offline run ${median(times.off).toFixed(0)} ms without, ${median(times.on).toFixed(0)} ms with the transform run (median of 7)`,
        );
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
