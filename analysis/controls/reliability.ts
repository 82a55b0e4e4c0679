import { strategyUsesSpot } from "../../core/capacity";
import { SPOT_NOTICE_SECONDS } from "../../core/serviceSchema";
import { estimateCost } from "../costModel";
import { estimateDeploy } from "../deployModel";
import { deregistrationDelayOf, mainContainerOf, natGateways, onDemandBase, strategyOf, targetGroupsOf, taskDefinitionOf } from "../readers";
import { AWS_DEFAULTS } from "../../core/aws/awsDefaults";
import { StackGraph, T, jsonInput } from "../stackResources";
import type { ResourceControl, StackControl, StackFinding } from "./types";
import { componentType } from "../../components/componentType";

/** This project's reliability and cost rules, beside the Security Hub controls. */

export const circuitBreaker: ResourceControl = {
    id: "circuit-breaker",
    title: "Services roll back a deployment that cannot become healthy (circuit breaker with rollback)",
    kind: "resource",
    resourceTypes: [T.service],
    check: (_, inputs) => {
        const breaker = inputs.deploymentCircuitBreaker as { enable?: boolean; rollback?: boolean } | undefined;
        if (breaker?.enable === true && breaker.rollback === true) return [];
        return [breaker?.enable ? "the circuit breaker stops a bad deployment but does not roll it back" : "no deployment circuit breaker: a bad version hangs the deploy"];
    },
};

export const spotOnDemandBase: StackControl = {
    id: "spot-on-demand-base",
    title: "Wherever Fargate Spot is used, an on-demand base keeps the service up through a Spot shortage",
    kind: "stack",
    check: (graph, settings) => {
        if (!settings.requireOnDemandBase) return undefined;
        const findings: StackFinding[] = [];
        for (const service of graph.ofType(T.service)) {
            const strategy = strategyOf(graph, service);
            if (strategyUsesSpot(strategy) && onDemandBase(strategy) < 1) {
                findings.push({ resource: service, reason: "runs on FARGATE_SPOT with no FARGATE base: a Spot shortage can stop every task" });
            }
        }
        return findings;
    },
};

export const deregistrationDelay: StackControl = {
    id: "deregistration-delay",
    title: "Draining fits inside the Spot two-minute notice and within the container's stopTimeout",
    kind: "stack",
    check: (graph) => {
        const findings: StackFinding[] = [];
        let checked = 0;
        for (const service of graph.ofType(T.service)) {
            const groups = targetGroupsOf(graph, service);
            if (groups.length === 0) continue;
            // Stryker disable next-line UpdateOperator: only checked === 0 is read, which counting down leaves as surely as counting up
            checked++;
            const stopTimeout = Number(mainContainerOf(service, taskDefinitionOf(graph, service))?.stopTimeout ?? AWS_DEFAULTS.container.stopTimeout);
            const spot = strategyUsesSpot(strategyOf(graph, service));
            for (const group of groups) {
                const delay = deregistrationDelayOf(group);
                if (spot && delay >= SPOT_NOTICE_SECONDS) {
                    findings.push({ resource: group, reason: `drains for ${delay} s, which does not fit in the ${SPOT_NOTICE_SECONDS} s Spot notice of ${service.name}` });
                }
                if (delay > stopTimeout) {
                    findings.push({ resource: group, reason: `drains for ${delay} s but ${service.name}'s container is killed ${stopTimeout} s after SIGTERM` });
                }
            }
        }
        return checked === 0 ? undefined : findings;
    },
};

export const rollingUpdateTime: StackControl = {
    id: "rolling-update-time",
    title: "A rolling update of each service completes within the deploy-time target",
    kind: "stack",
    check: (graph, settings) => {
        if (settings.rollingUpdateMinutes === undefined || graph.ofType(T.service).length === 0) return undefined;
        const limit = settings.rollingUpdateMinutes * 60;
        return estimateDeploy(graph, settings.deployAssumptions)
            .rollingUpdates.filter((u) => u.seconds > limit)
            .map((u) => ({
                resource: graph.get(u.urn),
                reason: `a rolling update takes about ${Math.round(u.seconds)} s (${u.waves} wave${u.waves === 1 ? "" : "s"} of ${u.wave.healthy} s health check + ${u.wave.drain} s drain${u.waits.alarms ? ` + ${u.waits.alarms} s alarm bake` : ""}${u.waits.bake ? ` + ${u.waits.bake} s bake time` : ""}), over the ${settings.rollingUpdateMinutes} min target`,
            }));
    },
};

/** Whether a resource is a child of a ReleaseRepository component: its URN's type chain names the component. */
function isReleaseRepositoryChild(urn: string): boolean {
    return urn.includes(`${componentType("ReleaseRepository")}$`);
}

export const ecrLifecycleRules: StackControl = {
    id: "ecr-lifecycle-rules",
    title: "ECR lifecycle policies expire untagged images and cap the images kept",
    kind: "stack",
    check: (graph) => {
        const policies = graph.ofType(T.lifecyclePolicy);
        if (policies.length === 0) return undefined;
        type Rule = { selection?: { tagStatus?: string; countType?: string } };
        return policies.flatMap((p) => {
            const rules = jsonInput<{ rules?: Rule[] }>(p.inputs.policy)?.rules ?? [];
            const reasons: string[] = [];
            if (!rules.some((r) => r.selection?.tagStatus === "untagged")) reasons.push("never expires untagged images");
            // A release repository keeps every release by design (environments may run any of them); its URN's type chain says so.
            if (!rules.some((r) => r.selection?.countType === "imageCountMoreThan") && !isReleaseRepositoryChild(p.urn)) reasons.push("keeps an unbounded number of images");
            return reasons.map((reason) => ({ resource: p, reason }));
        });
    },
};

export const costBudget: StackControl = {
    id: "cost-budget",
    title: "The stack's estimated monthly cost stays under its budget",
    kind: "stack",
    check: (graph: StackGraph, settings) => {
        if (settings.monthlyBudgetUsd === undefined) return undefined;
        const estimate = estimateCost(graph, settings.costAssumptions);
        return estimate.monthlyUsd > settings.monthlyBudgetUsd
            ? [{ reason: `estimated $${estimate.monthlyUsd.toFixed(2)} a month, over the $${settings.monthlyBudgetUsd} budget` }]
            : [];
    },
};

export const natGatewayCount: StackControl = {
    id: "nat-gateway-count",
    title: "The stack creates the NAT gateways its environment asked for, no more",
    kind: "stack",
    check: (graph, settings) => {
        if (settings.expectedNatGateways === undefined) return undefined;
        const { total } = natGateways(graph);
        return total === settings.expectedNatGateways ? [] : [{ reason: `creates ${total} NAT gateway${total === 1 ? "" : "s"}; the environment asked for ${settings.expectedNatGateways}` }];
    },
};

/**
 * The resource types that hold data a replacement or a destroy would lose: images, logs, access
 * logs, messages waiting in a queue. Every resource of these types must carry `protect` (Pulumi
 * refuses to delete it) and `retainOnDelete` (removing it from the program leaves it in AWS):
 * https://www.pulumi.com/docs/iac/concepts/options/protect/ and
 * https://www.pulumi.com/docs/iac/concepts/options/retainondelete/.
 */
export const STATEFUL_TYPES: readonly string[] = [T.repository, T.logGroup, T.bucket, T.queue, T.fileSystem];

export const statefulProtection: StackControl = {
    id: "stateful-protection",
    title: "Stateful resources (repositories, log groups, buckets, queues, file systems) are protected and retained on delete",
    kind: "stack",
    check: (graph, settings) => {
        if (!settings.requireProtection) return undefined;
        const stateful = graph.ofType(...STATEFUL_TYPES);
        if (stateful.length === 0) return undefined;
        return stateful.flatMap((resource) => {
            const missing = [
                resource.options.protect !== true ? "protect" : undefined,
                // The policy pack's view of a resource does not carry retainOnDelete: judged where it is seen.
                resource.options.retainOnDelete !== true && !resource.options.retainOnDeleteUnseen ? "retainOnDelete" : undefined,
            ].filter((m): m is string => m !== undefined);
            return missing.length ? [{ resource, reason: `lacks ${missing.join(" and ")}: a destroy or a rename would delete its data` }] : [];
        });
    },
};

export const RELIABILITY: (ResourceControl | StackControl)[] = [
    circuitBreaker, spotOnDemandBase, deregistrationDelay, rollingUpdateTime, ecrLifecycleRules, costBudget, natGatewayCount, statefulProtection,
];
