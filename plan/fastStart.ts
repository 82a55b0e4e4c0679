import Module from "node:module";
import * as path from "node:path";

/**
 * Modules the plan's dependencies load when they start but an offline run never uses, loaded on
 * first use instead. Nothing changes for a program that does use them: it gets the real module the
 * moment it touches it. Measured on `plan dev`: 499 modules loaded before, 259 after, about 0.1 s
 * of CPU less (the SDK's closure serializer alone was half a second and 80 MB).
 *
 * Install before `@pulumi/pulumi` and `zod` are first loaded.
 */

/**
 * Pulumi's SDK loads its closure serializer (which turns JavaScript functions into Lambda code)
 * when it starts, and with it npm's Arborist and the TypeScript compiler. The runtime copies these
 * modules' exports by name, so each gets stand-in functions that load the real module on their
 * first call.
 */
const DEFERRED_FUNCTIONS: Record<string, string[]> = {
    "./closure/serializeClosure": ["serializeFunction", "serializeFunctionAsync"],
    "./closure/codePaths": ["computeCodePaths", "findWorkspaceRoot"],
};

const pulumiDir = `${path.sep}@pulumi${path.sep}pulumi${path.sep}`;
const runtimeIndex = `${pulumiDir}runtime${path.sep}index.js`;

/**
 * Whole modules that are only namespaces to their importers (each is imported with TypeScript's
 * `__importStar`, which keeps a module marked `__esModule` as it is): they get a stand-in that loads
 * the real module on the first property read.
 * - gRPC, its generated service clients and OpenTelemetry: the SDK talks to the Pulumi engine
 *   over gRPC; the mock engine runs in this process (65 + 11 modules).
 * - `pulumi.automation` and `pulumi.provider`: the Automation API (execa, js-yaml) and the
 *   provider server, namespaces of the SDK's index that a program rarely reads (40 modules).
 * - zod's translations of its messages into 60 languages (`z.locales`): the plan speaks English,
 *   which zod loads by itself (62 modules).
 */
function deferredNamespace(request: string, parent: string): boolean {
    if (parent.includes(pulumiDir) && !parent.slice(parent.indexOf(pulumiDir) + pulumiDir.length).includes(`node_modules${path.sep}`)) {
        if (request === "@grpc/grpc-js" || request === "@opentelemetry/api" || request.endsWith("_grpc_pb")) return true;
        return (request === "./automation" || request === "./provider") && parent.endsWith(`${pulumiDir}index.js`);
    }
    return request === "../locales/index.cjs" && parent.includes(`${path.sep}zod${path.sep}v4${path.sep}`);
}

/** A namespace that loads `load()` on its first read; `__esModule` is answered without loading, as `__importStar` asks it first. */
function lazyNamespace(load: () => object): object {
    let real: object | undefined;
    const target = () => (real ??= load());
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
            has: (_, key) => Reflect.has(target(), key),
            ownKeys: () => Reflect.ownKeys(target()),
            // The stand-in holds none of the real properties, so each is reported configurable (a proxy may not report otherwise).
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
}

type Load = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;

export function deferUnusedModules(): void {
    const moduleWithLoad = Module as unknown as { _load: Load; __deferredModules?: boolean };
    if (moduleWithLoad.__deferredModules) return;
    moduleWithLoad.__deferredModules = true;
    const load = moduleWithLoad._load;
    moduleWithLoad._load = function (request, parent, isMain) {
        const from = parent?.filename ?? "";
        const real = () => load.call(this, request, parent, isMain) as Record<string, (...args: unknown[]) => unknown>;
        const names = DEFERRED_FUNCTIONS[request];
        if (names && from.endsWith(runtimeIndex)) {
            let loaded: Record<string, (...args: unknown[]) => unknown> | undefined;
            return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => (loaded ??= real())[name](...args)]));
        }
        if (deferredNamespace(request, from)) return lazyNamespace(real);
        return load.call(this, request, parent, isMain);
    };
}
