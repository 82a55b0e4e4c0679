import Module from "node:module";
import * as path from "node:path";

/**
 * Pulumi's SDK loads its closure serializer (which turns JavaScript functions into Lambda code)
 * when it starts, and with it npm's Arborist and the TypeScript compiler: about half a second and
 * 80 MB that an infrastructure program which serializes no function never uses. The plan defers
 * them: the SDK receives stand-ins whose functions load the real module on their first call, so
 * nothing changes for a program that does serialize a function.
 *
 * Install before `@pulumi/pulumi` is first loaded.
 */
const DEFERRED: Record<string, string[]> = {
    "./closure/serializeClosure": ["serializeFunction", "serializeFunctionAsync"],
    "./closure/codePaths": ["computeCodePaths", "findWorkspaceRoot"],
};

const runtimeIndex = `${path.sep}@pulumi${path.sep}pulumi${path.sep}runtime${path.sep}index.js`;

type Load = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;

export function deferPulumiClosureSerializer(): void {
    const moduleWithLoad = Module as unknown as { _load: Load; __deferredClosure?: boolean };
    if (moduleWithLoad.__deferredClosure) return;
    moduleWithLoad.__deferredClosure = true;
    const load = moduleWithLoad._load;
    moduleWithLoad._load = function (request, parent, isMain) {
        const names = DEFERRED[request];
        if (!names || !parent?.filename?.endsWith(runtimeIndex)) return load.call(this, request, parent, isMain);
        let real: Record<string, (...args: unknown[]) => unknown> | undefined;
        const target = () => (real ??= load.call(this, request, parent, isMain) as Record<string, (...args: unknown[]) => unknown>);
        return Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => target()[name](...args)]));
    };
}
