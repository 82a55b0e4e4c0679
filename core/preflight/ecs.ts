import { isFargateSize, describeMemoryFor } from "../fargateSizes";
import { MAX_STOP_TIMEOUT } from "../serviceSchema";
import { AcceleratorManufacturer, AcceleratorName, Burstable, enumValues } from "../enums";
import { EC2_TASK_CPU, INSTANCE_TYPE_PATTERN, MANAGED_INSTANCES, MANAGED_INSTANCES_SOURCES as MI, MAX_INSTANCE_TYPES } from "../managedInstances";
import { ResourceRule, RuleViolation, isUnknown, jsonValue, rangeViolation } from "./types";

/** ECS: task definitions and services on Fargate. */

const API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs";

interface Container {
    name?: string;
    essential?: boolean;
    stopTimeout?: number;
    resourceRequirements?: { type?: string; value?: string }[];
}

const RANGES = ["vcpuCount", "memoryMib", "acceleratorCount", "acceleratorTotalMemoryMib"] as const;

/** The enum lists of InstanceRequirementsRequest that a Managed Instances provider may set, with their allowed values. */
const ENUM_LISTS: [string, readonly string[]][] = [
    ["acceleratorManufacturers", enumValues(AcceleratorManufacturer)],
    ["acceleratorNames", enumValues(AcceleratorName)],
    ["acceleratorTypes", ["gpu", "fpga", "inference"]],
    ["cpuManufacturers", ["intel", "amd", "amazon-web-services"]],
    ["instanceGenerations", ["current", "previous"]],
];

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
                // A list item that is not an object (null, text) is named, not read: reading it would stop the preflight.
                if (c === null || typeof c !== "object") {
                    out.push({ key: `containerDefinitions[${i}]`, message: `${JSON.stringify(c)} is not a container definition: ECS wants an object with a name and an image` });
                    return;
                }
                if (typeof c.name !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(c.name)) out.push({ key: `containerDefinitions[${i}].name`, message: `${JSON.stringify(c.name)} must be 1–255 letters, digits, - and _` });
                else if (seen.has(c.name)) out.push({ key: `containerDefinitions[${i}].name`, message: `"${c.name}" is used by another container of the task` });
                // Stryker disable next-line ConditionalExpression: equivalent when always true, a name that is not text is never looked up in the set
                if (typeof c.name === "string") seen.add(c.name);
                out.push(...rangeViolation(c as Record<string, any>, "stopTimeout", 2, MAX_STOP_TIMEOUT, " s").map((v) => ({ ...v, key: `containerDefinitions[${i}].stopTimeout` })));
            });
            if (containers.length > 0 && !containers.some((c) => c?.essential !== false)) out.push({ key: "containerDefinitions", message: "has no essential container" });
            return out;
        },
    },
    {
        id: "ecs.capacityProvider.managedInstances",
        type: "aws:ecs/capacityProvider:CapacityProvider",
        title: "a Managed Instances provider names its cluster; instance requirements with vCPU and memory minimums, every range min ≤ max, known accelerator and CPU values, at most 400 instance types of 1–30 letters, digits, . * -; a task volume of at least 1 GiB",
        sources: [MI.provider, MI.requirements, MI.terraform],
        check(r) {
            const provider = r.inputs.managedInstancesProvider;
            if (provider === undefined || provider === null) return [];
            const out: RuleViolation[] = [];
            if (r.inputs.cluster === undefined && !isUnknown(r.inputs, "cluster")) out.push({ key: "cluster", message: "is required with managedInstancesProvider: a Managed Instances provider belongs to the cluster named at its creation" });
            const template = provider.instanceLaunchTemplate ?? {};
            const base = "managedInstancesProvider.instanceLaunchTemplate";
            const storage = template.storageConfiguration?.storageSizeGib;
            if (typeof storage === "number" && (!Number.isInteger(storage) || storage < 1)) out.push({ key: `${base}.storageConfiguration.storageSizeGib`, message: `${storage} GiB: AWS needs a whole number of at least 1` });
            const req = template.instanceRequirements;
            if (!req) return out;
            const at = `${base}.instanceRequirements`;
            for (const key of ["vcpuCount", "memoryMib"]) {
                if (typeof req[key]?.min !== "number" && !isUnknown(req, key)) out.push({ key: `${at}.${key}.min`, message: "is required: AWS needs the least vCPUs and memory of the instance types" });
            }
            for (const key of RANGES) {
                const range = req[key];
                // A missing end compares false: only a range with both ends can be upside down.
                if (range && range.min > range.max) out.push({ key: `${at}.${key}`, message: `min ${range.min} is above max ${range.max}` });
                for (const end of ["min", "max"] as const) {
                    const v = range?.[end];
                    const floor = key === "vcpuCount" || key === "memoryMib" ? 1 : 0;
                    if (typeof v === "number" && (!Number.isInteger(v) || v < floor)) out.push({ key: `${at}.${key}.${end}`, message: `${v} is not a whole number of at least ${floor}` });
                }
            }
            for (const [key, allowed] of ENUM_LISTS) {
                (Array.isArray(req[key]) ? req[key] : []).forEach((v: unknown, i: number) => {
                    if (typeof v === "string" && !allowed.includes(v)) out.push({ key: `${at}.${key}[${i}]`, message: `"${v}" is not one of ${allowed.join(", ")}` });
                });
            }
            if (typeof req.burstablePerformance === "string" && !enumValues(Burstable).includes(req.burstablePerformance)) {
                out.push({ key: `${at}.burstablePerformance`, message: `"${req.burstablePerformance}" is not one of ${enumValues(Burstable).join(", ")}` });
            }
            for (const key of ["allowedInstanceTypes", "excludedInstanceTypes"]) {
                const types: unknown[] = Array.isArray(req[key]) ? req[key] : [];
                if (types.length > MAX_INSTANCE_TYPES) out.push({ key: `${at}.${key}`, message: `has ${types.length} instance types; AWS allows ${MAX_INSTANCE_TYPES}` });
                types.forEach((t, i) => {
                    if (typeof t === "string" && !INSTANCE_TYPE_PATTERN.test(t)) out.push({ key: `${at}.${key}[${i}]`, message: `"${t}" is not 1–30 letters, digits, . * and -` });
                });
            }
            if (Array.isArray(req.allowedInstanceTypes) && req.allowedInstanceTypes.length > 0 && Array.isArray(req.excludedInstanceTypes) && req.excludedInstanceTypes.length > 0) {
                out.push({ key: `${at}.excludedInstanceTypes`, message: "cannot be set with allowedInstanceTypes" });
            }
            return out;
        },
    },
    {
        id: "ecs.taskDefinition.managedInstances",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: "GPUs only on EC2 capacity (Managed Instances), never with FARGATE; a Managed Instances task's CPU 128–196608 units",
        sources: [MI.resourceRequirement, MI.taskCpu],
        check(r) {
            // Stryker disable next-line ArrayDeclaration: equivalent, no compatibility this rule reads is in the list that replaces the empty one
            const compat: unknown[] = Array.isArray(r.inputs.requiresCompatibilities) ? r.inputs.requiresCompatibilities : [];
            const out: RuleViolation[] = [];
            const containers = jsonValue<Container[]>(r.inputs.containerDefinitions);
            // A definition written as null, or requirements that are not a list, are other rules' findings, never a crash here.
            // Stryker disable next-line ArrayDeclaration: equivalent, a list of text has no GPU requirement
            const requirementsOf = (c: Container | null | undefined) => (Array.isArray(c?.resourceRequirements) ? c.resourceRequirements : []);
            const gpus = Array.isArray(containers) ? containers.flatMap((c, i) => (requirementsOf(c).some((q) => q?.type === "GPU") ? [i] : [])) : [];
            if (compat.includes("FARGATE")) {
                for (const i of gpus) out.push({ key: `containerDefinitions[${i}].resourceRequirements`, message: "reserves GPUs, which Fargate does not have: register the task for MANAGED_INSTANCES only" });
            }
            // An input left out and one not known yet are both undefined here.
            if (compat.includes(MANAGED_INSTANCES) && r.inputs.cpu !== undefined) {
                out.push(...rangeViolation({ cpu: Number(r.inputs.cpu) }, "cpu", EC2_TASK_CPU.min, EC2_TASK_CPU.max, " CPU units"));
            }
            if (Array.isArray(containers)) {
                containers.forEach((c, i) =>
                    requirementsOf(c).forEach((q, j) => {
                        if (q?.type === "GPU" && !(q.value === "ALL" || /^[1-9]\d*$/.test(String(q.value)))) out.push({ key: `containerDefinitions[${i}].resourceRequirements[${j}].value`, message: `${JSON.stringify(q.value)} is not a number of GPUs (or ALL)` });
                    }),
                );
            }
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
