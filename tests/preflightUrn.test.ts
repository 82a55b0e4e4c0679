import * as assert from "node:assert/strict";
import fc from "fast-check";
import { childUrn } from "../components/preflight";

describe("the preflight's URN of a resource it judges", () => {
    it("puts a child of a component under the component's type chain", () => {
        const parent = "urn:pulumi:dev::shop::fargate-service:index:FargateService::api";
        assert.equal(childUrn(parent, "aws:ecs/service:Service", "api", "x", "y"), "urn:pulumi:dev::shop::fargate-service:index:FargateService$aws:ecs/service:Service::api");
    });

    it("keeps a nested component's whole chain, colons and all", () => {
        const parent = "urn:pulumi:prod::shop::fargate-service:index:FargateService$fargate-service:index:ServiceLoadBalancer::api";
        assert.equal(
            childUrn(parent, "aws:lb/loadBalancer:LoadBalancer", "api", "x", "y"),
            "urn:pulumi:prod::shop::fargate-service:index:FargateService$fargate-service:index:ServiceLoadBalancer$aws:lb/loadBalancer:LoadBalancer::api",
        );
    });

    it("gives a child of the stack no chain, and a resource without a parent the program's stack and project", () => {
        assert.equal(childUrn("urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", "aws:iam/role:Role", "r", "x", "y"), "urn:pulumi:dev::shop::aws:iam/role:Role::r");
        assert.equal(childUrn(undefined, "aws:iam/role:Role", "r", "dev", "shop"), "urn:pulumi:dev::shop::aws:iam/role:Role::r");
    });

    it("takes stack and project from the parent for every parent type chain", () => {
        const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}:[a-z0-9/]{1,8}:[A-Z][A-Za-z]{0,8}$/);
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.array(token, { minLength: 1, maxLength: 3 }), token, (stack, chain, type) => {
                const parent = `urn:pulumi:${stack}::proj::${chain.join("$")}::p`;
                assert.equal(childUrn(parent, type, "c", "other", "other"), `urn:pulumi:${stack}::proj::${chain.join("$")}$${type}::c`);
            }),
        );
    });
});
