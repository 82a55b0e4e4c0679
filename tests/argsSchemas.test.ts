import * as assert from "node:assert/strict";
import { z } from "zod";
import {
    dashboardSourceSchema,
    environmentAlertsArgsSchema,
    fargateClusterArgsSchema,
    serviceAlarmsArgsSchema,
    serviceLoadBalancerArgsSchema,
    serviceRepositoryArgsSchema,
    releaseRepositoryArgsSchema,
    sharedFileSystemArgsSchema,
} from "../core/componentSchemas";
import { fargateServiceArgsSchema } from "../core/serviceSchema";
import { eventTaskArgsSchema, queueWorkerArgsSchema, scheduledTaskArgsSchema } from "../core/workloadSchemas";
import { agree } from "./argsMatchSchemas";

/**
 * The args interfaces and the schemas name the same keys: tests/argsMatchSchemas.ts proves it to
 * the compiler. What the compiler cannot see is whether a schema refuses a key it does not name:
 * a loose object would let a misspelt or removed argument through silently, whatever the types say
 * (JavaScript and YAML callers have no types). So every object, at every depth, must be strict.
 */

const SCHEMAS: Record<keyof typeof agree, z.ZodType> = {
    FargateService: fargateServiceArgsSchema,
    FargateCluster: fargateClusterArgsSchema,
    ServiceLoadBalancer: serviceLoadBalancerArgsSchema,
    ServiceRepository: serviceRepositoryArgsSchema,
    ReleaseRepository: releaseRepositoryArgsSchema,
    QueueWorker: queueWorkerArgsSchema,
    ScheduledTask: scheduledTaskArgsSchema,
    EventTask: eventTaskArgsSchema,
    ServiceAlarms: serviceAlarmsArgsSchema,
    EnvironmentAlerts: environmentAlertsArgsSchema,
    SharedFileSystem: sharedFileSystemArgsSchema,
    createEnvironmentDashboard: dashboardSourceSchema,
};

/** Each object of a schema, with its key path and whether it refuses unknown keys. */
function objectsOf(schema: z.ZodType, path = "", seen = new Set<unknown>()): { path: string; strict: boolean; keys: string[] }[] {
    if (seen.has(schema)) return [];
    seen.add(schema);
    const def = (schema as unknown as { def: Record<string, any> }).def;
    const inner = (s: unknown, p = path) => objectsOf(s as z.ZodType, p, seen);
    switch (def.type) {
        case "object": {
            const shape = def.shape as Record<string, z.ZodType>;
            return [
                { path: path || "(args)", strict: def.catchall?.def?.type === "never", keys: Object.keys(shape) },
                ...Object.entries(shape).flatMap(([key, value]) => inner(value, path ? `${path}.${key}` : key)),
            ];
        }
        case "optional":
        case "nullable":
        case "default":
        case "prefault":
        case "readonly":
        case "nonoptional":
        case "catch":
            return inner(def.innerType);
        case "pipe":
            return [...inner(def.in), ...inner(def.out)];
        case "array":
            return inner(def.element, `${path}[]`);
        case "record":
            return inner(def.valueType, `${path}{}`);
        case "union":
            return (def.options as z.ZodType[]).flatMap((option) => inner(option));
        case "intersection":
            return [...inner(def.left), ...inner(def.right)];
        case "lazy":
            return inner(def.getter());
        default:
            return [];
    }
}

describe("args and schemas", () => {
    it("compares every exported component's arguments with its schema (the compile-time list is whole)", () => {
        assert.deepEqual(Object.keys(agree).sort(), Object.keys(SCHEMAS).sort());
        assert.ok(Object.values(agree).every((v) => v === true));
    });

    for (const [component, schema] of Object.entries(SCHEMAS)) {
        it(`refuses unknown keys at every depth of ${component}'s arguments`, () => {
            const objects = objectsOf(schema);
            assert.ok(objects.length > 0, "the schema is an object");
            if (component === "FargateService") assert.ok(objects.length > 15, `${objects.length} objects: the walk reaches nested ones`);
            assert.deepEqual(objects.filter((o) => !o.strict).map((o) => o.path), []);
        });
    }

    it("finds a loose object nested in a schema", () => {
        const loose = z.strictObject({ a: z.object({ b: z.string() }).optional(), c: z.array(z.strictObject({ d: z.string() })) });
        assert.deepEqual(objectsOf(loose).map((o) => [o.path, o.strict]), [["(args)", true], ["a", false], ["c[]", true]]);
    });
});

describe("the cross-field rules of the parts usable alone", () => {
    /** [path, message] of each issue a schema finds. */
    const issues = (schema: z.ZodType, args: unknown) => {
        const result = schema.safeParse(args);
        return result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
    };
    const bothZero = ["capacity", "fargateWeight and spotWeight are both 0: ECS needs at least one provider with a weight above 0"];

    it("refuses a cluster capacity whose two weights are 0, counting a weight not given as its default of 1", () => {
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { fargateWeight: 0, spotWeight: 0 } }), [bothZero]);
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { fargateWeight: 0 } }), []);
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { spotWeight: 0 } }), []);
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { fargateWeight: 0, spotWeight: 1 } }), []);
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { fargateWeight: 1, spotWeight: 0 } }), []);
        assert.deepEqual(issues(fargateClusterArgsSchema, {}), []);
    });

    it("names the weights beside any other problem of the cluster's arguments, and nothing more for a capacity that is not an object", () => {
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: { fargateBase: -5, fargateWeight: 0, spotWeight: 0 } }).map(([path]) => path), ["capacity.fargateBase", "capacity"]);
        assert.deepEqual(issues(fargateClusterArgsSchema, { capacity: "spot" }).map(([path]) => path), ["capacity"]);
        assert.notEqual(issues(fargateClusterArgsSchema, { capacity: "spot" })[0][1], bothZero[1]);
    });

    it("wants a certificate or a domain for an HTTPS load balancer, and a zone for its domain", () => {
        const lb = { vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"] };
        const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/1";
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, https: true }), [["https", "is true but certificateArn is not set: HTTPS needs an ACM certificate (or a domain to create one for)"]]);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, https: true, certificateArn }), []);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, https: true, domain: { name: "api.example.com", zoneName: "example.com" } }), []);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, https: false }), []);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, https: true, domain: { name: "api.example.com" } }), [["domain", "needs zoneName or zoneId: the Route 53 zone where the certificate is validated"]]);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, { ...lb, domain: { name: "api.example.com", zoneId: "Z123" } }), []);
        assert.deepEqual(issues(serviceLoadBalancerArgsSchema, null).map(([path]) => path), [""], "arguments that are not an object: one issue, no cross-field ones");
    });
});
