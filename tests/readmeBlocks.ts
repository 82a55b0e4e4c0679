import * as fs from "node:fs";
import * as path from "node:path";

/** A ```ts block of the README, with the heading it sits under. */
export interface ReadmeExample {
    title: string;
    code: string;
    /** 1-based line of the block's first code line in README.md, for error messages. */
    line: number;
}

export const README = path.join(__dirname, "..", "README.md");

/** The README sections whose code blocks are complete programs (the lead owns the rest of the file). */
const SECTIONS = [
    ["<!-- examples:start -->", "<!-- examples:end -->"],
    ["<!-- upgrading:start -->", "<!-- upgrading:end -->"],
] as const;

/** Every ```ts block between the example and upgrading markers. */
export function readmeExamples(text = fs.readFileSync(README, "utf8")): ReadmeExample[] {
    const examples: ReadmeExample[] = [];
    for (const [start, end] of SECTIONS) {
        const from = text.indexOf(start);
        const to = text.indexOf(end);
        if (from < 0 || to < from) throw new Error(`README.md has no ${start} ... ${end} section`);
        const firstLine = text.slice(0, from).split("\n").length;
        let title = "";
        let block: string[] | undefined;
        let blockLine = 0;
        text.slice(from, to)
            .split("\n")
            .forEach((line, i) => {
                if (block) {
                    if (line.startsWith("```")) {
                        examples.push({ title, code: block.join("\n"), line: blockLine });
                        block = undefined;
                    } else {
                        block.push(line);
                    }
                } else if (/^#{2,4} /.test(line)) {
                    title = line.replace(/^#+ /, "").trim();
                } else if (/^```(ts|typescript)\s*$/.test(line)) {
                    block = [];
                    blockLine = firstLine + i + 1;
                }
            });
    }
    return examples;
}
