import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import * as YAML from "yaml";
import { cli } from "./cliHarness";
import { projectRoot } from "./planFixtures";

/**
 * The schema as a property: a valid stack file, mutated at a random key (removed, renamed,
 * replaced by any value, or given an unknown sibling), either plans (exit 0, or 2 when a prod
 * control fails) or fails with exit 1 and a message naming the key it broke. Never exit 3, never a
 * stack trace. The runs print their count and time (a figure, not a timed assertion).
 */

type Segment = string | number;
type Mutation = { kind: "remove" | "rename" | "replace" | "add"; at: Segment[]; value?: unknown; name?: string };

const RUNS_PER_STACK = 50;

function configOf(stack: string): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8")).config;
}

/** Every key path of a config: top-level keys, then every key and list item below them. */
function paths(value: unknown, at: Segment[] = []): Segment[][] {
    const out: Segment[][] = at.length ? [at] : [];
    if (Array.isArray(value)) value.forEach((item, i) => out.push(...paths(item, [...at, i])));
    else if (typeof value === "object" && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
    return out;
}

/** How the problems name a path: `ns:key.a.b[0]`. */
function pathText(at: Segment[]): string {
    return at.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function mutate(config: Record<string, unknown>, m: Mutation): Record<string, unknown> {
    const copy = structuredClone(config);
    const parent = m.at.slice(0, -1).reduce<any>((node, s) => node[s], copy);
    const last = m.at[m.at.length - 1];
    if (m.kind === "remove") {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
    } else if (m.kind === "replace") {
        parent[last] = m.value;
    } else if (m.kind === "rename" && !Array.isArray(parent)) {
        const value = parent[last];
        delete parent[last];
        parent[m.name!] = value;
    } else if (m.kind === "add" && !Array.isArray(parent)) {
        parent[m.name!] = m.value;
    } else {
        parent[last] = m.value;
    }
    return copy;
}

/**
 * Whether a problem names the mutated key: its path, a path above or below it, the key's name, or
 * a key beside it in the same workload (removing `loadBalancer.enabled: false` makes the
 * service's `loadBalancer.rule` required).
 */
function names(problem: { path: string; message: string }, m: Mutation): boolean {
    const text = pathText(m.at);
    const parent = m.at.length > 2 ? pathText(m.at.slice(0, -1)) : undefined;
    const key = String(m.at[m.at.length - 1]);
    const renamed = m.name ? pathText([...m.at.slice(0, -1), m.name]) : undefined;
    return (
        problem.path.startsWith(text) ||
        (parent !== undefined && problem.path.startsWith(parent)) ||
        text.startsWith(problem.path) ||
        (renamed !== undefined && problem.path.startsWith(renamed)) ||
        `${problem.path} ${problem.message}`.includes(key) ||
        (m.name !== undefined && `${problem.path} ${problem.message}`.includes(m.name))
    );
}

const anyValue = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(1e400, -1e400, "", "*", "../../etc/passwd", "cron(75 * * * ? *)"),
    fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxKeys: 2 }),
);
const keyName = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !k.includes("\0"));

function mutations(config: Record<string, unknown>): fc.Arbitrary<Mutation> {
    const all = paths(config).filter((p) => typeof p[0] === "string" && (p[0] as string).includes(":"));
    const at = fc.constantFrom(...all);
    return fc.oneof(
        at.map((p): Mutation => ({ kind: "remove", at: p })),
        fc.tuple(at, anyValue).map(([p, value]): Mutation => ({ kind: "replace", at: p, value })),
        fc.tuple(at, keyName).map(([p, name]): Mutation => ({ kind: "rename", at: p, name })),
        fc.tuple(at, keyName, anyValue).map(([p, name, value]): Mutation => ({ kind: "add", at: p, name, value })),
    );
}

describe("stack file schema, on generated mutations of valid stack files", function () {
    this.timeout(60000);
    for (const stack of ["dev", "prod"]) {
        it(`plans a mutated ${stack} stack file or names the key it broke, never exit 3 (${RUNS_PER_STACK} cases)`, async () => {
            const config = configOf(stack);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `schema-${stack}-`));
            fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            const file = path.join(dir, `Pulumi.${stack}.yaml`);
            // Relative build contexts are read from the working directory: the project's.
            const started = Date.now();
            const outcomes: Record<number, number> = {};
            await fc.assert(
                fc.asyncProperty(mutations(config), async (m) => {
                    fs.writeFileSync(file, YAML.stringify({ config: mutate(config, m) }));
                    const run = await cli(stack, "--dir", dir, "--json");
                    outcomes[run.code] = (outcomes[run.code] ?? 0) + 1;
                    assert.ok([0, 1, 2].includes(run.code), `exit ${run.code} for ${JSON.stringify(m)}:\n${run.stderr}`);
                    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
                    const document = JSON.parse(run.stdout);
                    if (run.code === 1 && document.ok !== false) {
                        // Planned, but a resource breaks one of AWS's own rules (the preflight): the plan is printed with its findings.
                        assert.ok(document.preflight.findings.length > 0, run.stderr);
                    } else if (run.code === 1) {
                        assert.ok(document.problems.length > 0);
                        assert.ok(
                            document.problems.some((p: { path: string; message: string }) => names(p, m)),
                            `no problem names ${pathText(m.at)} (${m.kind}${m.name ? ` to ${m.name}` : ""}): ${run.stderr}`,
                        );
                    } else {
                        assert.equal(document.stack, stack);
                    }
                }),
                { numRuns: RUNS_PER_STACK },
            );
            console.log(`      ${stack}: ${RUNS_PER_STACK} mutations in ${((Date.now() - started) / 1000).toFixed(1)} s; exit codes ${JSON.stringify(outcomes)}`);
        });
    }
});
