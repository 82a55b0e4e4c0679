import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * No import cycles, between files or between the folders that become packages. The graph is
 * TypeScript's own: every file the project's tsconfig.json compiles, every static, type-only,
 * re-export and dynamic `import()` of a relative module, resolved as the compiler resolves it.
 */

const root = path.resolve(__dirname, "..");

/** Each project file and the project files it imports. */
function importGraph(): Map<string, string[]> {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
    assert.ok(config, "tsconfig.json reads");
    const graph = new Map<string, string[]>();
    for (const file of config.fileNames) {
        const imports = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles;
        const targets = new Set<string>();
        for (const { fileName } of imports) {
            const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule;
            if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.includes("/node_modules/") || !/\.tsx?$/.test(resolved.resolvedFileName) || resolved.resolvedFileName.endsWith(".d.ts")) continue;
            targets.add(path.relative(root, resolved.resolvedFileName));
        }
        graph.set(path.relative(root, file), [...targets]);
    }
    return graph;
}

/** The strongly connected components of more than one node, or of one node importing itself (Tarjan). */
function cycles<T>(graph: Map<T, Iterable<T>>): T[][] {
    let next = 0;
    const index = new Map<T, number>();
    const low = new Map<T, number>();
    const stack: T[] = [];
    const onStack = new Set<T>();
    const found: T[][] = [];
    const visit = (node: T): void => {
        index.set(node, next);
        low.set(node, next++);
        stack.push(node);
        onStack.add(node);
        for (const to of graph.get(node) ?? []) {
            if (!index.has(to)) {
                visit(to);
                low.set(node, Math.min(low.get(node)!, low.get(to)!));
            } else if (onStack.has(to)) {
                low.set(node, Math.min(low.get(node)!, index.get(to)!));
            }
        }
        if (low.get(node) !== index.get(node)) return;
        const component: T[] = [];
        let member: T;
        do {
            member = stack.pop()!;
            onStack.delete(member);
            component.push(member);
        } while (member !== node);
        if (component.length > 1 || [...(graph.get(node) ?? [])].includes(node)) found.push(component);
    };
    for (const node of graph.keys()) if (!index.has(node)) visit(node);
    return found;
}

/**
 * The folder a file belongs to, as the packages split them. One file is placed by hand:
 * stacks/automation.ts is the Automation API's published entry (its package's main, and the path
 * portals import), a list of re-exports of automation/; it sits in stacks/ for those callers only.
 */
const PLACED = new Map([["stacks/automation.ts", "automation"]]);
function unitOf(file: string): string {
    return PLACED.get(file) ?? (file.includes("/") ? file.slice(0, file.indexOf("/")) : file);
}

/** A cycle as its import chain: a → b → … → a, following the graph inside the component. */
function chain<T>(graph: Map<T, Iterable<T>>, component: T[]): string {
    const members = new Set(component);
    const seen = new Set<T>();
    const pathOf: T[] = [component[0]];
    let node = component[0];
    for (;;) {
        seen.add(node);
        const to = [...(graph.get(node) ?? [])].find((n) => members.has(n) && (n === component[0] || !seen.has(n)));
        if (to === undefined || to === component[0]) break;
        pathOf.push(to);
        node = to;
    }
    return [...pathOf, component[0]].join(" → ");
}

describe("import cycles", () => {
    const graph = importGraph();

    it("finds the imports of every kind in the project's files (the graph is not empty by mistake)", () => {
        assert.ok(graph.size > 150, `${graph.size} files`);
        // A value import, a type-only import and a dynamic import, each seen.
        assert.ok(graph.get("plan/plan.ts")?.includes("stacks/stackConfig.ts"));
        assert.ok(graph.get("components/cluster.ts")?.includes("components/capacityArgs.ts"));
        assert.ok(graph.get("plan/cli.ts")?.includes("stacks/policyPackConfig.ts"));
    });

    it("finds a cycle when there is one, and names its chain", () => {
        const sample = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]]);
        const found = cycles(sample);
        assert.deepEqual(found.map((c) => c.sort()), [["a", "b", "c"], ["d"]]);
        assert.equal(chain(sample, ["a", "b", "c"]), "a → b → c → a");
    });

    it("has no file that imports itself through other files", () => {
        assert.deepEqual(cycles(graph).map((c) => chain(graph, c)), []);
    });

    it("has no cycle between folders: components, core, analysis, stacks, plan, policy, automation and portal import one way only", () => {
        const units = new Map<string, Set<string>>();
        for (const [file, targets] of graph) {
            const from = unitOf(file);
            if (!units.has(from)) units.set(from, new Set());
            for (const target of targets) if (unitOf(target) !== from) units.get(from)!.add(unitOf(target));
        }
        const described = cycles(units).map((c) => {
            const members = new Set(c);
            const edges = [...graph].flatMap(([file, targets]) => targets.filter((t) => members.has(unitOf(file)) && members.has(unitOf(t)) && unitOf(t) !== unitOf(file)).map((t) => `${file} → ${t}`));
            return `${chain(units, c)}: ${edges.join(", ")}`;
        });
        assert.deepEqual(described, []);
    });

    it("keeps the policy pack free of the environments program, so that it can be published alone", () => {
        const reached = new Set<string>();
        const visit = (file: string): void => {
            if (reached.has(file)) return;
            reached.add(file);
            for (const to of graph.get(file) ?? []) visit(to);
        };
        visit("policy/index.ts");
        assert.deepEqual([...reached].filter((f) => /^(stacks|plan|automation|portal)\//.test(f)), []);
    });
});
