import * as assert from "node:assert/strict";
import { prerequisitesOf } from "../analysis/prerequisites";
import { StackGraph, StackResource, T } from "../analysis/stackResources";

/** What the account needs before a deploy (analysis/prerequisites.ts), read from a stack's resources. */
const resource = (type: string, name: string, inputs: Record<string, any> = {}, propertyDependencies: Record<string, string[]> = {}): StackResource => ({
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    propertyDependencies,
    dependencies: Object.values(propertyDependencies).flat(),
    options: {},
});
const subnet = (name: string, inputs: Record<string, any>) => resource(T.subnet, name, { vpcId: "vpc-1", ...inputs });
const taskIn = (type: string, name: string, ...subnets: StackResource[]) => resource(type, name, {}, { networkConfiguration: subnets.map((s) => s.urn) });

describe("account prerequisites", () => {
    it("asks for the dualStackIPv6 account setting when a service runs in an IPv6-only subnet, with the command and its source", () => {
        const v6 = subnet("v6", { ipv6Native: true, ipv6CidrBlock: "2600:1f18:abcd:ef00::/64" });
        const [need, ...more] = prerequisitesOf(new StackGraph([v6, taskIn(T.service, "api", v6)]), "eu-west-1");
        assert.deepEqual(more, []);
        assert.equal(need.what, "the ECS account setting dualStackIPv6 enabled in eu-west-1");
        assert.match(need.why, /^api runs in subnets with IPv6; ECS gives tasks IPv6 addresses only where the setting is on$/);
        assert.equal(need.command, "aws ecs put-account-setting-default --name dualStackIPv6 --value enabled --region eu-west-1");
        assert.equal(need.source, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html");
    });

    it("asks for it when tasks run in a dual-stack subnet that assigns IPv6 addresses, naming every task starter", () => {
        const dual = subnet("dual", { cidrBlock: "10.0.0.0/24", assignIpv6AddressOnCreation: true });
        const [need] = prerequisitesOf(new StackGraph([dual, taskIn(T.service, "api", dual), taskIn(T.schedule, "nightly", dual)]), "us-east-1");
        assert.match(need.why, /^api, nightly run in subnets with IPv6/);
    });

    it("asks for nothing when tasks run only in IPv4 subnets, even if another subnet has IPv6", () => {
        const v4 = subnet("v4", { cidrBlock: "10.0.0.0/24", ipv6Native: false, assignIpv6AddressOnCreation: false });
        const unused = subnet("unused", { ipv6Native: true });
        assert.deepEqual(prerequisitesOf(new StackGraph([v4, unused, taskIn(T.service, "api", v4)]), "us-east-1"), []);
        assert.deepEqual(prerequisitesOf(new StackGraph([v4]), "us-east-1"), []);
    });
});
