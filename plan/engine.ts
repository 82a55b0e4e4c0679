import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { StackResource } from "../analysis/stackResources";
import { PLACEHOLDER_ACCOUNT, PlanContext, invokeResult, resourceState } from "./placeholders";
import { isPreflightTransform } from "../components/preflight";
import { OfflineCallbacks, TransformRegistry } from "./transforms";

/**
 * The offline engine: runs a Pulumi program in this process on Pulumi's mock runtime, with a
 * stack's config, and records every resource it registers: type, inputs, parent, dependencies and
 * resource options. No CLI, no plugins, no cloud account. IDs and ARNs are placeholders, and what
 * a provider would fill in by itself (its defaults) is not there.
 */

/** A resource as registered, plus the placeholder outputs the engine answered with. */
export interface PlannedResource extends StackResource {
    outputs: Record<string, unknown>;
    /** A component another plugin implements (awsx): offline it shows as one resource, without its children. */
    remote?: boolean;
}

export interface ProgramRun {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** The images the program read from ECR by tag (`aws.ecr.getImage`): what CI must have pushed before a deploy. */
    imageLookups: ImageLookupRecord[];
}

export interface ImageLookupRecord {
    repository: string;
    tag: string;
    /** The account whose registry holds it, when the program names one (another account's release repository). */
    registryId?: string;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** Config as Pulumi holds it: `project:key` to a string (objects as JSON). */
    config?: Record<string, string>;
    secretKeys?: string[];
    /** A pretend account and region; the region defaults to `aws:region` from the config. */
    context?: Partial<PlanContext>;
    /**
     * Run the preflight's transform (components/preflight.ts) as a real `pulumi up` does: the first
     * resource AWS would refuse fails the run with its PreflightError, before it is registered.
     * Off (the plan): the run completes and the plan reports every finding.
     * @default false
     */
    enforcePreflight?: boolean;
    /**
     * Run as `pulumi preview` does (`pulumi.runtime.isDryRun()` is true): a value not known yet
     * reaches the resources and their transforms as unknown.
     * @default false
     */
    preview?: boolean;
    /** Keep stack traces of errors raised while the program runs (slower; for debugging the plan). */
    stackTraces?: boolean;
}

interface Pending {
    urn: string;
    record: PlannedResource;
}

/**
 * Pulumi's MockMonitor, also keeping what the request says beyond type, name and inputs, and
 * running the registered transforms first, as the engine does.
 */
class RecordingMonitor extends MockMonitor {
    public readonly records: PlannedResource[] = [];
    public current: Pending | undefined;
    /** Registrations the engine refused: a deployment stops at the first. */
    public readonly failures: Error[] = [];

    constructor(mocks: pulumi.runtime.Mocks, private readonly transforms: TransformRegistry) {
        super(mocks);
    }

    override async registerResource(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
        const parent: string = req.getParent();
        const urn = (this as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn(parent, req.getType(), req.getName());
        try {
            await this.transforms.apply(urn, req);
        } catch (error) {
            // The engine fails the registration, and with it the deployment. A user's mistake (a
            // ValidationError, such as the preflight's) stays itself, so its message reads as written.
            const failure = (error as { __pulumiRunError?: boolean })?.__pulumiRunError ? (error as Error) : new Error(`transform of ${req.getType()} ${req.getName()} failed: ${(error as Error).message ?? error}`);
            this.failures.push(failure);
            callback(failure);
            return;
        }
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const record: PlannedResource = {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            ...(req.getRemote() ? { remote: true } : {}),
            parent: parent || undefined,
            inputs: {},
            outputs: {},
            propertyDependencies,
            dependencies: req.getDependenciesList(),
            options: {
                protect: req.getProtect() || undefined,
                retainOnDelete: req.getRetainondelete() || undefined,
                ignoreChanges: req.getIgnorechangesList().length > 0 ? req.getIgnorechangesList() : undefined,
                // Only when set: a deployment strategy's rules and long waits use these.
                ...(req.getReplaceonchangesList().length > 0 ? { replaceOnChanges: req.getReplaceonchangesList() } : {}),
                ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true } : {}),
                ...(req.getCustomtimeouts()?.getUpdate() ? { updateTimeout: req.getCustomtimeouts()!.getUpdate() } : {}),
            },
        };
        this.records.push(record);
        // MockMonitor calls `newResource` synchronously on entry, so the mock knows whose state it makes.
        this.current = { urn, record };
        const done = super.registerResource(req, callback);
        this.current = undefined;
        return done;
    }
}

/** Pulumi's runtime state is global to the process: runs take turns. */
let previousRun: Promise<unknown> = Promise.resolve();

/** Runs `program` offline and returns what it registered. Concurrent calls are queued: one run at a time per process. */
export function runProgram(program: () => unknown, options: RunOptions): Promise<ProgramRun> {
    const run = previousRun.then(() => runNow(program, options));
    previousRun = run.catch(() => undefined);
    return run;
}

async function runNow(program: () => unknown, options: RunOptions): Promise<ProgramRun> {
    const config = options.config ?? {};
    const ctx: PlanContext = {
        region: options.context?.region ?? config["aws:region"] ?? "us-east-1",
        accountId: options.context?.accountId ?? PLACEHOLDER_ACCOUNT,
        availabilityZones: options.context?.availabilityZones ?? ["a", "b", "c"].map((z) => `${config["aws:region"] ?? "us-east-1"}${z}`),
        images: options.context?.images,
    };
    let monitor: RecordingMonitor | undefined;
    const imageLookups: ImageLookupRecord[] = [];
    const mocks: pulumi.runtime.Mocks = {
        newResource(args) {
            const pending = monitor?.current;
            const urn = pending?.urn ?? `${args.type}::${args.name}`;
            const { id, state } = resourceState(args.type, args.name, urn, args.inputs, ctx);
            if (pending) {
                pending.record.inputs = args.inputs;
                pending.record.outputs = { id, ...state };
            }
            return { id, state };
        },
        call(args) {
            if (args.token === "aws:ecr/getImage:getImage" && typeof args.inputs.imageTag === "string") {
                const registryId = typeof args.inputs.registryId === "string" ? args.inputs.registryId : undefined;
                const lookup: ImageLookupRecord = { repository: String(args.inputs.repositoryName), tag: args.inputs.imageTag, ...(registryId ? { registryId } : {}) };
                if (!imageLookups.some((l) => l.repository === lookup.repository && l.tag === lookup.tag && l.registryId === lookup.registryId)) imageLookups.push(lookup);
            }
            try {
                return invokeResult(args.token, args.inputs, ctx);
            } catch (error) {
                // The SDK reads a failed invoke's message from the gRPC status' `details`, as the engine sends it.
                throw Object.assign(error as Error, { details: (error as Error).message });
            }
        },
    };
    pulumi.runtime.setAllConfig(config, options.secretKeys ?? []);
    await pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview === true);
    const callbacks = new OfflineCallbacks();
    monitor = new RecordingMonitor(mocks, new TransformRegistry(callbacks, options.enforcePreflight ? () => false : isPreflightTransform));
    // setMocks installed a plain MockMonitor; ours replaces it (the runtime reads it from its store).
    // It also told the SDK that transforms are unsupported (the SDK then throws on registering one);
    // this engine runs them, through callbacks kept in this process.
    const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: unknown }; supportsTransforms: boolean; callbacks: unknown } }).getStore();
    store.settings.monitor = monitor;
    store.supportsTransforms = true;
    store.callbacks = callbacks;

    // The SDK captures a stack trace for every promise and resource registration (for leak reports
    // and source positions). Offline they serve nothing and formatting them is most of the run's
    // time: 20 services took 3.8 s with traces, 0.6 s without.
    const stackTraceLimit = Error.stackTraceLimit;
    // For a resource's source position the SDK lifts the limit and parses a full trace (Resource.callsites):
    // offline nobody reads positions, and skipping them took 6% off a 50-service plan.
    const resourceClass = pulumi.Resource as unknown as { callsites(): unknown[] };
    const callsites = Object.getOwnPropertyDescriptor(resourceClass, "callsites");
    if (!options.stackTraces) {
        Error.stackTraceLimit = 0;
        if (callsites) Object.defineProperty(resourceClass, "callsites", { ...callsites, value: () => [] });
    }
    // A value that fails inside an apply (an image tag that is not pushed) fails the registration of
    // every resource that takes it, and the SDK rethrows that where nobody awaits it: the real
    // language host stops the deployment on that unhandled rejection. Here it fails this run, and
    // only this run; the resources waiting on the failed value never register, as in a real deploy.
    let failRun: (reason: unknown) => void = () => undefined;
    const runFailed = new Promise<never>((_, reject) => (failRun = reject));
    runFailed.catch(() => undefined);
    const onRejection = (reason: unknown) => failRun(reason);
    process.on("unhandledRejection", onRejection);
    try {
        // A program that throws (a config error) must reject this call only; thrown inside the stack
        // resource's initialisation, it would also reject promises nobody awaits and crash the process.
        let failure: { error: unknown } | undefined;
        const stack = pulumi.runtime.runInPulumiStack(async () => {
            try {
                return (await program()) as pulumi.Inputs;
            } catch (error) {
                failure = { error };
                return {};
            }
        });
        // The stack's outputs may wait on a value that failed: they never resolve then.
        let outputs: pulumi.Inputs = {};
        try {
            outputs = (await Promise.race([stack, runFailed])) ?? {};
            await Promise.race([(pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs(), runFailed]);
        } catch (error) {
            // A registration the engine refused reaches the program as the SDK's "failed to register
            // new resource" error; the refusal itself is the message the user needs.
            throw monitor.failures[0] ?? error;
        }
        if (failure) throw failure.error;
        if (monitor.failures.length > 0) throw monitor.failures[0];
        return { project: options.project, stack: options.stack, resources: monitor.records, outputs: outputs as Record<string, unknown>, imageLookups };
    } finally {
        process.off("unhandledRejection", onRejection);
        Error.stackTraceLimit = stackTraceLimit;
        if (callsites) Object.defineProperty(resourceClass, "callsites", callsites);
    }
}
