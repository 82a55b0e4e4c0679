import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { stackFileJsonSchema } from "../stacks/stackFileSchema";

/**
 * `npm run schema`: writes schema/stack-file.schema.json, the JSON Schema of this project's stack
 * files, from the zod schema. tests/stackFileSchema.test.ts fails while the committed file differs.
 */

const root = path.resolve(__dirname, "..");
export const SCHEMA_FILE = path.join(root, "schema", "stack-file.schema.json");

/** The file's text for the project in Pulumi.yaml. */
export function renderSchemaFile(): string {
    const project = (YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    return `${JSON.stringify(stackFileJsonSchema(project), null, 2)}\n`;
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, renderSchemaFile());
    console.log(`written ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
