import { z } from "zod";
import { environmentSchema } from "./environmentSchema";

/**
 * The JSON Schema of a stack file (`Pulumi.<stack>.yaml`) as users write it, generated from the zod
 * schema the environment program judges its config with (stacks/environmentSchema.ts), so the two
 * cannot drift. Editors that read JSON Schema (VS Code's YAML extension, through
 * yaml-language-server) then complete and check a stack file as it is typed; the program still
 * judges it at run time, with the checks a JSON Schema cannot say (AWS's rules across keys).
 *
 * Pulumi keeps config under `config:` with namespaced keys
 * (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/): the environment's keys
 * are `<project>:<key>`; keys of other namespaces (`aws:region`, `aws:profile`) belong to their
 * providers and are let through; an unknown key in the project's namespace is refused, as the
 * program refuses it.
 */

/** The top-level keys Pulumi reads in a stack file (the page above). */
const STACK_FILE_KEYS = {
    secretsprovider: { type: "string", description: "The secrets provider of the stack (passphrase, awskms://…, …)." },
    encryptedkey: { type: "string", description: "The stack's data key, encrypted by the secrets provider." },
    encryptionsalt: { type: "string", description: "The salt of the passphrase secrets provider." },
    environment: { description: "Pulumi ESC environments the stack imports." },
} as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type JsonSchema = { $schema?: string; $defs?: Record<string, unknown>; properties: Record<string, unknown>; required?: string[] } & Record<string, unknown>;

/** The stack file's JSON Schema for a project named `project` (Pulumi.yaml `name`). */
export function stackFileJsonSchema(project: string): Record<string, unknown> {
    // Input, not output: the file holds what users write, before defaults; checks zod cannot say in
    // JSON Schema (refinements, transforms) are left to the program.
    const environment = z.toJSONSchema(environmentSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const { $schema, $defs, properties, required = [] } = environment;
    const keys = Object.keys(properties);
    const namespaced = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [`${project}:${key}`, schema]));
    return {
        $schema,
        title: `Pulumi stack file of ${project} (Pulumi.<stack>.yaml)`,
        description: "Generated from stacks/environmentSchema.ts by `npm run schema`; do not edit.",
        type: "object",
        properties: {
            config: {
                type: "object",
                description: `The stack's config: the environment under ${project}:, and the providers' own keys (aws:region).`,
                properties: {
                    "aws:region": { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$", description: "The AWS region the stack deploys to, such as eu-west-1." },
                    ...namespaced,
                },
                required: required.map((key) => `${project}:${key}`),
                // Every config key names its namespace (the plan refuses a bare key, as Pulumi does).
                propertyNames: { pattern: "^[^:]+:.+$" },
                patternProperties: { [`^${escapeRegExp(project)}:(?!(?:${keys.map(escapeRegExp).join("|")})$)`]: false },
            },
            ...STACK_FILE_KEYS,
        },
        additionalProperties: false,
        ...($defs ? { $defs } : {}),
    };
}
