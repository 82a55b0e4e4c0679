// `npm run mutate`: mutation testing of core/ and analysis/ (StrykerJS with the mocha runner).
// Kept out of `npm test`: a full run takes far longer than the test suite.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    testRunner: "mocha",
    mochaOptions: {
        config: ".mocharc.json",
        // tests/mutation/beforeAllCoverage.ts credits the work of `before()` hooks (the plans the
        // tests build once) to the tests that use it; without it Stryker's per-test coverage puts
        // that work on whichever test ran just before, and reports real kills as survivors.
        require: ["ts-node/register", "./tests/mutation/beforeAllCoverage.ts"],
        // The browser test exercises the portal page, not core/ or analysis/, and needs Chromium.
        ignore: ["tests/portalBrowser.test.ts"],
    },
    mutate: ["core/**/*.ts", "analysis/**/*.ts"],
    // Run only the tests that reach each mutant.
    coverageAnalysis: "perTest",
    // Code that runs when a module loads (tables, zod schemas, constants) cannot be switched per
    // test: each such mutant would need a fresh process and the whole suite. Those are left out of
    // the score; the tests pin the values they hold directly.
    ignoreStatic: true,
    // Two cores shared with other work.
    concurrency: 1,
    // Reuse the results of unchanged mutants and tests (the file is git-ignored).
    incremental: true,
    incrementalFile: "reports/stryker-incremental.json",
    reporters: ["clear-text", "progress", "html", "json"],
    htmlReporter: { fileName: "reports/mutation/index.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    // `break` fails the run below 90% over all files; tests/mutation/fileScores.ts then holds
    // every file to the same 90%.
    thresholds: { high: 95, low: 90, break: 90 },
};
