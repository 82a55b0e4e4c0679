import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { PreflightError, PreflightFinding, checkResource } from "../core/preflight";
import { PACKAGE_NAME } from "./componentType";

/**
 * AWS's own rules (core/preflight), checked by the program itself on every resource as it
 * registers, before the engine sends anything to AWS: a real `pulumi preview` or `pulumi up`
 * without the policy pack stops on a setting AWS would refuse, with the plan's message.
 *
 * It is a resource transform because a transform is the last thing to see a resource's inputs
 * before the engine records it: the engine calls a resource's own transforms, then its parents'
 * (nearest first), then the stack's, each on the previous one's result, so a check that comes last
 * judges what a user's `transforms` or `childTransforms` made, not what the component wrote.
 *
 * - Components add it to their own `transforms`, after the caller's, when no component of this
 *   package above them does (the outermost one runs last of them, after every transform the caller
 *   put on any of them), and when the program has not registered it for the whole stack.
 * - A program registers it once for the whole stack (`registerPreflight`), which also covers the
 *   resources it makes outside components. It runs after the transforms registered before it.
 * - Only values known when the resource registers are judged: during a preview, values another
 *   resource of the same deploy makes are unknown and left alone; during `pulumi up` the SDK waits
 *   for every input before it registers a resource, so they are all judged then, still before that
 *   resource is created. The rules across resources (listener rules of one load balancer) need the
 *   whole stack: the plan and the policy pack run them.
 * - An engine that cannot run transforms (a CLI before transforms, Pulumi's mock runtime before
 *   SDK 3.260, which throws on them) gets none: nothing is registered, the plan and the policy pack
 *   still judge the stack.
 *
 * The offline plan recognises this transform (PREFLIGHT_TRANSFORM) and reports its findings with
 * the rest of the plan instead of failing the run; with `enforcePreflight` it runs it as the engine does.
 */

/** Marks the preflight's transform, so the offline plan can tell it from a user's (shared across copies of this package). */
export const PREFLIGHT_TRANSFORM = Symbol.for(`${PACKAGE_NAME}.preflight`);

/** Whether the engine this program talks to runs resource transforms (the SDK's own flag, set when it connects). */
function engineRunsTransforms(): boolean {
    try {
        const state = require("@pulumi/pulumi/runtime/state") as { getStore?(): { supportsTransforms?: boolean } };
        return state.getStore?.().supportsTransforms === true;
    } catch {
        return false;
    }
}

/**
 * The URN a resource will have under `parentUrn`: the parent's stack and project, the parent's
 * type chain (without the stack's own type) then `$`, its type, its name. The parent's type chain
 * has colons of its own (`fargate-service:index:FargateService`), so the URN is split at its `::`
 * separators (https://www.pulumi.com/docs/iac/concepts/resources/names/#urns); a resource name may
 * hold `::`, so everything after the fourth separator is the name.
 */
export function childUrn(parentUrn: string | undefined, type: string, name: string, stack: string, project: string): string {
    const parts = parentUrn?.startsWith("urn:pulumi:") ? parentUrn.slice("urn:pulumi:".length).split("::") : [];
    if (parts.length < 4) return `urn:pulumi:${stack}::${project}::${type}::${name}`;
    const [parentStack, parentProject, parentChain] = parts;
    const chain = parentChain === "pulumi:pulumi:Stack" ? "" : `${parentChain}$`;
    return `urn:pulumi:${parentStack}::${parentProject}::${chain}${type}::${name}`;
}

/** The URN a resource will have, from its parent's URN. */
async function urnOf(args: pulumi.ResourceTransformArgs): Promise<string> {
    const parent = args.opts.parent ? await (args.opts.parent.urn as unknown as { promise(): Promise<string> }).promise().catch(() => undefined) : undefined;
    return childUrn(parent, args.type, args.name, pulumi.getStack(), pulumi.getProject());
}

/**
 * Inputs as the rules read them: Outputs and promises resolved, secrets unwrapped, and what is not
 * known yet (an unknown Output, the engine's unknown marker, a resource reference) undefined, its
 * key kept so a rule can tell it from an input left out.
 */
export async function knownInputs(value: unknown, secrets?: Set<string>, secret = false): Promise<any> {
    const known = (v: unknown, isSecret = secret) => knownInputs(v, secrets, isSecret);
    if (pulumi.Output.isInstance(value)) {
        const output = value as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(): Promise<unknown> };
        try {
            return (await output.isKnown) ? known(await output.promise(), secret || (await output.isSecret)) : undefined;
        } catch {
            // An input that failed fails the registration by itself; the preflight has nothing to add.
            return undefined;
        }
    }
    if (value instanceof Promise) return known(await value.catch(() => undefined));
    // The engine's marker for a value unknown during a preview, as its callback server passes it.
    if (isUnknown(value)) return undefined;
    if (value === null || typeof value !== "object") {
        if (secret && value !== undefined && value !== null && String(value) !== "") secrets?.add(String(value));
        return value;
    }
    if (pulumi.Resource.isInstance(value) || pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) return undefined;
    if ((value as Record<string, unknown>)[specialSigKey] === specialSecretSig) return known((value as Record<string, unknown>).value, true);
    if (Array.isArray(value as unknown)) return Promise.all((value as unknown[]).map((v) => known(v)));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = await known(v);
    return out;
}

/**
 * A finding as it may be shown: a rule quotes the value it refuses, and a secret's value must not
 * reach the console or the deploy's logs, so each secret value in the message reads `[secret]`.
 */
export function withoutSecrets(finding: PreflightFinding, secrets: ReadonlySet<string>): PreflightFinding {
    let message = finding.message;
    // Longest first, so a secret that contains another is replaced whole.
    for (const value of [...secrets].sort((a, b) => b.length - a.length)) message = message.split(value).join("[secret]");
    return message === finding.message ? finding : { ...finding, message };
}

/**
 * The messages of the refusals this process made. A transform's error reaches the engine as text,
 * and comes back to the program inside the SDK's own error ("failed to register new resource …:
 * 2 UNKNOWN: invoke transform: … <message>"), a plain Error the language host prints with its stack
 * trace. The refusal is a user's mistake, and the message says all there is to say.
 */
const refusals = new Set<string>();

/**
 * Turns the SDK's error for a registration the preflight refused back into the refusal: its message
 * alone, marked as a run error (Pulumi's language host prints those without a stack trace). Returns
 * whether the error was one.
 */
export function restoreRefusal(reason: unknown): boolean {
    if (!(reason instanceof Error) || (reason as { __pulumiRunError?: boolean }).__pulumiRunError) return false;
    for (const message of refusals) {
        if (reason.message.includes(message)) {
            reason.message = message;
            Object.assign(reason, { __pulumiRunError: true });
            return true;
        }
    }
    return false;
}

let restoring = false;
function restoreRefusalsFirst(): void {
    // Only where something already handles unhandled rejections (Pulumi's language host does): a
    // listener added to a process with none would keep Node from stopping on every other one.
    if (restoring || process.listenerCount("unhandledRejection") === 0) return;
    restoring = true;
    process.prependListener("unhandledRejection", restoreRefusal);
}

/** The preflight as a resource transform: throws a PreflightError naming each setting AWS would refuse; changes nothing. */
export const preflightTransform: pulumi.ResourceTransform = Object.assign(
    async (args: pulumi.ResourceTransformArgs): Promise<undefined> => {
        // Components are checked through their children; only cloud resources reach AWS.
        if (!args.custom) return undefined;
        const secrets = new Set<string>();
        const inputs = (await knownInputs(args.props, secrets)) as Record<string, any>;
        const findings = checkResource({ urn: await urnOf(args), type: args.type, name: args.name, inputs }).map((f) => withoutSecrets(f, secrets));
        if (findings.length === 0) return undefined;
        const refusal = new PreflightError(findings);
        refusals.add(refusal.message);
        restoreRefusalsFirst();
        throw refusal;
    },
    { [PREFLIGHT_TRANSFORM]: true },
);

export const isPreflightTransform = (transform: unknown): boolean => typeof transform === "function" && (transform as unknown as Record<symbol, unknown>)[PREFLIGHT_TRANSFORM] === true;

/** Programs that registered the preflight for the whole stack, by engine connection (a program run). */
const stackWide = new WeakSet<object>();
const currentRun = (): object | undefined => getMonitor() as object | undefined;

/**
 * Registers the preflight for every resource of the stack: call it first in a program, before
 * the resources it makes. Returns false (and registers nothing) where the engine runs no transforms.
 *
 * @example
 * ```ts
 * export = async () => {
 *     registerPreflight();
 *     new FargateService("api", args);
 * };
 * ```
 */
export function registerPreflight(): boolean {
    const run = currentRun();
    if (!engineRunsTransforms() || run === undefined) return false;
    if (stackWide.has(run)) return true;
    pulumi.runtime.registerResourceTransform(preflightTransform);
    stackWide.add(run);
    return true;
}

/** Whether a component of this package sits above `parent` (its type token carries our package's name). */
function insideOurComponent(parent: pulumi.Resource | undefined): boolean {
    for (let r: any = parent; r; r = r.__parentResource) {
        if (typeof r.__pulumiType === "string" && r.__pulumiType.startsWith(`${PACKAGE_NAME}:`)) return true;
    }
    return false;
}

/**
 * A component's options with the preflight added to its transforms, after the caller's: each of its
 * children is checked once, last, unless a component of ours above it or the program's stack-wide
 * registration already checks it.
 */
export function withPreflight<T extends pulumi.ComponentResourceOptions>(opts: T | undefined): T {
    const options = (opts ?? {}) as T;
    const run = currentRun();
    if (!engineRunsTransforms() || (run !== undefined && stackWide.has(run)) || insideOurComponent(options.parent)) return options;
    return { ...options, transforms: [...(options.transforms ?? []), preflightTransform] };
}
