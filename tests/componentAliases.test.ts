import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../components";
import { FORMER_PACKAGE_NAME, PACKAGE_NAME, componentType } from "../components/componentType";
import { PLAIN_INPUTS } from "./componentInputs";
import { run } from "./helpers";

/**
 * 0.2.0 renames the Pulumi package (pulumi-fargate-service → fargate-service), which changes the
 * type, and so the URN, of every component and of every child under it. A stack deployed with
 * 0.1.x must upgrade in place: each component registers with an alias from its former type, and
 * the engine carries it over to the children. What the SDK sends the engine is read here from the
 * registration requests themselves.
 */

interface Registered {
    type: string;
    name: string;
    /** Each alias as the request carries it: a spec (name/type) or a URN. */
    aliases: { type?: string; name?: string; urn?: string }[];
}

type Constructor = new (name: string, args: unknown, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;
const exported = Object.entries(components).filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource) as [string, Constructor][];

/** Runs `program` offline and returns the registration requests of our components. */
async function registrations(program: () => void): Promise<Registered[]> {
    const seen: Registered[] = [];
    await run(() => {
        const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { monitor: { registerResource(req: any, cb: unknown): unknown } } } }).getStore();
        const monitor = store.settings.monitor;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, cb: unknown) => {
            if (req.getType().startsWith(`${PACKAGE_NAME}:`)) {
                const aliases = req.getAliasesList().map((a: any) => {
                    const spec = a.getSpec();
                    return spec ? { ...(spec.getType() ? { type: spec.getType() } : {}), ...(spec.getName() ? { name: spec.getName() } : {}) } : { urn: a.getUrn() };
                });
                seen.push({ type: req.getType(), name: req.getName(), aliases });
            }
            return register(req, cb);
        };
        program();
    });
    return seen;
}

/** Components that did not exist in 0.1.x. */
const NEW_SINCE_0_1 = new Set(["ReleaseRepository"]);

describe("components keep the URNs of 0.1.x", () => {
    it("the token is fargate-service:index:<Class>, the package name Pulumi's Python code generator turns into pulumi_fargate_service", () => {
        assert.equal(componentType("FargateService"), "fargate-service:index:FargateService");
        // Python: "pulumi_" + the package name with "-" as "_" (pulumi/pulumi pkg/codegen/python/gen.go, PyPack).
        assert.equal(`pulumi_${PACKAGE_NAME.replace(/-/g, "_")}`, "pulumi_fargate_service");
    });

    it("every exported component registers under the new token with an alias from pulumi-fargate-service:index:<Class>", async () => {
        assert.equal(exported.length, Object.keys(PLAIN_INPUTS).length, "a plain input per exported component");
        const seen = await registrations(() => {
            for (const [name, Component] of exported) new Component(`x-${name}`, PLAIN_INPUTS[name]);
        });
        for (const [name] of exported) {
            const mine = seen.filter((r) => r.name === `x-${name}` && r.type === `fargate-service:index:${name}`);
            assert.equal(mine.length, 1, `${name} registered once under fargate-service:index:${name}`);
            // A component added after 0.1.x had no former type, so it needs no alias from one.
            assert.deepEqual(mine[0].aliases, NEW_SINCE_0_1.has(name) ? [] : [{ type: `pulumi-fargate-service:index:${name}` }], name);
        }
        assert.equal(FORMER_PACKAGE_NAME, "pulumi-fargate-service");
    });

    it("keeps the aliases a user passes, beside the former type", async () => {
        const seen = await registrations(() => {
            new components.FargateCluster("shop", {}, { aliases: [{ name: "old-shop" }, "urn:pulumi:test::proj::some:old:Type::shop"] });
        });
        const cluster = seen.find((r) => r.name === "shop");
        assert.deepEqual(cluster?.aliases, [{ name: "old-shop" }, { urn: "urn:pulumi:test::proj::some:old:Type::shop" }, { type: "pulumi-fargate-service:index:FargateCluster" }]);
    });

    it("nested components carry the alias too: a FargateService's own cluster and load balancer", async () => {
        const seen = await registrations(() => void new components.FargateService("web", PLAIN_INPUTS.FargateService as never));
        for (const type of ["FargateCluster", "ServiceLoadBalancer"]) {
            const child = seen.find((r) => r.type === componentType(type));
            assert.ok(child, `no ${type} under the service`);
            assert.deepEqual(child.aliases, [{ type: `pulumi-fargate-service:index:${type}` }]);
        }
    });
});
