/**
 * Loaded by `npm run mutate` only (stryker.config.json → mochaOptions.require), never by `npm test`.
 *
 * Why: with `coverageAnalysis: "perTest"`, StrykerJS's mocha runner learns which test reaches each
 * mutant from a root `beforeEach` that names the running test. A `before()` hook runs before that
 * `beforeEach`, so what it reaches (the plans the tests build once) is credited to the test that ran
 * just before it, often in another file, or to no test at all for a file's top-level `before()`.
 * Stryker then runs the wrong test against such a mutant and reports it as surviving. So:
 * - what a `before()` hook reaches in the initial run is credited to every test the hook serves:
 *   the tests of its `describe`, or of its file for a top-level hook;
 * - a file's top-level `before()` hooks run just before the first test of that file that runs,
 *   not all at once before every mutant's tests (mocha puts them on its root suite);
 * - files whose tests need no `before()` run first, so a mutant that a quick test catches is caught
 *   before any plan is built (mocha stops at the first failing test).
 * Every module of core/ and analysis/ is loaded before any test file, so code that runs when a
 * module loads is always seen as static (ignored, see `ignoreStatic`) rather than credited to
 * whichever test happened to import the module first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Mocha = require("mocha");

interface StrykerNamespace {
    currentTestId?: string;
    activeMutant?: string;
    mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}

type Hook = Mocha.Hook & { servesFile?: string; ranThisRun?: boolean };
type Done = (err?: unknown) => void;

const ns = (globalThis as { __stryker__?: StrykerNamespace }).__stryker__;
const fileHooks = new Map<string, Hook[]>();
let hookCount = 0;

const beforeAllHooks = (suite: Mocha.Suite | undefined) => (suite as unknown as { _beforeAll?: Hook[] } | undefined)?._beforeAll ?? [];
const hookRun = Mocha.Hook.prototype.run as unknown as (this: Hook, done: Done) => void;

if (ns) {
    tagTopLevelHooksWithTheirFile();
    deferTopLevelHooks();
    quickFilesFirst();
    loadMutatedModules();
}

function tagTopLevelHooksWithTheirFile(): void {
    const SuiteProto = Mocha.Suite.prototype as unknown as { emit(event: string, ...args: unknown[]): boolean; beforeAll(...args: unknown[]): Mocha.Suite };
    let loadingFile: string | undefined;
    const emit = SuiteProto.emit;
    SuiteProto.emit = function (this: Mocha.Suite, event: string, ...args: unknown[]) {
        if (event === "pre-require") loadingFile = args[1] as string;
        return emit.call(this, event, ...args);
    };
    const beforeAll = SuiteProto.beforeAll;
    SuiteProto.beforeAll = function (this: Mocha.Suite, ...args: unknown[]) {
        const result = beforeAll.apply(this, args);
        if (this.root && loadingFile) {
            const hooks = beforeAllHooks(this);
            const hook = hooks[hooks.length - 1];
            hook.servesFile = loadingFile;
            fileHooks.set(loadingFile, [...(fileHooks.get(loadingFile) ?? []), hook]);
        }
        return result;
    };
}

/**
 * Mocha takes root hooks from a required file's `mochaHooks`; this `beforeEach` runs before
 * Stryker's own and before every test.
 */
export const mochaHooks = {
    beforeEach(this: Mocha.Context, done: Done) {
        runFileHooks(this.currentTest?.file, done);
    },
};

/** Runs the deferred top-level hooks of `file` that have not run yet in this mocha run. */
function runFileHooks(file: string | undefined, done: Done): void {
    const pending = (fileHooks.get(file ?? "") ?? []).filter((hook) => !hook.ranThisRun);
    const next = (err?: unknown): void => {
        const hook = pending.shift();
        if (err || !hook) return done(err);
        hook.ranThisRun = true;
        runWithCredit(hook, next);
    };
    next();
}

function deferTopLevelHooks(): void {
    const HookProto = Mocha.Hook.prototype as unknown as { run(done: Done): void };
    HookProto.run = function (this: Hook, done: Done) {
        if (!beforeAllHooks(this.parent).includes(this)) return hookRun.call(this, done);
        if (this.servesFile) {
            // A top-level hook: run later, just before the first test of its file (see mochaHooks).
            this.ranThisRun = false;
            return done();
        }
        // A describe's hook may use what its file's top-level hooks set up.
        runFileHooks(this.file, (err) => (err ? done(err) : runWithCredit(this, done)));
    };
}

/** Runs a before-all hook; in the initial run, credits what it reaches to the tests it serves. */
function runWithCredit(hook: Hook, done: Done): void {
    if (!ns || ns.activeMutant !== undefined) return hookRun.call(hook, done);
    const previous = ns.currentTestId;
    const key = `before-all hook ${++hookCount}`;
    ns.currentTestId = key;
    hookRun.call(hook, (err?: unknown) => {
        const perTest = ns.mutantCoverage?.perTest;
        const reached = perTest?.[key];
        if (perTest && reached) {
            delete perTest[key];
            for (const test of servedTests(hook)) {
                const coverage = (perTest[test.fullTitle()] ??= {});
                for (const [mutant, hits] of Object.entries(reached)) coverage[mutant] = (coverage[mutant] ?? 0) + hits;
            }
        }
        ns.currentTestId = previous;
        done(err);
    });
}

function servedTests(hook: Hook): Mocha.Test[] {
    const tests: Mocha.Test[] = [];
    hook.parent?.eachTest((test) => {
        if (!hook.servesFile || test.file === hook.servesFile) tests.push(test);
    });
    return tests;
}

function quickFilesFirst(): void {
    const RunnerProto = Mocha.Runner.prototype as unknown as { run(...args: unknown[]): Mocha.Runner };
    const run = RunnerProto.run;
    RunnerProto.run = function (this: Mocha.Runner, ...args: unknown[]) {
        const needsHooks = (suite: Mocha.Suite): boolean => beforeAllHooks(suite).length > 0 || fileHooks.has(suite.file ?? "") || suite.suites.some(needsHooks);
        const suites = this.suite.suites;
        const order = new Map(suites.map((s, i) => [s, (needsHooks(s) ? suites.length : 0) + i]));
        suites.sort((a, b) => order.get(a)! - order.get(b)!);
        return run.apply(this, args);
    };
}

function loadMutatedModules(): void {
    for (const dir of ["core", "analysis"]) {
        for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
            if (file.endsWith(".ts") && !file.endsWith(".d.ts")) require(path.resolve(dir, file));
        }
    }
}
