import { isFargateSize, describeMemoryFor } from "../fargateSizes";
import { MAX_STOP_TIMEOUT } from "../serviceSchema";
import { ResourceRule, RuleViolation, isUnknown, jsonValue, rangeViolation } from "./types";

/** ECS: task definitions and services on Fargate. */

const API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs";

interface Container {
    name?: string;
    essential?: boolean;
    stopTimeout?: number;
}

export const ECS_RULES: ResourceRule[] = [
    {
        id: "ecs.taskDefinition.fargateSize",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: "a Fargate task's CPU and memory are one of the supported combinations",
        sources: ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size", `${API}/API_RegisterTaskDefinition.html`],
        check(r) {
            // Stryker disable next-line ArrayDeclaration: equivalent, any list without FARGATE reads the same
            if (!(r.inputs.requiresCompatibilities ?? []).includes("FARGATE")) return [];
            const cpu = Number(r.inputs.cpu);
            const memory = Number(r.inputs.memory);
            if (isUnknown(r.inputs, "cpu") || isUnknown(r.inputs, "memory")) return [];
            if (r.inputs.cpu === undefined || r.inputs.memory === undefined) return [{ key: "cpu", message: "a Fargate task definition needs cpu and memory at the task level" }];
            return isFargateSize(cpu, memory) ? [] : [{ key: "memory", message: `${memory} MiB is not valid with ${cpu} CPU units on Fargate; allowed: ${describeMemoryFor(cpu)}` }];
        },
    },
    {
        id: "ecs.taskDefinition.containers",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: `containers named with 1–255 letters, digits, - and _, each name once; at least one essential container; stop timeout at most ${MAX_STOP_TIMEOUT} s on Fargate`,
        sources: [`${API}/API_ContainerDefinition.html`, `${TF}/task_definition.go`],
        check(r) {
            const containers = jsonValue<Container[]>(r.inputs.containerDefinitions);
            if (!Array.isArray(containers)) return r.inputs.containerDefinitions === undefined ? [] : [{ key: "containerDefinitions", message: "is not a JSON list of container definitions" }];
            const out: RuleViolation[] = [];
            const seen = new Set<string>();
            containers.forEach((c, i) => {
                if (typeof c.name !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(c.name)) out.push({ key: `containerDefinitions[${i}].name`, message: `${JSON.stringify(c.name)} must be 1–255 letters, digits, - and _` });
                else if (seen.has(c.name)) out.push({ key: `containerDefinitions[${i}].name`, message: `"${c.name}" is used by another container of the task` });
                // Stryker disable next-line ConditionalExpression: equivalent when always true, a name that is not text is never looked up in the set
                if (typeof c.name === "string") seen.add(c.name);
                out.push(...rangeViolation(c as Record<string, any>, "stopTimeout", 2, MAX_STOP_TIMEOUT, " s").map((v) => ({ ...v, key: `containerDefinitions[${i}].stopTimeout` })));
            });
            if (containers.length > 0 && !containers.some((c) => c.essential !== false)) out.push({ key: "containerDefinitions", message: "has no essential container" });
            return out;
        },
    },
    {
        id: "ecs.service.capacity",
        type: "aws:ecs/service:Service",
        title: "a capacity provider strategy or a launch type, not both; a base on one provider only; weights 0–1000 with one above 0; base 0–100000",
        sources: [`${API}/API_CreateService.html`, `${API}/API_CapacityProviderStrategyItem.html`, `${TF}/service.go`],
        check(r) {
            const strategy: Record<string, any>[] | undefined = r.inputs.capacityProviderStrategies;
            const out: RuleViolation[] = [];
            if (!Array.isArray(strategy) || strategy.length === 0) return out;
            // An item, or its weight or base, not known yet: the strategy is judged once it is.
            if (strategy.some((s) => s === undefined || s === null || isUnknown(s, "weight") || isUnknown(s, "base"))) return out;
            if (r.inputs.launchType !== undefined) out.push({ key: "launchType", message: "cannot be set with capacityProviderStrategies" });
            if (strategy.filter((s) => (s.base ?? 0) > 0).length > 1) out.push({ key: "capacityProviderStrategies", message: "sets a base on more than one provider; ECS allows a base on one" });
            if (strategy.every((s) => (s.weight ?? 0) === 0)) out.push({ key: "capacityProviderStrategies", message: "has no provider with a weight above 0" });
            strategy.forEach((s, i) => {
                out.push(...rangeViolation(s, "weight", 0, 1000).map((v) => ({ ...v, key: `capacityProviderStrategies[${i}].weight` })));
                out.push(...rangeViolation(s, "base", 0, 100000).map((v) => ({ ...v, key: `capacityProviderStrategies[${i}].base` })));
            });
            return out;
        },
    },
    {
        id: "ecs.service.deployment",
        type: "aws:ecs/service:Service",
        title: "a health check grace period only with a load balancer; minimum healthy 0–100 %, maximum 100–200 % and room for one task to start",
        sources: [`${API}/API_CreateService.html`, `${API}/API_DeploymentConfiguration.html`],
        check(r) {
            const out = [...rangeViolation(r.inputs, "deploymentMinimumHealthyPercent", 0, 100, " %"), ...rangeViolation(r.inputs, "deploymentMaximumPercent", 100, 200, " %")];
            const balanced = Array.isArray(r.inputs.loadBalancers) && r.inputs.loadBalancers.length > 0;
            if (r.inputs.healthCheckGracePeriodSeconds !== undefined && !balanced && !isUnknown(r.inputs, "loadBalancers")) {
                out.push({ key: "healthCheckGracePeriodSeconds", message: "is only valid for a service with a load balancer" });
            }
            if (r.inputs.deploymentMinimumHealthyPercent === 100 && r.inputs.deploymentMaximumPercent === 100) {
                out.push({ key: "deploymentMaximumPercent", message: "100 with a minimum of 100 % leaves no room to start a task" });
            }
            return out;
        },
    },
];
