import * as fs from "node:fs";
import { nonWaivableTable } from "../analysis/controlsDoc";
import { README } from "./readmeBlocks";

/**
 * The README's generated blocks: each sits between `<!-- name:start -->` and `<!-- name:end -->`
 * and is rewritten by `npm run readme:controls`; a test fails when one differs from its source.
 */
export const GENERATED_BLOCKS: Record<string, () => string> = { "non-waivable": nonWaivableTable };

export function generatedBlock(text: string, name: string): string | undefined {
    const start = `<!-- ${name}:start -->\n`;
    const from = text.indexOf(start);
    const to = text.indexOf(`<!-- ${name}:end -->`);
    return from < 0 || to < from ? undefined : text.slice(from + start.length, to).trimEnd();
}

export function rewriteGeneratedBlocks(text: string): string {
    let out = text;
    for (const [name, make] of Object.entries(GENERATED_BLOCKS)) {
        const start = `<!-- ${name}:start -->\n`;
        const from = out.indexOf(start);
        const to = out.indexOf(`<!-- ${name}:end -->`);
        if (from < 0 || to < from) throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> block`);
        out = `${out.slice(0, from + start.length)}${make()}\n${out.slice(to)}`;
    }
    return out;
}

if (require.main === module) {
    fs.writeFileSync(README, rewriteGeneratedBlocks(fs.readFileSync(README, "utf8")));
}
