import type * as pulumi from "@pulumi/pulumi";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { RouteClaim, RouteRule, routingConflicts } from "../core/routing";
import { ValidationError } from "../core/validationError";

/**
 * The rules services put on shared listeners, remembered while a program runs, so that services
 * composed in TypeScript are judged together as a stack file's services are: a second service on
 * the same priority, host and path, or behind a catch-all, fails at its construction, before it
 * registers anything, naming both services.
 *
 * Why here and not in a stack transform or at the end of the program: a transform is called by the
 * engine with the resource's inputs serialised, where the listener ARN of a listener created in the
 * same deploy is unknown during preview (and Pulumi's mock runtime of SDK 3.248 refuses transforms);
 * a check at the end would run after the first services' registrations were sent. A listener is
 * known here by the value the services were given: the same ARN string, or the same Output object
 * (`loadBalancer.listenerArn` passed to each service), which is how services share one in practice.
 */

type Scope = Map<unknown, RouteClaim[]>;

// One scope per engine connection: a program run (and each offline plan) starts with no claims.
const scopes = new WeakMap<object, Scope>();
const outsideAnyRun = {};

function currentScope(): Scope {
    const monitor = (getMonitor() as object | undefined) ?? outsideAnyRun;
    let scope = scopes.get(monitor);
    if (!scope) {
        scope = new Map();
        scopes.set(monitor, scope);
    }
    return scope;
}

/** Records a service's rule on a listener, or throws a ValidationError naming the conflicting service. */
export function claimListenerRule(listener: pulumi.Input<string>, owner: string, rule: RouteRule, source: string, path = "args.loadBalancer.rule"): void {
    const scope = currentScope();
    const claims = scope.get(listener) ?? [];
    const claim: RouteClaim = { owner, rule };
    const conflicts = routingConflicts([...claims, claim]).filter((c) => c.claim === claim);
    if (conflicts.length > 0) {
        throw new ValidationError(
            source,
            conflicts.map((c) => ({ path: `${path}${c.field ? `.${c.field}` : ""}`, message: c.message })),
            "args",
        );
    }
    scope.set(listener, [...claims, claim]);
}
