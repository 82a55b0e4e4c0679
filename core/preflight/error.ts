import { ValidationError } from "../validationError";
import { PreflightFinding, describeFinding } from "./types";

/**
 * A resource AWS would refuse, found as the program registers it: a ValidationError (so Pulumi
 * shows it as a user's mistake, without a stack trace, and it is caught like any other bad input),
 * whose message is the plan's own line for each finding: resource, input, what was given, what AWS
 * allows, the rule and its source.
 */
export class PreflightError extends ValidationError {
    constructor(public readonly findings: readonly PreflightFinding[]) {
        super(
            findings.length > 0 ? `${findings[0].resource} (${findings[0].type})` : "preflight",
            findings.map((f) => ({ path: f.key ?? "(resource)", message: `${f.message} [${f.rule}, ${f.source}]` })),
        );
        this.name = "PreflightError";
        const n = findings.length;
        this.message = `${n} setting${n === 1 ? "" : "s"} AWS would refuse (preflight), nothing was sent to AWS for this resource:\n${findings.map((f) => `  ${describeFinding(f)}`).join("\n")}`;
    }
}
