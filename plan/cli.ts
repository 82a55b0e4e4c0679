#!/usr/bin/env node
import "./startFast";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import type { z } from "zod";
import type { CostAssumptions } from "../analysis/costModel";
import type { DeployAssumptions } from "../analysis/deployModel";
import { Problem, ValidationError, closestKey, problemsFrom } from "../core/validation";
import { costAssumptionsSchema, deployAssumptionsSchema } from "../stacks/environmentSchema";
import type { ProgramError } from "./program";

/**
 * `fargate-service-plan <stack>` (`npm run plan -- <stack>`): the offline plan of a stack of the
 * built-in environment program; `fargate-service-plan --program DIR --stack NAME`: of the Pulumi
 * program in DIR, whatever it is.
 * Exit status: 0 planned; 1 invalid config, project or arguments, or a resource AWS's own rules
 * refuse (the preflight; the plan is still printed); 2 a mandatory control failed (with --strict);
 * 3 the plan itself failed (a bug: please report it with the stack trace); 4 the program threw
 * (its message is shown, said to be the program's).
 * With --json, stdout holds one JSON document: the plan, or `{ "error": … }` with the problems.
 */

export const EXIT = { planned: 0, invalid: 1, blocked: 2, crashed: 3, program: 4 } as const;

interface CliOptions {
    dir: string;
    program?: string;
    stack?: string;
    json?: boolean;
    format: "text" | "json" | "mermaid" | "dot";
    svg?: string;
    strict?: boolean;
    assume: string[];
    policyConfig?: boolean;
    debug?: boolean;
}

/** Every assumption --assume may change, with its bounds: the stack file's own schemas, so a bound is written once. */
const ASSUMPTION_SCHEMAS: Record<string, z.ZodType> = { ...costAssumptionsSchema.shape, ...deployAssumptionsSchema.shape };
const COST_KEYS = Object.keys(costAssumptionsSchema.shape);

/** `key=value` pairs to cost and deploy assumptions; unknown keys, non-numbers and values out of bounds are refused. */
export function parseAssumptions(pairs: string[]): { cost: Partial<CostAssumptions>; deploy: Partial<DeployAssumptions> } {
    const cost: Partial<CostAssumptions> = {};
    const deploy: Partial<DeployAssumptions> = {};
    const problems: Problem[] = [];
    const known = Object.keys(ASSUMPTION_SCHEMAS);
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        const key = at < 0 ? pair : pair.slice(0, at);
        const raw = at < 0 ? undefined : pair.slice(at + 1);
        const value = Number(raw);
        if (!known.includes(key)) {
            const guess = closestKey(key, known);
            problems.push({ path: key, message: `is not an assumption${guess ? `; did you mean "${guess}"?` : `; known: ${known.join(", ")}`}` });
        } else if (raw === undefined || raw.trim() === "" || !Number.isFinite(value)) {
            problems.push({ path: key, message: `needs a number (write ${key}=<number>), got ${JSON.stringify(raw ?? "")}` });
        } else {
            const checked = ASSUMPTION_SCHEMAS[key].safeParse(value, { reportInput: true });
            if (!checked.success) problems.push(...problemsFrom(checked.error, ASSUMPTION_SCHEMAS[key], key));
            else if (COST_KEYS.includes(key)) (cost as Record<string, number>)[key] = value;
            else (deploy as Record<string, number>)[key] = value;
        }
    }
    if (problems.length > 0) throw new ValidationError("--assume", problems);
    return { cost, deploy };
}

/**
 * Where --svg may write: a file named .svg in an existing directory, and never over a file that
 * is not an SVG (a mistyped path must not destroy a stack file or a source file).
 */
export function checkSvgTarget(given: string): string {
    const file = path.resolve(given);
    const refuse = (message: string): never => {
        throw new ValidationError("--svg", [{ path: given, message }]);
    };
    if (!/\.svg$/i.test(file)) refuse("is not an .svg file name: the diagram is written as SVG");
    const directory = fs.statSync(path.dirname(file), { throwIfNoEntry: false });
    if (!directory?.isDirectory()) refuse(`cannot be written: ${path.dirname(file)} is not a directory`);
    const existing = fs.statSync(file, { throwIfNoEntry: false });
    if (existing) {
        if (!existing.isFile()) refuse("exists and is not a file");
        const head = fs.readFileSync(file, "utf8").slice(0, 4096);
        if (!/<svg[\s>]/.test(head)) refuse("exists and is not an SVG; it is not overwritten (remove it, or choose another name)");
    }
    return file;
}

/** Writes the diagram; a file system refusal is the user's path to fix, not a crash. */
function writeSvg(file: string, given: string, svg: string): void {
    try {
        fs.writeFileSync(file, svg);
    } catch (error) {
        throw new ValidationError("--svg", [{ path: given, message: `cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
    }
}

/** Whether the arguments ask for JSON, read before (or without) commander, for documents about bad arguments. */
function wantsJson(argv: string[]): boolean {
    return argv.some((a, i) => a === "--json" || a === "--format=json" || (a === "--format" && argv[i + 1] === "json"));
}

/**
 * The document --json prints when there is no plan: the exit status and the same problems the
 * text shows (`source: path: message`), one object each.
 */
export interface ErrorDocument {
    ok: false;
    exitCode: number;
    problems: { source: string; path: string; message: string }[];
}

function errorDocument(exitCode: number, problems: ErrorDocument["problems"]): string {
    const document: ErrorDocument = { ok: false, exitCode, problems };
    return `${JSON.stringify(document)}\n`;
}

export async function main(argv: string[]): Promise<number> {
    const json = wantsJson(argv);
    const program = new Command()
        .name("fargate-service-plan")
        .description("Offline plan of a stack: resources, monthly cost, controls, deploy time and diagram. No AWS account, no Pulumi CLI.")
        .argument("[stack]", "the stack to plan: its config is Pulumi.<stack>.yaml (or give --stack)")
        .option("--stack <name>", "the stack to plan, as the positional argument")
        .option("--program <dir>", "plan the Pulumi program in this directory (its Pulumi.yaml main), not the built-in environment program")
        .option("--dir <path>", "the project directory (with Pulumi.yaml) whose stack files the built-in program reads", process.cwd())
        .option("--json", "print exactly one JSON document (same as --format json), errors included")
        .addOption(new Option("--format <format>", "what to print").choices(["text", "json", "mermaid", "dot"]).default("text"))
        .option("--svg <file>", "also draw the diagram as an SVG file (never over a file that is not an SVG)")
        .option("--strict", "exit with status 2 when a control fails in an environment whose controls are mandatory")
        .option("-a, --assume <key=value>", "change a cost or deploy-time assumption (repeatable)", (value: string, previous: string[]) => [...previous, value], [] as string[])
        .option("--policy-config", "print the policy pack config of the stack, for pulumi preview --policy-pack-config")
        .option("--debug", "keep stack traces of errors raised by the program (slower)")
        .exitOverride()
        .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

    let options: CliOptions;
    try {
        program.parse(argv, { from: "user" });
        options = program.opts<CliOptions>();
    } catch (error) {
        const code = (error as { exitCode?: number }).exitCode ?? EXIT.invalid;
        if (code === 0) return EXIT.planned;
        if (json) process.stdout.write(errorDocument(EXIT.invalid, [{ source: "arguments", path: "", message: String((error as Error).message).replace(/^error: /, "") }]));
        return EXIT.invalid;
    }
    const format = options.json ? "json" : options.format;

    try {
        // --json is --format json: another --format beside it would be silently dropped.
        if (options.json && program.getOptionValueSource("format") === "cli" && options.format !== "json") {
            throw new ValidationError("arguments", [{ path: "--format", message: `is "${options.format}" but --json prints JSON: give one` }]);
        }
        const stack = stackArgument(program.args[0], options);
        const assumptions = parseAssumptions(options.assume);
        const svgFile = options.svg !== undefined ? checkSvgTarget(options.svg) : undefined;
        // Loaded here, after the arguments are known good: it brings in the Pulumi SDK.
        const { planStack, planProgram, mandatoryFailures, resolveStackEnvironment } = await import("./plan");
        if (options.policyConfig) {
            if (options.program !== undefined) {
                throw new ValidationError("--policy-config", [{ path: "--program", message: "the policy pack config is derived from an environment's stack file: leave out --program" }]);
            }
            // It prints the pack's config and nothing else: a flag it would drop is refused, not ignored.
            const ignored = [
                options.svg !== undefined ? "--svg" : undefined,
                program.getOptionValueSource("format") === "cli" && options.format !== "json" ? "--format" : undefined,
                options.strict ? "--strict" : undefined,
                options.assume.length > 0 ? "--assume" : undefined,
            ].filter((flag): flag is string => flag !== undefined);
            if (ignored.length > 0) {
                throw new ValidationError(
                    "arguments",
                    ignored.map((flag) => ({ path: flag, message: "has no effect with --policy-config, which prints the policy pack config only: leave it out" })),
                );
            }
            const [{ readStackConfig }, { policyPackConfig }] = await Promise.all([import("../stacks/stackConfig"), import("../stacks/policyPackConfig")]);
            const env = resolveStackEnvironment(readStackConfig(options.dir, stack));
            process.stdout.write(`${JSON.stringify(policyPackConfig(env), null, 2)}\n`);
            return EXIT.planned;
        }
        const planOptions = { costAssumptions: assumptions.cost, deployAssumptions: assumptions.deploy, stackTraces: options.debug };
        const plan = await withStdoutFor(format === "json", () =>
            (options.program === undefined ? planStack(options.dir, stack, planOptions) : planProgram(options.program, stack, planOptions)),
        );
        // The diagram first: a path that cannot be written is reported before anything is printed.
        if (svgFile) {
            const { renderSvg } = await import("./svg");
            writeSvg(svgFile, options.svg!, await renderSvg(plan));
            process.stderr.write(`diagram written to ${svgFile}\n`);
        }
        if (format === "json") {
            process.stdout.write(`${JSON.stringify(plan)}\n`);
        } else if (format === "mermaid" || format === "dot") {
            process.stdout.write(`${plan.diagram[format]}\n`);
        } else {
            process.stdout.write(`${(await import("./report")).renderText(plan)}\n`);
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
        return reportError(error, format === "json", options.debug === true);
    }
}

/** The stack, given as the argument or as --stack (not both, unless they agree). */
function stackArgument(positional: string | undefined, options: CliOptions): string {
    if (positional !== undefined && options.stack !== undefined && positional !== options.stack) {
        throw new ValidationError("arguments", [{ path: "--stack", message: `is "${options.stack}" but the stack argument is "${positional}": give one` }]);
    }
    const stack = positional ?? options.stack;
    if (stack === undefined || stack === "") throw new ValidationError("arguments", [{ path: "stack", message: "is required: fargate-service-plan <stack>, or --stack <name>" }]);
    return stack;
}

/**
 * A user's mistake (a ValidationError: config, project, arguments) or a program that threw, told
 * plainly without the plan's own stack trace; anything else is the plan's bug, with its trace.
 * With --json the same problems are also the one document on stdout (an ErrorDocument).
 */
function reportError(error: unknown, json: boolean, debug: boolean): number {
    const name = (error as Error)?.name;
    let code: number;
    let text: string;
    let problems: ErrorDocument["problems"];
    if (name === "ValidationError") {
        const { source, problems: found } = error as ValidationError;
        code = EXIT.invalid;
        text = (error as Error).message;
        problems = (found ?? []).map((p) => ({ source, ...p }));
    } else if (name === "ProgramError") {
        const { program, cause } = error as ProgramError;
        code = EXIT.program;
        text = `${(error as Error).message}\n(the error came from the program, not from the plan${debug ? "" : "; --debug shows where it was thrown"})`;
        if (debug && cause instanceof Error && cause.stack) text += `\n${cause.stack}`;
        problems = [{ source: program, path: "(program)", message: cause instanceof Error ? cause.message : String(cause) }];
    } else {
        code = EXIT.crashed;
        text = `The plan failed unexpectedly; this is a bug, please report it with this trace:\n${(error as Error)?.stack ?? error}`;
        problems = [{ source: "plan", path: "(bug)", message: String((error as Error)?.message ?? error) }];
    }
    process.stderr.write(`${text}\n`);
    if (json) process.stdout.write(errorDocument(code, problems));
    return code;
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
