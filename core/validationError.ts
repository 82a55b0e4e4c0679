import { InputPropertiesError } from "@pulumi/pulumi/errors";

/**
 * The error every validation reports. Kept apart from the zod schemas (core/validation.ts) so the
 * published declarations of the component, which export this class, do not pull in zod's: those
 * fail to compile in projects without `esModuleInterop` or `skipLibCheck`, such as Pulumi's own
 * TypeScript template.
 */

export interface Problem {
    /** The key path, such as `services.api.cpu`. */
    path: string;
    message: string;
}

/**
 * Bad input, reported before anything is created, as Pulumi's own InputPropertiesError: a
 * component served to Python, Go or C# (plugin/) answers with one error per property, which the
 * engine shows against that argument in the user's language.
 *
 * It also carries the marker of Pulumi's RunError. The Node.js runtime prints a RunError's message
 * alone, and anything else, InputPropertiesError included (checked in @pulumi/pulumi 3.142 to
 * 3.248: cmd/run/run.js), with a stack trace; a user's mistake deserves a message, not a trace. A
 * class can extend only one of the two, and the SDK recognises both by their markers (so that
 * two copies of the SDK in one program agree), so the RunError one is set here by name.
 * InputPropertiesError exists at the component's peer floor, @pulumi/pulumi 3.142.0.
 */
export class ValidationError extends InputPropertiesError {
    /** Pulumi's RunError marker: the Node.js runtime then prints the message without a stack trace. */
    public readonly __pulumiRunError = true;

    constructor(
        /** Where the input came from: a stack file, a component, an API argument. */
        public readonly source: string,
        public readonly problems: Problem[],
        /**
         * The name the paths start with that is not an input property: a component's problems
         * read `args.cpu` for its users, while the engine knows the property as `cpu`.
         */
        inputsRoot?: string,
    ) {
        super({
            message: problems.map((p) => `${source}: ${p.path}: ${p.message}`).join("\n"),
            errors: problems.map((p) => ({ propertyPath: inputsRoot && p.path.startsWith(`${inputsRoot}.`) ? p.path.slice(inputsRoot.length + 1) : p.path, reason: p.message })),
        });
        this.name = "ValidationError";
    }
}
