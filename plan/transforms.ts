import * as pulumi from "@pulumi/pulumi";
import { Callback } from "@pulumi/pulumi/proto/callback_pb";
import { DependencyProviderResource, DependencyResource } from "@pulumi/pulumi/resource";
import { deserializeProperties, serializeProperties } from "@pulumi/pulumi/runtime/rpc";

/**
 * Resource transforms, run offline as the Pulumi engine runs them.
 *
 * A transform (the `transforms` resource option, or `pulumi.runtime.registerResourceTransform`)
 * is a callback the engine calls, not the SDK: the SDK registers each one with a callback server
 * and sends tokens in the RegisterResource request, and the engine calls them back before it
 * records the resource. Pulumi's mock monitor never calls them (and the SDK refuses to register
 * them under mocks), so without this the offline plan, its cost and its controls would describe
 * a stack that is not the one deployed.
 *
 * The engine's order (pulumi/pulumi, pkg/resource/deploy/source_eval.go, RegisterResource): the
 * resource's own transforms, then those of its parent, its grandparent and so on up to the stack,
 * then the stack transforms registered so far. Each receives what the previous one returned;
 * returning undefined leaves the resource unchanged; a result with `opts` replaces the options.
 */

type Transform = pulumi.ResourceTransform;

/**
 * Stands in for the SDK's callback server (runtime/callbacks.js): same methods, but it keeps the
 * functions in this process instead of serving them over gRPC, so no port is opened.
 */
export class OfflineCallbacks {
    private readonly transforms = new Map<string, Transform>();
    private nextToken = 0;
    /** Stack transforms, in the order they were registered. */
    public readonly stackTransforms: Transform[] = [];

    async registerTransform(transform: Transform): Promise<Callback> {
        const token = `offline-transform-${++this.nextToken}`;
        this.transforms.set(token, transform);
        return new Callback().setToken(token).setTarget("offline");
    }

    registerStackTransform(transform: Transform): void {
        this.stackTransforms.push(transform);
    }

    transform(token: string): Transform {
        const transform = this.transforms.get(token);
        if (!transform) throw new Error(`the offline engine has no transform registered under ${token}`);
        return transform;
    }

    awaitStackRegistrations(): Promise<void> {
        return Promise.resolve();
    }

    registerStackInvokeTransform(): never {
        throw new Error("the offline plan does not run invoke transforms (pulumi.runtime.registerInvokeTransform)");
    }

    shutdown(): void {
        this.transforms.clear();
    }
}

/** The part of a RegisterResource request that transforms read and change. */
export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getParent(): string;
    getObject(): ProtoStruct;
    setObject(value: ProtoStruct): unknown;
    getProtect(): boolean;
    setProtect(value: boolean): unknown;
    getRetainondelete(): boolean;
    setRetainondelete(value: boolean): unknown;
    getIgnorechangesList(): string[];
    setIgnorechangesList(value: string[]): unknown;
    getReplaceonchangesList(): string[];
    setReplaceonchangesList(value: string[]): unknown;
    getDependenciesList(): string[];
    setDependenciesList(value: string[]): unknown;
    getDeletebeforereplace(): boolean;
    setDeletebeforereplace(value: boolean): unknown;
    getAdditionalsecretoutputsList(): string[];
    setAdditionalsecretoutputsList(value: string[]): unknown;
    getProvider(): string;
    getVersion(): string;
}

/** google.protobuf.Struct, reached through the request so this file needs no protobuf package of its own. */
interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
type StructClass = { fromJavaScript(value: Record<string, unknown>): ProtoStruct };

/** Transforms of registered resources and their parents, so children inherit their ancestors'. */
export class TransformRegistry {
    private readonly own = new Map<string, Transform[]>();
    private readonly parents = new Map<string, string>();

    /**
     * @param skip transforms not to run: the plan leaves out the preflight's (it reports the same
     * rules' findings over the whole stack instead of failing at the first resource).
     */
    constructor(
        private readonly callbacks: OfflineCallbacks,
        private readonly skip: (transform: Transform) => boolean = () => false,
    ) {}

    /** Runs the transforms that apply to the resource `urn` and writes their result into the request. */
    async apply(urn: string, req: RegisterRequest & { getTransformsList(): Callback[] }): Promise<void> {
        const parent = req.getParent();
        const own = req.getTransformsList().map((callback) => this.callbacks.transform(callback.getToken()));
        this.own.set(urn, own);
        if (parent) this.parents.set(urn, parent);
        const chain = [...own];
        for (let current = parent; current; current = this.parents.get(current) ?? "") {
            chain.push(...(this.own.get(current) ?? []));
        }
        chain.push(...this.callbacks.stackTransforms);
        const run = chain.filter((transform) => !this.skip(transform));
        if (run.length === 0) return;

        const struct = req.getObject().constructor as unknown as StructClass;
        let props: pulumi.Inputs = deserializeProperties(req.getObject() as Parameters<typeof deserializeProperties>[0]);
        let opts = optionsOf(req);
        for (const transform of run) {
            const result = await transform({ type: req.getType(), name: req.getName(), custom: req.getCustom(), props, opts });
            if (result === undefined) continue;
            props = result.props;
            // As the engine does: options a transform returns replace the options, they are not merged.
            if (result.opts !== undefined) opts = result.opts;
        }
        req.setObject(struct.fromJavaScript(await serializeProperties("props", props)));
        await writeOptions(req, opts);
    }
}

/** The options a transform sees, read from the request as the SDK's callback server reads them. */
function optionsOf(req: RegisterRequest): pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions {
    const opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions = {
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        dependsOn: req.getDependenciesList().map((urn) => new DependencyResource(urn)),
        parent: req.getParent() ? new DependencyResource(req.getParent()) : undefined,
        provider: req.getProvider() ? new DependencyProviderResource(req.getProvider()) : undefined,
        version: req.getVersion() || undefined,
    };
    if (req.getCustom()) {
        opts.deleteBeforeReplace = req.getDeletebeforereplace();
        opts.additionalSecretOutputs = req.getAdditionalsecretoutputsList();
    }
    return opts;
}

async function writeOptions(req: RegisterRequest, opts: pulumi.CustomResourceOptions): Promise<void> {
    req.setProtect(opts.protect === true);
    req.setRetainondelete(opts.retainOnDelete === true);
    req.setIgnorechangesList(opts.ignoreChanges ?? []);
    req.setReplaceonchangesList(opts.replaceOnChanges ?? []);
    req.setDeletebeforereplace(opts.deleteBeforeReplace === true);
    req.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
    const dependsOn = opts.dependsOn === undefined ? [] : await resolveDependsOn(opts.dependsOn);
    req.setDependenciesList(dependsOn);
}

async function resolveDependsOn(dependsOn: NonNullable<pulumi.CustomResourceOptions["dependsOn"]>): Promise<string[]> {
    // Output.promise() is internal to the SDK; its callback server resolves dependsOn the same way.
    const resolved = await (pulumi.output(dependsOn as pulumi.Input<pulumi.Resource[]>) as unknown as { promise(): Promise<unknown> }).promise();
    const list = (Array.isArray(resolved) ? resolved : [resolved]) as pulumi.Resource[];
    return Promise.all(list.map((resource) => (resource.urn as unknown as { promise(): Promise<string> }).promise()));
}
