import { EnvironmentErrorCode, PolicyViolationError, PulumiCliMissingError, QueueFullError, isEnvironmentError } from "../stacks/automation";

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
    "queue-full": 429,
    // Well-formed, understood, and refused by the policy pack's mandatory controls.
    "policy-violation": 422,
    "confirmation-required": 400,
    // The CLI ran and AWS refused the new version (ECS rolled it back): a bad gateway too.
    "deployment-rolled-back": 502,
};

/** When to try again after another process's update: a small deploy's duration. */
const BUSY_RETRY_AFTER_SECONDS = 60;

/** An answer of the portal's own (not the Automation API's), such as a stack file it does not have. */
export class HttpError extends Error {
    constructor(
        public readonly status: number,
        public readonly code: string,
        message: string,
        /** Headers of the answer: WWW-Authenticate with a 401, Retry-After with a 429. */
        public readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = "HttpError";
    }
}

export interface ErrorAnswer {
    status: number;
    headers: Record<string, string>;
    body: { error: { code: string; message: string } & Record<string, unknown> };
}

/** The HTTP status and JSON body that answer `error`. */
export function errorAnswer(error: unknown): ErrorAnswer {
    if (isEnvironmentError(error)) {
        const extra: Record<string, unknown> = {};
        if ("problems" in error) extra.problems = error.problems;
        if ("holder" in error && error.holder) extra.holder = error.holder;
        if (error instanceof PulumiCliMissingError) Object.assign(extra, { installCommand: error.installCommand, installUrl: error.installUrl });
        if (error instanceof PolicyViolationError) extra.violations = error.violations;
        const headers: Record<string, string> = {};
        if (error instanceof QueueFullError) {
            extra.retryAfterSeconds = error.retryAfterSeconds;
            headers["Retry-After"] = String(error.retryAfterSeconds);
        }
        // Another process's update (Pulumi Cloud's 409, a lock on the backend): worth trying again.
        if (error.code === "environment-busy") headers["Retry-After"] = String(BUSY_RETRY_AFTER_SECONDS);
        return { status: STATUS[error.code], headers, body: { error: { code: error.code, message: error.message, ...extra } } };
    }
    if (error instanceof HttpError) return { status: error.status, headers: error.headers, body: { error: { code: error.code, message: error.message } } };
    // express.json() marks a body it cannot parse or cannot take with type and status.
    const bodyFailure = error as { type?: string; status?: number; message?: string; limit?: number };
    if (bodyFailure?.type === "entity.too.large") {
        return { status: 413, headers: {}, body: { error: { code: "body-too-large", message: `The request body is larger than ${bodyFailure.limit ?? "the limit of"} bytes, the most this portal reads.` } } };
    }
    if (bodyFailure?.type === "entity.parse.failed" || bodyFailure?.status === 400) {
        return { status: 400, headers: {}, body: { error: { code: "bad-request", message: `The request body is not valid JSON: ${bodyFailure.message ?? ""}`.trim() } } };
    }
    console.error(error);
    return { status: 500, headers: {}, body: { error: { code: "internal", message: "Internal error: see the portal's log." } } };
}
