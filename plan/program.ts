import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";
import * as YAML from "yaml";
import { ValidationError } from "../core/validationError";

/**
 * A user's Pulumi program, found and loaded the way Pulumi's Node.js language host does it
 * (https://www.pulumi.com/docs/iac/concepts/projects/project-file/): `main` in Pulumi.yaml, relative
 * to it, or the project's directory (its package.json `main`, else index.ts or index.js); the
 * module's export, when a function, is called and its result becomes the stack outputs; otherwise
 * the exported values are the outputs.
 */

export interface ProjectProgram {
    /** The project's directory, absolute. */
    directory: string;
    /** The project name (Pulumi.yaml `name`). */
    project: string;
    /** The program's entry file, absolute. */
    entry: string;
}

/** A failure of the user's program: the message is the program's, said to be the program's. */
export class ProgramError extends Error {
    constructor(
        /** The entry file, relative to the working directory, for the message. */
        public readonly program: string,
        public override readonly cause: unknown,
    ) {
        super(`the program ${program} failed: ${causeMessage(cause)}`);
        this.name = "ProgramError";
    }
}

function causeMessage(cause: unknown): string {
    if (cause instanceof Error) return cause.message;
    return typeof cause === "string" ? cause : JSON.stringify(cause) ?? String(cause);
}

/** The project in `directory`, its runtime checked and its entry file found; a user's mistake is a ValidationError. */
export function readProjectProgram(directory: string): ProjectProgram {
    const dir = path.resolve(directory);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new ValidationError("--program", [{ path: directory, message: "is not a directory: give the directory of a Pulumi project (the one with Pulumi.yaml)" }]);
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) {
        throw new ValidationError(directory, [{ path: "Pulumi.yaml", message: "not found: --program takes a Pulumi project's directory (the one with Pulumi.yaml)" }]);
    }
    const fileName = path.basename(projectFile);
    let document: { name?: unknown; main?: unknown; runtime?: unknown } | null;
    try {
        document = YAML.parse(fs.readFileSync(projectFile, "utf8"));
    } catch (error) {
        throw new ValidationError(fileName, [{ path: "(file)", message: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` }]);
    }
    const project = document?.name;
    if (typeof project !== "string" || project === "") throw new ValidationError(fileName, [{ path: "name", message: "is required: the project's name" }]);
    const runtime = typeof document?.runtime === "string" ? document.runtime : (document?.runtime as { name?: unknown } | undefined)?.name;
    if (runtime !== "nodejs") {
        throw new ValidationError(fileName, [
            { path: "runtime", message: `is ${JSON.stringify(runtime ?? null)}: the plan runs Node.js programs only (runtime: nodejs, in TypeScript or JavaScript)` },
        ]);
    }
    const main = document?.main;
    if (main !== undefined && typeof main !== "string") throw new ValidationError(fileName, [{ path: "main", message: `must be a path, got ${JSON.stringify(main)}` }]);
    if (packageType(dir) === "module") {
        throw new ValidationError("package.json", [{ path: "type", message: `is "module": the plan runs CommonJS programs only (the default of Pulumi's TypeScript template)` }]);
    }
    useTypeScript(dir);
    const target = path.resolve(dir, main ?? ".");
    let entry: string;
    try {
        // Node's own resolution: a directory's package.json `main`, else its index (.ts once TypeScript is registered).
        entry = require.resolve(fs.existsSync(target) && fs.statSync(target).isDirectory() ? `${target}${path.sep}` : target);
    } catch {
        throw new ValidationError(fileName, [{ path: "main", message: `${JSON.stringify(main ?? ".")}: no program there (looked for ${path.relative(process.cwd(), target) || "."}, its package.json main, index.ts, index.js)` }]);
    }
    if (/\.[cm]?ts$/.test(entry) && !(Module as unknown as { _extensions: Record<string, unknown> })._extensions[".ts"]) {
        throw new ValidationError(fileName, [{ path: "main", message: `${path.basename(entry)} is TypeScript, and neither typescript nor tsx is installed in ${directory}: run npm install there` }]);
    }
    return { directory: dir, project, entry };
}

function packageType(directory: string): unknown {
    try {
        return (JSON.parse(fs.readFileSync(path.join(directory, "package.json"), "utf8")) as { type?: unknown }).type;
    } catch {
        return undefined;
    }
}

/**
 * The program as a function the engine runs: loads the entry and calls its export when it is a
 * function; `loaded` sees the export first. Anything it throws comes back as a ProgramError
 * naming the program. The project's modules that this run loaded are forgotten afterwards, so a
 * second run in the same process registers its resources again; modules the plan itself had
 * loaded stay (a project whose program is the environment program exports the plan's own function).
 */
export function programFunction(program: ProjectProgram, loaded: (exported: unknown) => void = () => undefined): () => Promise<unknown> {
    const shown = path.relative(process.cwd(), program.entry) || program.entry;
    return async () => {
        const before = new Set(Object.keys(require.cache));
        delete require.cache[program.entry];
        try {
            let exported: unknown;
            try {
                exported = require(program.entry);
            } catch (error) {
                throw new ProgramError(shown, error);
            }
            // Outside the program's errors: what `loaded` refuses (a stack file's mistake) is reported as such.
            loaded(exported);
            try {
                return typeof exported === "function" ? await (exported as () => unknown)() : exported;
            } catch (error) {
                throw new ProgramError(shown, error);
            }
        } finally {
            forgetModules(program.directory, before);
        }
    };
}

/** Drops the project's own modules (not its dependencies) loaded since `before` from the require cache. */
function forgetModules(directory: string, before: Set<string>): void {
    const own = `${directory}${path.sep}`;
    const dependencies = `${path.sep}node_modules${path.sep}`;
    for (const file of Object.keys(require.cache)) {
        if (!before.has(file) && file.startsWith(own) && !file.slice(own.length).includes(dependencies)) delete require.cache[file];
    }
}

type CompileModule = { _compile(code: string, filename: string): void };

/**
 * Lets `require` load TypeScript: nothing to do under tsx or ts-node (`npm run plan`, the tests);
 * otherwise tsx from the project or from this package, else the project's own `typescript`
 * (every Pulumi TypeScript project has it), transpiling each file without type checks as
 * `pulumi up` does with `typescript: true` and no tsconfig checks.
 */
function useTypeScript(projectDir: string): void {
    const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
    if (extensions[".ts"]) return;
    const fromProject = createRequire(path.join(projectDir, "package.json"));
    for (const load of [fromProject, require]) {
        try {
            (load("tsx/cjs/api") as { register(): unknown }).register();
            return;
        } catch {
            // not installed there
        }
    }
    let ts: typeof import("typescript");
    try {
        ts = fromProject("typescript") as typeof import("typescript");
    } catch {
        // A JavaScript program needs no compiler.
        return;
    }
    extensions[".ts"] = (module: CompileModule, filename: string) => {
        const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
            fileName: filename,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
        });
        module._compile(outputText, filename);
    };
}
