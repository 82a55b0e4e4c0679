#!/usr/bin/env node
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { DEFAULT_COST_ASSUMPTIONS, CostAssumptions } from "../analysis/costModel";
import { costAssumptionsSchema } from "../stacks/environmentSchema";
import { DEFAULT_DEPLOY_ASSUMPTIONS, DeployAssumptions } from "../analysis/deployModel";
import { ValidationError, closestKey } from "../core/validation";
import { deferPulumiClosureSerializer } from "./fastStart";

/**
 * `fargate-service-plan <stack>` (`npm run plan -- <stack>`): the offline plan of a stack.
 * Exit status: 0 planned; 1 invalid config or arguments, or a resource AWS's own rules refuse (the
 * preflight; the plan is still printed); 2 a mandatory control failed (with --strict); 3 the plan
 * itself failed (a bug: please report it with the stack trace).
 */

export const EXIT = { planned: 0, invalid: 1, blocked: 2, crashed: 3 } as const;

interface CliOptions {
    dir: string;
    json?: boolean;
    format: "text" | "json" | "mermaid" | "dot";
    svg?: string;
    strict?: boolean;
    assume: string[];
    policyConfig?: boolean;
    debug?: boolean;
}

const COST_KEYS = Object.keys(DEFAULT_COST_ASSUMPTIONS) as (keyof CostAssumptions)[];
const DEPLOY_KEYS = (Object.keys(DEFAULT_DEPLOY_ASSUMPTIONS) as (keyof DeployAssumptions)[]).filter((k) => k !== "provisioningSeconds");

/** `key=value` pairs to cost and deploy assumptions; unknown keys and non-numbers are refused. */
export function parseAssumptions(pairs: string[]): { cost: Partial<CostAssumptions>; deploy: Partial<DeployAssumptions> } {
    const cost: Partial<CostAssumptions> = {};
    const deploy: Partial<DeployAssumptions> = {};
    const problems = [];
    for (const pair of pairs) {
        const [key, raw] = pair.split("=", 2);
        const value = Number(raw);
        const known = [...COST_KEYS, ...DEPLOY_KEYS] as string[];
        if (!known.includes(key)) {
            const guess = closestKey(key, known);
            problems.push({ path: key, message: `is not an assumption${guess ? `; did you mean "${guess}"?` : `; known: ${known.join(", ")}`}` });
        } else if (raw === undefined || raw.trim() === "" || !Number.isFinite(value) || value < 0) {
            problems.push({ path: key, message: `needs a number of 0 or more, got ${JSON.stringify(raw ?? "")}` });
        } else if ((COST_KEYS as string[]).includes(key)) {
            // The stack file's bounds apply to --assume too (freeTierShare is a share, 0 to 1).
            const checked = costAssumptionsSchema.shape[key as keyof CostAssumptions].safeParse(value);
            if (checked.success) (cost as Record<string, number>)[key] = value;
            else problems.push({ path: key, message: `${checked.error.issues[0].message.replace(/^Too big: expected number to be /, "must be ")}, got ${value}` });
        } else {
            (deploy as Record<string, number>)[key] = value;
        }
    }
    if (problems.length > 0) throw new ValidationError("--assume", problems);
    return { cost, deploy };
}

export async function main(argv: string[]): Promise<number> {
    deferPulumiClosureSerializer();
    const program = new Command()
        .name("fargate-service-plan")
        .description("Offline plan of a stack: resources, monthly cost, controls, deploy time and diagram. No AWS account, no Pulumi CLI.")
        .argument("<stack>", "the stack to plan: its config is Pulumi.<stack>.yaml")
        .option("--dir <path>", "the project directory (with Pulumi.yaml)", process.cwd())
        .option("--json", "print exactly one JSON document (same as --format json)")
        .addOption(new Option("--format <format>", "what to print").choices(["text", "json", "mermaid", "dot"]).default("text"))
        .option("--svg <file>", "also draw the diagram as an SVG file")
        .option("--strict", "exit with status 2 when a control fails in an environment whose controls are mandatory")
        .option("-a, --assume <key=value>", "change a cost or deploy-time assumption (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
        .option("--policy-config", "print the policy pack config of the stack, for pulumi preview --policy-pack-config")
        .option("--debug", "keep stack traces of errors raised by the program (slower)")
        .exitOverride()
        .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

    let stack: string;
    let options: CliOptions;
    try {
        program.parse(argv, { from: "user" });
        stack = program.args[0];
        options = program.opts<CliOptions>();
    } catch (error) {
        const code = (error as { exitCode?: number }).exitCode ?? EXIT.invalid;
        return code === 0 ? EXIT.planned : EXIT.invalid;
    }
    const format = options.json ? "json" : options.format;

    try {
        const assumptions = parseAssumptions(options.assume);
        // Loaded here, after the arguments are known good: it brings in the Pulumi SDK.
        const { planStack, mandatoryFailures, resolveStackEnvironment } = await import("./plan");
        if (options.policyConfig) {
            const [{ readStackConfig }, { policyPackConfig }] = await Promise.all([import("./stackConfig"), import("../policy/policyConfig")]);
            const env = resolveStackEnvironment(readStackConfig(options.dir, stack));
            process.stdout.write(`${JSON.stringify(policyPackConfig(env), null, 2)}\n`);
            return EXIT.planned;
        }
        const plan = await withStdoutFor(format === "json", () =>
            planStack(options.dir, stack, { costAssumptions: assumptions.cost, deployAssumptions: assumptions.deploy, stackTraces: options.debug }),
        );
        if (format === "json") {
            process.stdout.write(`${JSON.stringify(plan)}\n`);
        } else if (format === "mermaid" || format === "dot") {
            process.stdout.write(`${plan.diagram[format]}\n`);
        } else {
            process.stdout.write(`${(await import("./report")).renderText(plan)}\n`);
        }
        if (options.svg) {
            const { renderSvg } = await import("./svg");
            const file = path.resolve(options.svg);
            fs.writeFileSync(file, await renderSvg(plan));
            process.stderr.write(`diagram written to ${file}\n`);
        }
        if (plan.preflight.findings.length > 0) {
            const { describeFinding } = await import("../core/preflight");
            const n = plan.preflight.findings.length;
            process.stderr.write(`${n} resource setting${n === 1 ? "" : "s"} AWS would refuse (preflight):\n${plan.preflight.findings.map((f) => `  ${describeFinding(f)}`).join("\n")}\n`);
            return EXIT.invalid;
        }
        const blocking = mandatoryFailures(plan);
        if (options.strict && blocking.length > 0) {
            process.stderr.write(`${blocking.length} mandatory control${blocking.length === 1 ? "" : "s"} failed: ${blocking.map((c) => c.id).join(", ")}\n`);
            return EXIT.blocked;
        }
        return EXIT.planned;
    } catch (error) {
        if (error instanceof ValidationError || (error as Error)?.name === "ValidationError") {
            process.stderr.write(`${(error as Error).message}\n`);
            return EXIT.invalid;
        }
        process.stderr.write(`The plan failed unexpectedly; this is a bug, please report it with this trace:\n${(error as Error)?.stack ?? error}\n`);
        return EXIT.crashed;
    }
}

/** With --json, stdout carries the document only: anything else the run prints goes to stderr. */
async function withStdoutFor<T>(json: boolean, run: () => Promise<T>): Promise<T> {
    if (!json) return run();
    const log = console.log;
    console.log = (...args: unknown[]) => console.error(...args);
    try {
        return await run();
    } finally {
        console.log = log;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
