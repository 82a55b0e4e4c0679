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
 * Bad input, reported before anything is created. Pulumi shows errors marked as run errors
 * without a stack trace (the `__pulumiRunError` marker is how its SDK recognises them, across
 * copies of the SDK): a user's mistake deserves a message, not a trace.
 */
export class ValidationError extends Error {
    public readonly __pulumiRunError = true;

    constructor(
        /** Where the input came from: a stack file, a component, an API argument. */
        public readonly source: string,
        public readonly problems: Problem[],
    ) {
        super(problems.map((p) => `${source}: ${p.path}: ${p.message}`).join("\n"));
        this.name = "ValidationError";
    }
}
