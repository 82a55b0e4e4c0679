/**
 * What the two reference workloads cost a month: `npm run bench:cost`.
 *
 * (a) dev: one web service, 1 task of 0.25 vCPU / 0.5 GB, 24×7 behind a load balancer.
 * (b) prod: 3 tasks of 1 vCPU / 2 GB behind HTTPS, across 2 AZs, in private subnets.
 *
 * Each is planned with this project's presets (the real program on the offline engine), and priced,
 * from the same price table, as AWS CDK's ApplicationLoadBalancedFargateService and awsx build it by
 * default (bench/anchorDefaults.ts). The targets are printed beside the figures; nothing is asserted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AWSX_DEFAULTS, CDK_ALB_FARGATE_SERVICE, ComparedLines, Workload, priceAnchor } from "./anchorDefaults";
import type { PlanDocument } from "../plan/plan";

const root = path.join(__dirname, "..");
const usd = (n: number) => `$${n.toFixed(2)}`;

/** A project directory with the example app to build and one stack file. */
function project(stack: string, yaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-cost-${stack}-`));
    fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.cpSync(path.join(root, "examples/app"), path.join(dir, "examples/app"), { recursive: true });
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `config:\n${yaml.trim().replace(/^/gm, "  ")}\n`);
    return dir;
}

const web = (extra = "") => `
fargate-service:services:
  web:
    image:
      build:
        context: examples/app
    container:
      port: 8080
      user: "1000:1000"
${extra}`;

const EXISTING_VPC = `
fargate-service:network:
  mode: existing
  vpcId: vpc-0abc1234
  publicSubnetIds: [subnet-0a1, subnet-0b2]
  privateSubnetIds: [subnet-0c3, subnet-0d4]`;

const SHARED = `
fargate-service:loadBalancer:
  shared:
    listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared-dev/0123456789abcdef/fedcba9876543210
    securityGroupId: sg-0123456789abcdef0`;

const HOST_RULE = `    loadBalancer:
      rule:
        priority: 4201
        hostHeaders: [pr-42.dev.example.com]`;

const STACKS = {
    devDefaults: `aws:region: us-east-1\nfargate-service:preset: dev${web()}`,
    // The dev preset's dual-stack VPC, IPv6-only tasks, and a load balancer with no public IPv4 either.
    devWithoutPublicIpv4: `aws:region: us-east-1\nfargate-service:preset: dev\nfargate-service:loadBalancer:\n  ipAddressType: dualstack-without-public-ipv4${web()}`,
    ephemeralPublic: `aws:region: us-east-1\nfargate-service:preset: dev${EXISTING_VPC}${SHARED}${web(HOST_RULE)}`,
    ephemeralPrivate: `aws:region: us-east-1\nfargate-service:preset: dev${EXISTING_VPC}\n  taskSubnets: private${SHARED}${web(HOST_RULE)}`,
    prod: `aws:region: us-east-1
fargate-service:preset: prod
fargate-service:network:
  availabilityZones: 2
fargate-service:domain:
  name: app.example.com
  zoneName: example.com${web(`    cpu: 1024
    memory: 2048
    loadBalancer:
      healthCheck:
        path: /health`)}`,
};

const COMPARED = ["fargate.x86.vcpuHour", "fargate.x86.gbHour", "fargate.arm.vcpuHour", "fargate.arm.gbHour", "alb.hour", "nat.hour", "vpcEndpoint.azHour", "publicIpv4.hour"];

function compared(plan: PlanDocument): ComparedLines {
    const by = (...keys: string[]) => plan.cost.lines.filter((l) => keys.includes(l.priceKey)).reduce((n, l) => n + l.monthlyUsd, 0);
    const lines = {
        fargate: by("fargate.x86.vcpuHour", "fargate.x86.gbHour", "fargate.arm.vcpuHour", "fargate.arm.gbHour"),
        loadBalancer: by("alb.hour"),
        nat: by("nat.hour"),
        endpoints: by("vpcEndpoint.azHour"),
        ipv4: by("publicIpv4.hour"),
    };
    return { ...lines, total: by(...COMPARED) };
}

const row = (label: string, c: ComparedLines) =>
    `  ${label.padEnd(44)} ${usd(c.fargate).padStart(8)} ${usd(c.loadBalancer).padStart(8)} ${usd(c.nat).padStart(8)} ${usd(c.endpoints).padStart(8)} ${usd(c.ipv4).padStart(8)} ${usd(c.total).padStart(9)}`;
const head = `  ${"".padEnd(44)} ${"Fargate".padStart(8)} ${"LB h".padStart(8)} ${"NAT h".padStart(8)} ${"endpts".padStart(8)} ${"IPv4".padStart(8)} ${"compared".padStart(9)}`;
const verdict = (value: number, target: number) => (value <= target ? `met (≤ ${usd(target)})` : `NOT met (target ≤ ${usd(target)})`);

async function main(): Promise<void> {
    const { planStack } = await import("../plan/plan");
    const plans: Record<keyof typeof STACKS, PlanDocument> = {} as never;
    for (const [name, yaml] of Object.entries(STACKS) as [keyof typeof STACKS, string][]) {
        // Stack names become AWS names: short, lower-case.
        const stack = `ref-${Object.keys(STACKS).indexOf(name)}`;
        plans[name] = await planStack(project(stack, yaml), stack);
    }

    const a: Workload = { tasks: 1, vcpu: 0.25, memoryGb: 0.5 };
    const b: Workload = { tasks: 3, vcpu: 1, memoryGb: 2 };

    console.log("Prices: analysis/data/awsPrices.ts (us-east-1); CDK and awsx modelled in bench/anchorDefaults.ts from their sources.\n");
    console.log("(a) dev: 1 task of 0.25 vCPU / 0.5 GB, 24×7, behind a load balancer");
    console.log(head);
    console.log(row("dev preset defaults (ARM64 Spot, IPv6-only)", compared(plans.devDefaults)));
    console.log(row("dev, LB without public IPv4 (IPv6 clients)", compared(plans.devWithoutPublicIpv4)));
    console.log(row("ephemeral on a shared LB, public task IP", compared(plans.ephemeralPublic)));
    console.log(row("ephemeral on a shared LB, private subnets", compared(plans.ephemeralPrivate)));
    console.log(row(`CDK default (${CDK_ALB_FARGATE_SERVICE.natGateways} NAT, x86 on-demand)`, priceAnchor(CDK_ALB_FARGATE_SERVICE, a)));
    console.log(row(`awsx defaults (${AWSX_DEFAULTS.natGateways} NAT, x86 on-demand)`, priceAnchor(AWSX_DEFAULTS, a)));
    console.log("  whole estimates (every line, free tiers taken off):");
    for (const name of ["devDefaults", "devWithoutPublicIpv4", "ephemeralPublic", "ephemeralPrivate"] as const) console.log(`    ${name.padEnd(22)} ${usd(plans[name].cost.monthlyUsd)}`);
    const cheapestOwn = plans.devWithoutPublicIpv4.cost.monthlyUsd;
    console.log(`  target: dev preset defaults ${usd(plans.devDefaults.cost.monthlyUsd)}: ${verdict(plans.devDefaults.cost.monthlyUsd, 28)}`);
    console.log(`  target: cheapest documented option, own load balancer ${usd(cheapestOwn)}: ${verdict(cheapestOwn, 20)}; on a shared load balancer ${usd(plans.ephemeralPublic.cost.monthlyUsd)}: ${verdict(plans.ephemeralPublic.cost.monthlyUsd, 20)}`);
    console.log(`  target: ephemeral on a shared load balancer ${usd(plans.ephemeralPrivate.cost.monthlyUsd)} in private subnets (the VPC's NAT is the platform's) : ${verdict(plans.ephemeralPrivate.cost.monthlyUsd, 5)}; with a public task IP ${usd(plans.ephemeralPublic.cost.monthlyUsd)}: ${verdict(plans.ephemeralPublic.cost.monthlyUsd, 5)}`);
    console.log("  levers: ARM64 by default for built images, on Spot; free tiers (dashboard, alarms, logs, data out) taken off once; a dual-stack VPC with tasks in IPv6-only subnets (no public IPv4 per task, free egress-only gateway) and a dual-stack load balancer; dualstack-without-public-ipv4; loadBalancer.shared.");

    const prod = compared(plans.prod);
    const cdk = priceAnchor(CDK_ALB_FARGATE_SERVICE, b);
    console.log("\n(b) prod: 3 tasks of 1 vCPU / 2 GB, HTTPS, 2 AZs, private subnets, internet egress through NAT");
    console.log(head);
    console.log(row("prod preset (2 on-demand base, ARM64)", prod));
    console.log(row(`CDK default (${CDK_ALB_FARGATE_SERVICE.natGateways} NAT, x86 on-demand)`, cdk));
    console.log(row(`awsx defaults, 3 AZs (${AWSX_DEFAULTS.natGateways} NAT, x86)`, priceAnchor(AWSX_DEFAULTS, b)));
    console.log(`  whole prod estimate ${usd(plans.prod.cost.monthlyUsd)} (internet data out, LCUs, logs, alarms, Container Insights, access logs included)`);
    const below = 1 - prod.total / cdk.total;
    console.log(`  target: compared lines ${usd(prod.total)} vs CDK ${usd(cdk.total)}: ${(below * 100).toFixed(1)}% below: ${below >= 0.15 ? "met" : "NOT met"} (target ≥ 15% below, ≤ ${usd(cdk.total * 0.85)})`);
    console.log("  levers: ARM64 (Graviton) for the built image, on-demand and Spot; 2 tasks on the on-demand base, the third split with Spot; 2 NAT gateways kept (one per AZ: equal availability, egress kept).");
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
