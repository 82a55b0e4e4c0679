import { EnvironmentErrorCode, PulumiCliMissingError, isEnvironmentError } from "../stacks/automation";

/**
 * The Automation API's errors as HTTP answers: a status a client can branch on and a JSON body
 * with the code, the message and, for a config, every problem. A user's mistake never shows a
 * stack trace; an unexpected error is logged here and answered with a plain 500.
 */

const STATUS: Record<EnvironmentErrorCode, number> = {
    "config-invalid": 400,
    "environment-not-found": 404,
    "environment-busy": 409,
    // The server cannot do it as configured: nothing the caller can change.
    "cli-missing": 503,
    "aws-credentials": 503,
    // nginx's "client closed request": the caller's own cancellation.
    cancelled: 499,
    // The CLI ran and failed (a cloud error): a bad gateway, in HTTP's words.
    "operation-failed": 502,
};

/** An answer of the portal's own (not the Automation API's), such as a stack file it does not have. */
export class HttpError extends Error {
    constructor(
        public readonly status: number,
        public readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = "HttpError";
    }
}

export interface ErrorAnswer {
    status: number;
    body: { error: { code: string; message: string } & Record<string, unknown> };
}

/** The HTTP status and JSON body that answer `error`. */
export function errorAnswer(error: unknown): ErrorAnswer {
    if (isEnvironmentError(error)) {
        const extra: Record<string, unknown> = {};
        if ("problems" in error) extra.problems = error.problems;
        if ("holder" in error && error.holder) extra.holder = error.holder;
        if (error instanceof PulumiCliMissingError) Object.assign(extra, { installCommand: error.installCommand, installUrl: error.installUrl });
        return { status: STATUS[error.code], body: { error: { code: error.code, message: error.message, ...extra } } };
    }
    if (error instanceof HttpError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
    // express.json() marks a body it cannot parse with type and status.
    const parseFailure = error as { type?: string; status?: number; message?: string };
    if (parseFailure?.type === "entity.parse.failed" || parseFailure?.status === 400) {
        return { status: 400, body: { error: { code: "bad-request", message: `The request body is not valid JSON: ${parseFailure.message ?? ""}`.trim() } } };
    }
    console.error(error);
    return { status: 500, body: { error: { code: "internal", message: "Internal error: see the portal's log." } } };
}
