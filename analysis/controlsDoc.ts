import { NON_WAIVABLE_IN_PROD } from "./controlIds";
import { CONTROLS } from "./controls";

/** The README's table of the controls prod never waives, generated from NON_WAIVABLE_IN_PROD. */
export function nonWaivableTable(): string {
    const rows = NON_WAIVABLE_IN_PROD.map(({ id, why }) => `| \`${id}\` | ${CONTROLS.find((c) => c.id === id)?.title} | ${why} |`);
    return ["| Control | What it checks | Why prod never waives it |", "|---|---|---|", ...rows].join("\n");
}
