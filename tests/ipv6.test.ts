import * as assert from "node:assert/strict";
import fc from "fast-check";
import { StackGraph } from "../analysis/stackResources";
import { estimateCost } from "../analysis/costModel";
import { diagramModel } from "../analysis/diagram";
import { prerequisitesOf } from "../analysis/prerequisites";
import { evaluateControls } from "../analysis/controls";
import { ecrImage } from "../core/arns";
import { ipv4Subnet, ipv6Subnet } from "../core/aws/subnetCidrs";
import { dualStackImageUri } from "../core/imageReference";
import { runPreflight } from "../core/preflight";
import { PlannedResource, ProgramRun, runProgram } from "../plan/engine";
import { resolveEnvironment } from "../stacks/environment";
import { TASK_TYPES as T, json, ofType, one, run, throwsProblems } from "./helpers";
import { stackDirectory } from "./planFixtures";

/**
 * IPv6: a dual-stack VPC (Amazon-provided /56, a /64 per subnet, an egress-only gateway), tasks in
 * IPv6-only subnets with no IPv4 address to pay for, a dual-stack load balancer in front of them.
 */

let program: typeof import("../stacks/program");
let components: typeof import("../components");
before(async () => {
    program = await import("../stacks/program");
    components = await import("../components");
});

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTES = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const EIGW = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway";
const IGW = "aws:ec2/internetGateway:InternetGateway";
const NAT = "aws:ec2/natGateway:NatGateway";

const BUILT = { image: { build: { context: "examples/app" } }, container: { port: 8080, user: "1000:1000" } };

async function planConfig(config: Record<string, unknown>, stack = "v6"): Promise<ProgramRun> {
    const flat: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [key, value] of Object.entries(config)) flat[`fargate-service:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return runProgram(program.environmentProgram, { project: "fargate-service", stack, config: flat });
}

const resolve = (config: Record<string, unknown>, stack = "v6") => resolveEnvironment(config, { project: "fargate-service", stack, source: `Pulumi.${stack}.yaml`, region: "us-east-1" });
const refused = (config: Record<string, unknown>, ...fragments: string[]) => throwsProblems(() => resolve(config), ...fragments);
const dev = (extra: Record<string, unknown> = {}, web: Record<string, unknown> = BUILT) => ({ preset: "dev", services: { web }, ...extra });
/** The URNs an input came from. */
const from = (r: PlannedResource, key: string) => r.propertyDependencies[key] ?? [];

describe("IPv6 subnet blocks", () => {
    it("numbers /64s inside the VPC's /56, each distinct, as cidrsubnet does", () => {
        assert.equal(ipv6Subnet("2600:1f18:abcd:ef00::/56", 0), "2600:1f18:abcd:ef00::/64");
        assert.equal(ipv6Subnet("2600:1f18:abcd:ef00::/56", 3), "2600:1f18:abcd:ef03::/64");
        assert.equal(ipv6Subnet("2a05:d018:0:1200::/56", 255), "2a05:d018:0:12ff::/64");
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (head, high, i, j) => {
                const block = `${head.map((h) => h.toString(16)).join(":")}:${(high << 8).toString(16)}::/56`;
                const a = ipv6Subnet(block, i);
                assert.ok(a.endsWith("::/64") && a.startsWith(`${head.map((h) => h.toString(16)).join(":")}:`), a);
                assert.equal(a === ipv6Subnet(block, j), i === j);
            }),
        );
        assert.throws(() => ipv6Subnet("2600:1f18:abcd:ef00::/64", 0), /not a \/56/);
        assert.throws(() => ipv6Subnet("2600:1f18:abcd:ef00::/56", 256), /0 to 255/);
    });

    it("carves disjoint IPv4 blocks that stay inside the VPC's block", () => {
        assert.equal(ipv4Subnet("10.0.0.0/16", 1, 1), "10.0.128.0/17");
        assert.equal(ipv4Subnet("10.0.0.0/24", 3, 7), "10.0.0.224/27");
        fc.assert(
            fc.property(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 1, max: 3 }), (prefix, bits) => {
                const starts = Array.from({ length: 2 ** bits }, (_, i) => ipv4Subnet(`10.0.0.0/${prefix}`, bits, i));
                assert.equal(new Set(starts).size, starts.length);
                for (const s of starts) assert.ok(s.startsWith("10.") && s.endsWith(`/${prefix + bits}`), s);
            }),
        );
    });
});

describe("ECR's dual-stack endpoint", () => {
    it("rewrites a private ECR image to <registry>.dkr-ecr.<region>.on.aws and leaves every other image alone", () => {
        assert.equal(dualStackImageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/app/web@sha256:abc"), "123456789012.dkr-ecr.us-east-1.on.aws/app/web@sha256:abc");
        for (const other of ["nginx:1", "public.ecr.aws/docker/library/busybox:1.37", "ghcr.io/o/i:1", "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/a:1"]) assert.equal(dualStackImageUri(other), other);
    });

    it("still knows the repository behind a dual-stack image URI (the execution role's pull grant reads it)", () => {
        assert.deepEqual(ecrImage("123456789012.dkr-ecr.eu-west-1.on.aws/app/web:1"), { account: "123456789012", region: "eu-west-1", repository: "app/web" });
    });
});

describe("IPv6 in a stack file", () => {
    it("gives the dev preset a dual-stack VPC, IPv6-only task subnets and a dual-stack load balancer; prod keeps IPv4", () => {
        const d = resolve(dev());
        assert.deepEqual([d.network.ipv6, d.network.taskSubnets, d.loadBalancer.ipAddressType], [true, "ipv6Only", "dualstack"]);
        const p = resolve({ preset: "prod", domain: { name: "app.example.com", zoneName: "example.com" }, services: { web: BUILT } }, "prod");
        assert.deepEqual([p.network.ipv6, p.network.taskSubnets, p.loadBalancer.ipAddressType], [false, "private", undefined]);
    });

    it("puts dev tasks in the public subnets when an image lives outside this Region's private ECR, unless the stack file chose", () => {
        assert.equal(resolve(dev({}, { image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" } })).network.taskSubnets, "public");
        assert.equal(resolve(dev({}, { image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1" } })).network.taskSubnets, "ipv6Only");
        refused(dev({ network: { taskSubnets: "ipv6Only" } }, { image: { uri: "nginx:1" } }), 'fargate-service:services.web.image.uri: "nginx:1" cannot be pulled: tasks sit in IPv6-only subnets without a NAT gateway');
        refused(dev({ network: { taskSubnets: "ipv6Only" } }, { image: { uri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1" } }), "reach only the private ECR of us-east-1");
        // NAT64 reaches IPv4-only registries.
        assert.equal(resolve(dev({ network: { taskSubnets: "ipv6Only", natGateways: "single" } }, { image: { uri: "nginx:1" } })).network.taskSubnets, "ipv6Only");
    });

    it("keeps the owner's addressing for a VPC this stack does not create, and refuses IPv6 keys there", () => {
        const existing = { mode: "existing", vpcId: "vpc-0abc", publicSubnetIds: ["subnet-0a", "subnet-0b"] };
        const e = resolve(dev({ network: existing }));
        assert.deepEqual([e.network.ipv6, e.network.taskSubnets, e.loadBalancer.ipAddressType], [false, "public", undefined]);
        refused(dev({ network: { ...existing, ipv6: true } }), 'fargate-service:network.ipv6: applies to a VPC this stack creates (network.mode "vpc"), not to mode "existing"');
        refused(dev({ network: { ...existing, taskSubnets: "ipv6Only" } }), 'fargate-service:network.taskSubnets: "ipv6Only" needs IPv6-only subnets this stack creates');
    });

    it("refuses IPv6-only tasks without a dual-stack VPC, beside interface endpoints, or behind an IPv4 load balancer", () => {
        refused(dev({ network: { ipv6: false, taskSubnets: "ipv6Only" } }), 'fargate-service:network.taskSubnets: "ipv6Only" needs a dual-stack VPC: set network.ipv6 true');
        refused(dev({ network: { taskSubnets: "ipv6Only", vpcEndpoints: true } }), 'fargate-service:network.vpcEndpoints: is true but network.taskSubnets is "ipv6Only": ECR serves PrivateLink over IPv4 only');
        refused(dev({ loadBalancer: { ipAddressType: "ipv4" } }), 'fargate-service:loadBalancer.ipAddressType: "ipv4" cannot reach tasks in IPv6-only subnets');
        refused(dev({ loadBalancer: { internal: true } }), '"ipv4" cannot reach tasks in IPv6-only subnets');
    });

    it("refuses an IPv4 block too small for load balancer subnets of /27 once split between the zones", () => {
        refused(dev({ network: { cidr: "10.0.0.0/24", availabilityZones: 6, taskSubnets: "private", natGateways: "single" } }), "fargate-service:network.cidr: 10.0.0.0/24 split into 12 subnets gives /28s");
        assert.equal(resolve(dev({ network: { cidr: "10.0.0.0/24", availabilityZones: 6 } })).network.cidr, "10.0.0.0/24");
    });

    it("refuses a dual-stack load balancer in a VPC without IPv6, naming the key that adds it", () => {
        refused(dev({ network: { ipv6: false, taskSubnets: "public" }, loadBalancer: { ipAddressType: "dualstack" } }), 'fargate-service:loadBalancer.ipAddressType: "dualstack" needs public subnets with IPv6 CIDR blocks', "set network.ipv6 true");
        refused(dev({ network: { mode: "default" }, loadBalancer: { ipAddressType: "dualstack-without-public-ipv4" } }), "default VPC's subnets have none");
        // Going back to IPv4 in dev is one key.
        assert.equal(resolve(dev({ network: { ipv6: false, taskSubnets: "public" } })).loadBalancer.ipAddressType, undefined);
    });
});

describe("the dual-stack network on the mock engine", () => {
    let r: ProgramRun;
    before(async () => {
        r = await planConfig(dev());
    });

    it("creates a VPC with an Amazon-provided IPv6 /56 and a /64 in each of its four subnets", () => {
        const vpc = one(r, VPC);
        assert.equal(vpc.inputs.assignGeneratedIpv6CidrBlock, true);
        const block = String(vpc.outputs.ipv6CidrBlock);
        const subnets = ofType(r, SUBNET);
        assert.equal(subnets.length, 4);
        const v6 = subnets.map((s) => String(s.inputs.ipv6CidrBlock));
        assert.equal(new Set(v6).size, 4);
        const inBlock = new Set(Array.from({ length: 256 }, (_, k) => ipv6Subnet(block, k)));
        for (const cidr of v6) assert.ok(inBlock.has(cidr), `${cidr} in ${block}`);
        for (const s of subnets) assert.equal(s.inputs.assignIpv6AddressOnCreation, true);
    });

    it("makes the task subnets IPv6-only and the load balancer's subnets dual-stack, without public IPv4 on launch", () => {
        const [ipv6Only, dual] = [ofType(r, SUBNET).filter((s) => s.inputs.ipv6Native === true), ofType(r, SUBNET).filter((s) => s.inputs.ipv6Native !== true)];
        assert.equal(ipv6Only.length, 2);
        for (const s of ipv6Only) assert.deepEqual([s.inputs.cidrBlock, s.inputs.privateDnsHostnameTypeOnLaunch, s.inputs.enableDns64], [undefined, "resource-name", false]);
        for (const s of dual) assert.ok(typeof s.inputs.cidrBlock === "string" && s.inputs.mapPublicIpOnLaunch === false);
        assert.deepEqual(new Set(ipv6Only.map((s) => s.inputs.availabilityZone)).size, 2);
        // The load balancer sits in the dual-stack subnets, the tasks in the IPv6-only ones.
        const dualUrns = new Set(dual.map((s) => s.urn));
        assert.ok(from(one(r, T.loadBalancer), "subnets").every((u) => dualUrns.has(u)));
        const ipv6Urns = new Set(ipv6Only.map((s) => s.urn));
        const service = one(r, T.service);
        assert.ok(from(service, "networkConfiguration").filter((u) => u.includes(SUBNET)).every((u) => ipv6Urns.has(u)));
        assert.equal(service.inputs.networkConfiguration.assignPublicIp, false);
    });

    it("routes the public subnets to the internet gateway over both protocols and the IPv6-only ones to the egress-only gateway", () => {
        const igw = one(r, IGW).urn;
        const eigw = one(r, EIGW).urn;
        const tables = ofType(r, ROUTES);
        const publicTable = tables.find((t) => t.name.endsWith("-public"))!;
        assert.deepEqual(publicTable.inputs.routes.map((x: Record<string, string>) => x.cidrBlock ?? x.ipv6CidrBlock), ["0.0.0.0/0", "::/0"]);
        assert.deepEqual(from(publicTable, "routes"), [igw]);
        const taskTables = tables.filter((t) => t !== publicTable);
        assert.equal(taskTables.length, 2);
        for (const t of taskTables) {
            assert.deepEqual(t.inputs.routes, [{ ipv6CidrBlock: "::/0", egressOnlyGatewayId: one(r, EIGW).outputs.id }]);
            assert.deepEqual(from(t, "routes"), [eigw]);
        }
        // Every subnet is associated with exactly one table.
        const associated = ofType(r, ASSOCIATION).flatMap((a) => from(a, "subnetId"));
        assert.deepEqual(new Set(associated), new Set(ofType(r, SUBNET).map((s) => s.urn)));
        assert.equal(associated.length, 4);
        assert.equal(ofType(r, NAT).length, 0);
    });

    it("lets the tasks out over IPv6 only, registers IPv6 targets, and pulls the built image through ECR's dual-stack endpoint", () => {
        const egress = ofType(r, T.egress).filter((e) => e.name.endsWith("-tasks-out") || e.name.endsWith("-tasks-out-ipv6"));
        assert.deepEqual(egress.map((e) => [e.inputs.cidrIpv4, e.inputs.cidrIpv6]), [[undefined, "::/0"]]);
        assert.equal(one(r, T.targetGroup).inputs.ipAddressType, "ipv6");
        assert.equal(one(r, T.loadBalancer).inputs.ipAddressType, "dualstack");
        const image = json<{ image: string }[]>(one(r, T.taskDefinition).inputs.containerDefinitions)[0].image;
        assert.match(image, /^123456789012\.dkr-ecr\.us-east-1\.on\.aws\/fargate-service\/v6\/web@sha256:[0-9a-f]{64}$/);
    });

    it("adds NAT64 with a NAT gateway: DNS64 on the IPv6-only subnets and 64:ff9b::/96 to the NAT gateway", async () => {
        const nat = await planConfig(dev({ network: { natGateways: "single", taskSubnets: "ipv6Only" } }, { image: { uri: "nginx:1" } }));
        assert.equal(ofType(nat, NAT).length, 1);
        assert.equal(ofType(nat, "aws:ec2/eip:Eip").length, 1);
        for (const s of ofType(nat, SUBNET).filter((x) => x.inputs.ipv6Native)) assert.equal(s.inputs.enableDns64, true);
        const natId = one(nat, NAT).outputs.id;
        for (const t of ofType(nat, ROUTES).filter((x) => !x.name.endsWith("-public"))) {
            assert.deepEqual(t.inputs.routes.map((x: Record<string, string>) => [x.ipv6CidrBlock ?? x.cidrBlock, x.natGatewayId ?? x.egressOnlyGatewayId]), [["::/0", one(nat, EIGW).outputs.id], ["64:ff9b::/96", natId]]);
        }
    });

    it("keeps dual-stack private subnets on IPv4 through NAT and IPv6 through the egress-only gateway, egress allowed on both", async () => {
        const priv = await planConfig(dev({ network: { natGateways: "onePerAz", taskSubnets: "private" } }));
        const tasks = ofType(priv, SUBNET).filter((s) => s.name.includes("-private-"));
        assert.equal(tasks.length, 2);
        for (const s of tasks) assert.ok(typeof s.inputs.cidrBlock === "string" && String(s.inputs.ipv6CidrBlock).endsWith("/64"));
        assert.equal(ofType(priv, NAT).length, 2);
        for (const t of ofType(priv, ROUTES).filter((x) => x.name.includes("-private-"))) {
            assert.deepEqual(t.inputs.routes.map((x: Record<string, string>) => x.ipv6CidrBlock ?? x.cidrBlock), ["::/0", "0.0.0.0/0"]);
        }
        const egress = ofType(priv, T.egress).filter((e) => e.name.startsWith("v6-web-tasks-out"));
        assert.deepEqual(egress.map((e) => e.inputs.cidrIpv4 ?? e.inputs.cidrIpv6), ["0.0.0.0/0", "::/0"]);
        // Dual-stack tasks keep IPv4 targets: no change for them at the load balancer.
        assert.equal(one(priv, T.targetGroup).inputs.ipAddressType, undefined);
    });
});

describe("IPv6 in the cost estimate, the controls and the preflight", () => {
    const ipv4Hours = (r: ProgramRun) => estimateCost(new StackGraph(r.resources)).lines.find((l) => l.priceKey === "publicIpv4.hour")?.quantity ?? 0;

    it("prices no public IPv4 address for IPv6-only tasks: the dual-stack load balancer's two, then none without public IPv4", async () => {
        assert.equal(ipv4Hours(await planConfig(dev())), 2 * 730);
        assert.equal(ipv4Hours(await planConfig(dev({ loadBalancer: { ipAddressType: "dualstack-without-public-ipv4" } }))), 0);
        // The same workload with public task IPs pays for the task's address as well.
        assert.equal(ipv4Hours(await planConfig(dev({ network: { taskSubnets: "public" } }))), 3 * 730);
    });

    it("offers IPv6-only tasks as a cheaper option that saves what it says, and the load balancer without public IPv4 likewise", async () => {
        const { planStack } = await import("../plan/plan");
        const yaml = (network: string, lb = "") => `aws:region: us-east-1\nfargate-service:preset: dev\nfargate-service:network:\n  taskSubnets: ${network}\n${lb}fargate-service:services:\n  web:\n    image:\n      uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1\n    container:\n      port: 8080`;
        const publicTasks = await planStack(stackDirectory("v6", yaml("public")), "v6");
        const option = publicTasks.cheaperOptions.find((o) => o.option.startsWith("Tasks in IPv6-only subnets"));
        assert.ok(option, publicTasks.cheaperOptions.map((o) => o.option).join("; "));
        assert.equal(option.givesUp.kind, "reachability");
        const ipv6Only = await planStack(stackDirectory("v6", yaml("ipv6Only")), "v6");
        assert.ok(Math.abs(publicTasks.cost.monthlyUsd - ipv6Only.cost.monthlyUsd - option.monthlyUsd) < 0.01, `${publicTasks.cost.monthlyUsd} - ${ipv6Only.cost.monthlyUsd} vs ${option.monthlyUsd}`);
        assert.equal(ipv6Only.cheaperOptions.find((o) => o.option.startsWith("Tasks in IPv6-only subnets")), undefined);
        const lbOption = ipv6Only.cheaperOptions.find((o) => o.option === "A load balancer without public IPv4 addresses")!;
        const withoutIpv4 = await planStack(stackDirectory("v6", yaml("ipv6Only", "fargate-service:loadBalancer:\n  ipAddressType: dualstack-without-public-ipv4\n")), "v6");
        assert.ok(Math.abs(ipv6Only.cost.monthlyUsd - withoutIpv4.cost.monthlyUsd - lbOption.monthlyUsd) < 0.01);
    });

    it("counts the VPC, subnets, route tables and both gateways as free, and none of them as unpriced", async () => {
        const cost = estimateCost(new StackGraph((await planConfig(dev())).resources));
        const free = cost.free.map((f) => f.type);
        for (const type of [VPC, SUBNET, ROUTES, ASSOCIATION, IGW, EIGW]) assert.ok(free.includes(type), type);
        assert.deepEqual(cost.notPriced.filter((n) => n.item.startsWith("aws:ec2/")), []);
    });

    it("passes ECS.2 with IPv6-only tasks, and still judges ::/0 as the whole internet in EC2.18 and EC2.19", async () => {
        const r = await planConfig(dev());
        const controls = evaluateControls(new StackGraph(r.resources), { requireOnDemandBase: false });
        assert.equal(controls.find((c) => c.id === "ECS.2")?.status, "pass");
        assert.equal(controls.find((c) => c.id === "EC2.18")?.status, "pass");
        const ssh = await run(() => {
            const group = new (require("@pulumi/aws/ec2/securityGroup").SecurityGroup)("g", { vpcId: "vpc-1", description: "test" });
            new (require("@pulumi/aws/vpc/securityGroupIngressRule").SecurityGroupIngressRule)("ssh", { securityGroupId: group.id, cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 });
        });
        const judged = evaluateControls(new StackGraph(ssh.resources), { requireOnDemandBase: false });
        assert.equal(judged.find((c) => c.id === "EC2.19")?.status, "fail");
    });

    it("draws the IPv6-only subnets and the egress-only gateway the tasks go out through", async () => {
        const model = diagramModel(new StackGraph((await planConfig(dev())).resources));
        assert.ok(model.groups.some((g) => g.id === "vpc" && g.label.includes("+ IPv6 /56")));
        assert.ok(model.groups.some((g) => g.id === "private" && g.label === "IPv6-only subnets"));
        const service = model.nodes.find((n) => n.label.startsWith("v6-web"))!;
        assert.ok(model.edges.some((e) => e.from === service.id && e.to === "eigw") && model.edges.some((e) => e.from === "eigw" && e.to === "internet"));
    });

    it("names the dualStackIPv6 account setting as a prerequisite wherever tasks run in subnets with IPv6, and only there", async () => {
        const needs = prerequisitesOf(new StackGraph((await planConfig(dev())).resources), "us-east-1");
        assert.equal(needs.length, 1);
        assert.match(needs[0].command, /^aws ecs put-account-setting-default --name dualStackIPv6 --value enabled --region us-east-1$/);
        assert.match(needs[0].why, /^v6-web runs in subnets with IPv6/);
        assert.deepEqual(prerequisitesOf(new StackGraph((await planConfig(dev({ network: { ipv6: false, taskSubnets: "public" } }))).resources), "us-east-1"), []);
    });

    it("finds nothing AWS would refuse in the dual-stack dev environment", async () => {
        const r = await planConfig(dev({ loadBalancer: { ipAddressType: "dualstack-without-public-ipv4" } }));
        assert.deepEqual(runPreflight(r.resources), []);
    });

    it("finds what AWS refuses of IPv6-only subnets, egress-only routes, IPv6 targets and IPv6-only services", async () => {
        const r = await run(() => {
            const aws = { ec2: require("@pulumi/aws/ec2"), lb: require("@pulumi/aws/lb"), ecs: require("@pulumi/aws/ecs") };
            const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16", assignGeneratedIpv6CidrBlock: true });
            const subnet = new aws.ec2.Subnet("s", { vpcId: vpc.id, ipv6Native: true, cidrBlock: "10.0.0.0/24", ipv6CidrBlock: "2600:1f18:1:100::/56", mapPublicIpOnLaunch: true });
            const eigw = new aws.ec2.EgressOnlyInternetGateway("e", { vpcId: vpc.id });
            new aws.ec2.RouteTable("t", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", egressOnlyGatewayId: eigw.id }] });
            const lb = new aws.lb.LoadBalancer("lb", { subnets: ["subnet-a", "subnet-b"], ipAddressType: "ipv4" });
            const tg = new aws.lb.TargetGroup("tg", { vpcId: vpc.id, targetType: "ip", protocol: "HTTP", port: 80, ipAddressType: "ipv6" });
            new aws.lb.Listener("l", { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: tg.arn }] });
            const td = new aws.ecs.TaskDefinition("td", { family: "f", containerDefinitions: JSON.stringify([{ name: "app", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1" }]) });
            new aws.ecs.Service("svc", { taskDefinition: td.arn, networkConfiguration: { subnets: [subnet.id], assignPublicIp: true } });
        });
        const findings = runPreflight(r.resources).map((f) => `${f.rule} ${f.key}`);
        for (const expected of [
            "ec2.subnet.addressing cidrBlock",
            "ec2.subnet.addressing mapPublicIpOnLaunch",
            "ec2.subnet.addressing ipv6CidrBlock",
            "ec2.routeTable.routes routes[0].egressOnlyGatewayId",
            "elbv2.targetGroup.ipv6 ipAddressType",
            "ecs.service.ipv6Only networkConfiguration.assignPublicIp",
            "ecs.service.ipv6Only taskDefinition",
        ]) {
            assert.ok(findings.includes(expected), `${expected} not in ${findings.join("; ")}`);
        }
    });
});

describe("IPv6-only tasks in the components", () => {
    const placement = { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"] };

    it("refuses a public IP and an IPv4 load balancer for tasks in IPv6-only subnets", () => {
        throwsProblems(() => new components.FargateService("web", { ...placement, ipStack: "ipv6", assignPublicIp: true, image: { uri: "nginx:1" }, loadBalancer: { enabled: false } }), 'args.assignPublicIp: is true but ipStack is "ipv6"');
        throwsProblems(
            () => new components.FargateService("web", { ...placement, ipStack: "ipv6", image: { uri: "nginx:1" }, loadBalancer: { subnetIds: ["subnet-c", "subnet-d"], ipAddressType: "ipv4" } }),
            'args.loadBalancer.ipAddressType: "ipv4" cannot reach tasks in IPv6-only subnets',
        );
        throwsProblems(() => new components.ScheduledTask("job", { ...placement, clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/c", ipStack: "ipv6", assignPublicIp: true, image: { uri: "nginx:1" }, schedule: "rate(1 hour)" }), "args.assignPublicIp");
    });

    it("makes a new load balancer dual-stack for IPv6-only tasks, and leaves IPv4 tasks' target groups as they were", async () => {
        const v6 = await run(() => new components.FargateService("web", { ...placement, ipStack: "ipv6", image: { uri: "nginx:1" }, loadBalancer: { subnetIds: ["subnet-c", "subnet-d"] } }));
        assert.equal(one(v6, T.loadBalancer).inputs.ipAddressType, "dualstack");
        assert.equal(one(v6, T.targetGroup).inputs.ipAddressType, "ipv6");
        const v4 = await run(() => new components.FargateService("web", { ...placement, image: { uri: "nginx:1" }, loadBalancer: { subnetIds: ["subnet-c", "subnet-d"] } }));
        assert.equal(one(v4, T.loadBalancer).inputs.ipAddressType, "ipv4");
        assert.ok(!("ipAddressType" in one(v4, T.targetGroup).inputs));
        assert.deepEqual(ofType(v4, T.egress).filter((e) => e.name === "web-tasks-out" || e.name === "web-tasks-out-ipv6").map((e) => e.inputs.cidrIpv4 ?? e.inputs.cidrIpv6), ["0.0.0.0/0"]);
    });

    it("registers a blue/green deployment's alternate target group for IPv6 addresses too", async () => {
        const r = await run(() => new components.FargateService("web", { ...placement, ipStack: "ipv6", image: { uri: "nginx:1" }, deployment: { strategy: "blueGreen" }, loadBalancer: { subnetIds: ["subnet-c", "subnet-d"] } }));
        assert.deepEqual(ofType(r, T.targetGroup).map((t) => t.inputs.ipAddressType), ["ipv6", "ipv6"]);
    });
});
