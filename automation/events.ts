import type { EngineEvent, OpMap, OpType } from "@pulumi/pulumi/automation";

/**
 * Progress a UI can show, from the engine's event stream: which resource started, finished or
 * failed, and how many of how many. The engine never says how many resources an operation will
 * touch; the total starts as an estimate made before the CLI runs (the offline plan's resource
 * count, or the resources in the stack's state) and grows if the engine reports more (awsx
 * components, which the offline plan shows as one resource, have children in a real run).
 */

/** The operations that change (or preview changes to) a stack, and report progress. */
export type ChangeOperation = "preview" | "deploy" | "refresh" | "destroy";

/** One resource step, with the operation's progress when it happened. */
export interface ResourceProgress {
    urn: string;
    /** The resource's type token, such as `aws:ecs/service:Service`. */
    resourceType: string;
    /** The resource's logical name, the last part of its URN. */
    name: string;
    /** What the engine does to it: create, update, replace, delete, same, refresh... */
    op: OpType;
    /** Resources finished (or failed) so far. */
    done: number;
    /** Resources the operation is expected to touch. */
    total: number;
}

export type OperationEvent =
    /** Another operation of this process holds the stack; this one waits its turn. */
    | { type: "queued"; environment: string; operation: ChangeOperation; ahead: number }
    /** Another process holds the stack's lock on the backend (`pid 42 on host-a since <time> (deploy)`); this one waits for it. */
    | { type: "waiting-for-lock"; environment: string; operation: ChangeOperation; holder: string }
    /** The engine started (its prelude). */
    | { type: "started"; environment: string; operation: ChangeOperation; total: number }
    | ({ type: "resource-started" } & ResourceProgress)
    | ({ type: "resource-done" } & ResourceProgress)
    /** `message` is the error the engine reported for this resource, when it said one. */
    | ({ type: "resource-failed"; message?: string } & ResourceProgress)
    | { type: "diagnostic"; severity: "info" | "warning" | "error"; message: string; urn?: string }
    | { type: "policy-violation"; policy: string; policyPack: string; enforcement: string; message: string; urn?: string }
    /** A plugin download or install, which a first deploy on a machine waits for. */
    | { type: "download"; message: string; received: number; total: number; finished: boolean }
    | { type: "summary"; changes: OpMap; durationSeconds: number; maybeCorrupt: boolean; done: number; total: number };

export interface ProgressContext {
    environment: string;
    operation: ChangeOperation;
    /** Resources expected, counted before the CLI runs. */
    estimatedTotal: number;
}

/** The engine's plugin progress event, which the SDK's EngineEvent type does not declare (yet). */
interface EngineProgressEvent {
    message: string;
    received: number;
    total: number;
    done: boolean;
}

// ANSI colour codes, and Pulumi's own `<{%reset%}>` colour tags when output is "raw".
const COLOUR = /\u001b\[[0-9;]*m|<\{%[^%]*%\}>/g;

/** Maps an operation's engine events, in order, to progress events. One instance per operation. */
export class OperationProgress {
    private readonly seen = new Set<string>();
    private readonly finished = new Set<string>();
    private readonly lastError = new Map<string, string>();
    private readonly errorMessages: string[] = [];

    constructor(private readonly context: ProgressContext) {}

    /** The error diagnostics seen so far: the root causes a failure message should name. */
    get errors(): readonly string[] {
        return this.errorMessages;
    }

    get done(): number {
        return this.finished.size;
    }

    get total(): number {
        return Math.max(this.context.estimatedTotal, this.seen.size);
    }

    /** The progress events one engine event stands for (none for events a UI has no use for). */
    map(event: EngineEvent): OperationEvent[] {
        const { environment, operation } = this.context;
        if (event.preludeEvent) return [{ type: "started", environment, operation, total: this.total }];
        if (event.resourcePreEvent) {
            const { metadata } = event.resourcePreEvent;
            if (isProvider(metadata.type)) return [];
            this.seen.add(metadata.urn);
            return [{ type: "resource-started", ...this.step(metadata) }];
        }
        if (event.resOutputsEvent) {
            const { metadata } = event.resOutputsEvent;
            if (isProvider(metadata.type)) return [];
            this.seen.add(metadata.urn);
            this.finished.add(metadata.urn);
            return [{ type: "resource-done", ...this.step(metadata) }];
        }
        if (event.resOpFailedEvent) {
            const { metadata } = event.resOpFailedEvent;
            // A provider that fails (bad credentials, no region) is worth showing, not counting.
            if (!isProvider(metadata.type)) {
                this.seen.add(metadata.urn);
                this.finished.add(metadata.urn);
            }
            const message = this.lastError.get(metadata.urn);
            return [{ type: "resource-failed", ...this.step(metadata), ...(message ? { message } : {}) }];
        }
        if (event.diagnosticEvent) {
            const { severity, urn, ephemeral } = event.diagnosticEvent;
            const message = clean(event.diagnosticEvent.message);
            // Ephemeral diagnostics are status lines the CLI overwrites ("creating..."): not news.
            if (ephemeral || !message) return [];
            if (severity === "error") {
                this.errorMessages.push(message);
                if (urn) this.lastError.set(urn, message);
            }
            const level = severity === "error" || severity === "warning" ? severity : "info";
            return [{ type: "diagnostic", severity: level, message, ...(urn ? { urn } : {}) }];
        }
        if (event.policyEvent) {
            const p = event.policyEvent;
            return [
                {
                    type: "policy-violation",
                    policy: p.policyName,
                    policyPack: p.policyPackName,
                    enforcement: p.enforcementLevel,
                    message: clean(p.message),
                    ...(p.resourceUrn ? { urn: p.resourceUrn } : {}),
                },
            ];
        }
        const download = (event as { progressEvent?: EngineProgressEvent }).progressEvent;
        if (download) {
            return [{ type: "download", message: clean(download.message), received: download.received, total: download.total, finished: download.done }];
        }
        if (event.summaryEvent) {
            const s = event.summaryEvent;
            return [{ type: "summary", changes: s.resourceChanges ?? {}, durationSeconds: s.durationSeconds, maybeCorrupt: s.maybeCorrupt, done: this.done, total: this.total }];
        }
        return [];
    }

    private step(metadata: { urn: string; type: string; op: OpType }): ResourceProgress {
        return { urn: metadata.urn, resourceType: metadata.type, name: nameOf(metadata.urn), op: metadata.op, done: this.done, total: this.total };
    }
}

/** Provider resources are the engine's plumbing, not part of the environment: not counted. */
function isProvider(type: string): boolean {
    return type.startsWith("pulumi:providers:");
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function clean(message: string): string {
    return message.replace(COLOUR, "").trim();
}
