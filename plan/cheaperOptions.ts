import { CostEstimate, CostLine, price } from "../analysis/costModel";
import { natGateways, publicIpv4Addresses, strategyOf } from "../analysis/readers";
import { splitTasks } from "../core/capacity";
import { StackGraph, T } from "../analysis/stackResources";
import type { EnvironmentSpec } from "../stacks/environment";
import { endpointUseOf, interfaceEndpointServices } from "../stacks/vpcEndpoints";

/**
 * What this stack could cost less with, each a setting the stack file can write, priced from the
 * same lines and price table as the estimate, with what the saving gives up.
 */

export interface CheaperOption {
    /** What to change, in a few words. */
    option: string;
    /** The stack-file setting that does it. */
    setting: string;
    /** Dollars a month saved at the plan's assumptions. */
    monthlyUsd: number;
    /** What the saving costs: availability, reachability, capability or isolation. */
    givesUp: { kind: "availability" | "reachability" | "capability" | "isolation" | "nothing"; what: string };
}

/** The cost of reaching AWS services from private subnets: NAT gateways, or interface endpoints in each zone. */
export interface EgressChoice {
    /** NAT gateways the stack would run, their hours, addresses and data, a month. */
    natUsd: number;
    /** Interface endpoints the workloads need, in each zone, and their data, a month. */
    endpointsUsd: number;
    endpoints: string[];
    zones: number;
    /** What the stack does now. */
    chosen: "nat" | "endpoints" | "both" | "public subnets" | "IPv6-only subnets through the egress-only gateway (free), NAT64 through NAT" | "IPv6-only subnets through the egress-only gateway (free)";
    /** The NAT data a month above which endpoints cost less than NAT for AWS traffic (they do not reach the internet). */
    note: string;
}

const round = (n: number) => Math.round(n * 100) / 100;
const sum = (lines: CostLine[]) => lines.reduce((n, l) => n + l.monthlyUsd, 0);

/** NAT gateways against interface endpoints for this environment's private tasks. */
export function egressChoice(env: EnvironmentSpec, cost: CostEstimate): EgressChoice | undefined {
    if (env.network.mode !== "vpc") return undefined;
    const a = cost.assumptions;
    const zones = env.network.availabilityZones;
    const endpoints = interfaceEndpointServices(endpointUseOf(env));
    const nats = env.network.natGateways === "onePerAz" ? zones : 1;
    const natUsd = round(nats * a.hoursPerMonth * (price("nat.hour") + price("publicIpv4.hour")) + a.natDataGbPerMonth * price("nat.gb"));
    const endpointsUsd = round(endpoints.length * zones * a.hoursPerMonth * price("vpcEndpoint.azHour") + a.natDataGbPerMonth * price("vpcEndpoint.gb"));
    const chosen: EgressChoice["chosen"] =
        env.network.taskSubnets === "ipv6Only"
            ? env.network.natGateways === "none"
                ? "IPv6-only subnets through the egress-only gateway (free)"
                : "IPv6-only subnets through the egress-only gateway (free), NAT64 through NAT"
            : env.network.taskSubnets === "public"
              ? "public subnets"
              : env.network.vpcEndpoints && env.network.natGateways !== "none"
                ? "both"
                : env.network.vpcEndpoints
                  ? "endpoints"
                  : "nat";
    const fixedEndpoints = endpoints.length * zones * a.hoursPerMonth * price("vpcEndpoint.azHour");
    const breakEven = Math.round(fixedEndpoints / (price("nat.gb") - price("vpcEndpoint.gb")));
    return {
        natUsd,
        endpointsUsd,
        endpoints,
        zones,
        chosen,
        note: `${nats} NAT gateway${nats === 1 ? " reaches" : "s reach"} the internet and AWS; ${endpoints.length} endpoints × ${zones} zones reach only ${endpoints.join(", ")} (and S3, free). Beside a NAT gateway, endpoints pay for themselves above ${breakEven} GB a month of AWS traffic.`,
    };
}

/** The cheaper options of this stack, largest saving first. */
export function cheaperOptions(graph: StackGraph, env: EnvironmentSpec, cost: CostEstimate): CheaperOption[] {
    const a = cost.assumptions;
    const options: CheaperOption[] = [];
    const lines = cost.lines;
    const add = (option: CheaperOption) => {
        if (option.monthlyUsd >= 0.5) options.push({ ...option, monthlyUsd: round(option.monthlyUsd) });
    };

    // Graviton: the same task-hours at the ARM64 rates.
    const x86 = lines.filter((l) => l.priceKey === "fargate.x86.vcpuHour" || l.priceKey === "fargate.x86.gbHour");
    const armRatio = (key: string) => (key === "fargate.x86.vcpuHour" ? price("fargate.arm.vcpuHour") / price("fargate.x86.vcpuHour") : price("fargate.arm.gbHour") / price("fargate.x86.gbHour"));
    add({
        option: `ARM64 (Graviton) for ${[...new Set(x86.map((l) => l.resource))].join(", ")}`,
        setting: `architecture: ARM64 on each workload (or image.build, which builds for ARM64 by default)`,
        monthlyUsd: x86.reduce((n, l) => n + l.monthlyUsd * (1 - armRatio(l.priceKey)), 0),
        givesUp: { kind: "capability", what: "the image must run on linux/arm64 (a multi-arch image, or one built here)" },
    });

    // Spot above the on-demand base: the on-demand task-hours beyond each service's base, at the Spot rate.
    let movable = 0;
    for (const service of graph.ofType(T.service)) {
        const strategy = strategyOf(graph, service);
        const base = strategy.filter((s) => s.capacityProvider === "FARGATE").reduce((n, s) => n + (s.base ?? 0), 0);
        const onDemand = lines.filter((l) => l.resource === service.name && l.category === "Fargate" && l.item.startsWith("Fargate on-demand"));
        const { onDemand: onDemandTasks } = splitTasks(strategy, Number(service.inputs.desiredCount ?? 0));
        // The share of the on-demand cost above the base would run at the Spot rate.
        if (onDemandTasks > base) movable += sum(onDemand) * ((onDemandTasks - base) / onDemandTasks) * a.spotDiscount;
    }
    add({
        option: "Fargate Spot for every task above the on-demand base",
        setting: "capacity: { fargateWeight: 0, spotWeight: 1 } (the base stays on-demand)",
        monthlyUsd: movable,
        givesUp: { kind: "availability", what: "tasks above the base can be stopped with two minutes' notice when AWS needs the capacity back" },
    });

    const nat = natGateways(graph).total;
    const natLine = (key: string) => sum(lines.filter((l) => l.priceKey === key));
    if (nat > 1) {
        add({
            option: `One NAT gateway instead of ${nat}`,
            setting: "network.natGateways: single",
            monthlyUsd: (nat - 1) * a.hoursPerMonth * (price("nat.hour") + price("publicIpv4.hour")),
            givesUp: { kind: "availability", what: "the private subnets of every zone go out through one zone: if it fails, tasks elsewhere lose egress (and cross-zone traffic costs $0.01 a GB)" },
        });
    }
    const egress = egressChoice(env, cost);
    if (egress && nat > 0) {
        add({
            option: `Interface endpoints (${egress.endpoints.join(", ")}) instead of NAT gateways`,
            setting: "network.natGateways: none, network.vpcEndpoints: true",
            monthlyUsd: natLine("nat.hour") + natLine("nat.gb") + nat * a.hoursPerMonth * price("publicIpv4.hour") - egress.endpointsUsd,
            givesUp: { kind: "reachability", what: "tasks reach AWS services with endpoints only, no third-party API or image registry outside this Region's ECR" },
        });
    }

    // Tasks with public IPv4 addresses: in IPv6-only subnets they have none (the egress-only gateway is free).
    const ipv4Line = lines.find((l) => l.priceKey === "publicIpv4.hour");
    const fixedAddresses = publicIpv4Addresses(graph, nat, () => 0);
    const taskAddressHours = (ipv4Line?.quantity ?? 0) - (fixedAddresses.loadBalancer + fixedAddresses.nat) * a.hoursPerMonth;
    if (env.network.mode === "vpc" && env.network.taskSubnets !== "ipv6Only") {
        add({
            option: "Tasks in IPv6-only subnets, without public IPv4 addresses",
            setting: `network.ipv6: true, network.taskSubnets: ipv6Only${nat > 0 ? "" : " (no NAT gateway needed)"}`,
            monthlyUsd: taskAddressHours * price("publicIpv4.hour"),
            givesUp: { kind: "reachability", what: "tasks reach IPv6 and dual-stack hosts only (AWS's dual-stack endpoints among them) and pull only from this Region's private ECR, unless a NAT gateway adds NAT64" },
        });
    }

    for (const lb of graph.ofType(T.loadBalancer)) {
        const zones = (lb.inputs.subnets as unknown[] | undefined)?.length ?? 2;
        if (lb.inputs.internal !== true && lb.inputs.ipAddressType !== "dualstack-without-public-ipv4") {
            add({
                option: "A load balancer without public IPv4 addresses",
                setting: "loadBalancer.ipAddressType: dualstack-without-public-ipv4 (with network.ipv6 true, or network.mode existing and dual-stack subnets)",
                monthlyUsd: zones * a.hoursPerMonth * price("publicIpv4.hour"),
                givesUp: { kind: "reachability", what: "clients must come over IPv6 or through a CDN; load balancer authentication (OIDC, Cognito) needs IPv4" },
            });
        }
        if (env.preset === "dev") {
            const own = lines.filter((l) => l.resource === lb.name && (l.priceKey === "alb.hour" || l.priceKey === "alb.lcuHour"));
            add({
                option: "Share one load balancer between dev and ephemeral environments",
                setting: "loadBalancer.shared: { listenerArn, securityGroupId } and a host rule per service",
                monthlyUsd: sum(own) + zones * a.hoursPerMonth * price("publicIpv4.hour"),
                givesUp: { kind: "isolation", what: "environments share a listener, its certificate and its 100-rule limit; the shared stack pays the load balancer" },
            });
        }
    }

    const insights = lines.filter((l) => l.item.startsWith("Container Insights"));
    if (insights.length > 0) {
        add({
            option: "Container Insights off",
            setting: "cluster.containerInsights: disabled",
            monthlyUsd: sum(insights) - Math.min(sum(insights), -sum(lines.filter((l) => l.category === "Free tier" && l.priceKey === "cloudwatch.metricMonth"))),
            givesUp: { kind: "capability", what: "per-task metrics and the backlog-per-task scaling of queue workers (Security Hub ECS.12 fails)" },
        });
    }

    // Dev services that run all month: stopped nights and weekends they run 65 of 168 hours.
    if (env.preset === "dev") {
        const always = graph.ofType(T.service).filter((s) => !lines.some((l) => l.resource === s.name && / h of \d+ by its schedules/.test(l.item)) && Number(s.inputs.desiredCount ?? 0) > 0);
        const fargate = lines.filter((l) => always.some((s) => s.name === l.resource) && l.category === "Fargate");
        const taskIps = always.filter((s) => s.inputs.networkConfiguration?.assignPublicIp === true).reduce((n, s) => n + Number(s.inputs.desiredCount), 0);
        add({
            option: `Stop ${always.map((s) => s.name).join(", ")} nights and weekends`,
            setting: "scaling.schedules: a stop (min 0, max 0) at 20:00 and a start at 07:00, Monday to Friday, in your time zone",
            monthlyUsd: (sum(fargate) + taskIps * a.hoursPerMonth * price("publicIpv4.hour")) * (1 - 65 / 168),
            givesUp: { kind: "availability", what: "the services answer only in working hours" },
        });
    }

    return options.sort((x, y) => y.monthlyUsd - x.monthlyUsd);
}
