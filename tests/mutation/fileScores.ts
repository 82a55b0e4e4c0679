/**
 * Run by `npm run mutate` after Stryker: prints each mutated file's score and fails when any file
 * is under the floor. Arguments: the JSON reports to read (reports/mutation/mutation.json by default). Stryker's own `thresholds.break` judges only the score of all files together.
 * With `--markdown`, prints the scores as the table rows of tests/mutation/README.md instead.
 */
import * as fs from "node:fs";

const FLOOR = 90;
type Report = { files: Record<string, { mutants: { status: string }[] }> };
const args = process.argv.slice(2);
const markdown = args.includes("--markdown");
const reports = args.filter((a) => a !== "--markdown");
// One report, or several (runs over parts of the tree) read together.
const paths = reports.length > 0 ? reports : ["reports/mutation/mutation.json"];
const report: Report = { files: Object.assign({}, ...paths.map((p) => (JSON.parse(fs.readFileSync(p, "utf8")) as Report).files)) };

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

let failed = false;
const rows = Object.entries(report.files)
    .map(([file, { mutants }]) => {
        const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
        const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
        const ignored = mutants.filter((m) => m.status === "Ignored").length;
        return { file, detected, undetected, ignored, score: detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected) };
    })
    .sort((a, b) => a.score - b.score);
for (const { file, detected, undetected, ignored, score } of rows) {
    const under = score < FLOOR;
    failed ||= under;
    if (markdown) console.log(`| \`${file}\` | ${score.toFixed(2)} % | ${detected} | ${undetected} | ${ignored} |`);
    else console.log(`${under ? "✗" : "✓"} ${score.toFixed(2).padStart(6)}%  ${String(detected).padStart(4)} detected ${String(undetected).padStart(4)} undetected  ${file}`);
}
if (failed) {
    console.error(`Some files score under ${FLOOR}%: add tests that catch their surviving mutants (reports/mutation/index.html lists them).`);
    process.exit(1);
}
