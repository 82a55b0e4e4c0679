import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { FargateServiceArgs } from "../components";
import {
    GPU_FAMILIES,
    KNOWN_INSTANCE_TYPES,
    instanceRequirements,
    instancesFor,
    managedInstancesProblems,
    singleInstanceType,
    tasksPerInstance,
} from "../core/managedInstances";
import { fargateServiceArgsSchema } from "../core/serviceSchema";
import type { ProgramRun } from "../plan/engine";
import { TASK_TYPES as T, json, one, run, throwsProblems } from "./helpers";

/**
 * GPU and EC2 capacity through ECS Managed Instances: what a service's `managedInstances` becomes
 * (a capacity provider in its cluster, the roles, a task definition for MANAGED_INSTANCES with the
 * container's GPU reservation), the order that lets one `pulumi up` work (pulumi-aws#6061), and
 * what AWS would refuse, checked before anything is created.
 */

const CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider";
const INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const image = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };

function gpuService(extra: Partial<FargateServiceArgs> = {}): FargateServiceArgs {
    return { ...network, image, cpu: 2048, memory: 8192, loadBalancer: { enabled: false }, managedInstances: { gpu: { count: 1 }, instanceTypes: ["g5.xlarge"] }, ...extra };
}

function rejects(args: FargateServiceArgs, ...fragments: string[]): string {
    return throwsProblems(() => new components.FargateService("gpu", args), ...fragments);
}

describe("managed instances: what a GPU service creates", () => {
    let r: ProgramRun;
    before(async () => {
        r = await run(() => new components.FargateService("gpu", gpuService()));
    });

    it("gives the service its own Managed Instances capacity provider in its cluster", () => {
        const provider = one(r, CAPACITY_PROVIDER);
        const cluster = one(r, T.cluster);
        assert.ok(provider.propertyDependencies.cluster?.includes(cluster.urn), "the provider's cluster input comes from the cluster");
        const template = provider.inputs.managedInstancesProvider.instanceLaunchTemplate;
        assert.deepEqual(template.instanceRequirements.acceleratorTypes, ["gpu"]);
        assert.deepEqual(template.instanceRequirements.acceleratorCount, { min: 1 });
        assert.deepEqual(template.instanceRequirements.acceleratorManufacturers, ["nvidia"]);
        assert.deepEqual(template.instanceRequirements.allowedInstanceTypes, ["g5.xlarge"]);
        assert.deepEqual(template.instanceRequirements.vcpuCount, { min: 2 });
        assert.deepEqual(template.instanceRequirements.memoryMib, { min: 8192 });
        assert.deepEqual(template.networkConfiguration.subnets, network.subnetIds);
        assert.deepEqual(template.storageConfiguration, { storageSizeGib: 30 });
    });

    it("puts the instances in the tasks' own security group", () => {
        const provider = one(r, CAPACITY_PROVIDER);
        const group = one(r, T.securityGroup);
        assert.ok(provider.propertyDependencies.managedInstancesProvider?.includes(group.urn));
    });

    it("never lists the Managed Instances provider in ClusterCapacityProviders (pulumi-aws#6061)", () => {
        const association = one(r, T.capacityProviders);
        assert.deepEqual(association.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
        const provider = one(r, CAPACITY_PROVIDER);
        assert.ok(!(association.propertyDependencies.capacityProviders ?? []).includes(provider.urn));
    });

    it("creates the provider after the cluster's own association, so the two cluster updates never race", () => {
        const provider = one(r, CAPACITY_PROVIDER);
        const association = one(r, T.capacityProviders);
        assert.ok(provider.propertyDependencies.cluster?.includes(association.urn), "the provider's cluster name waits on the association");
    });

    it("creates the service after the provider and names it as the service's only capacity, without a launch type", () => {
        const service = one(r, T.service);
        const provider = one(r, CAPACITY_PROVIDER);
        assert.ok(service.dependencies.includes(provider.urn), "the service depends on the provider");
        assert.equal(service.inputs.capacityProviderStrategies.length, 1);
        assert.equal(service.inputs.capacityProviderStrategies[0].weight, 1);
        assert.ok(service.propertyDependencies.capacityProviderStrategies?.includes(provider.urn));
        assert.equal(service.inputs.launchType, undefined);
    });

    it("registers the task for MANAGED_INSTANCES only, in awsvpc mode, with the container's GPU reservation", () => {
        const td = one(r, T.taskDefinition);
        assert.deepEqual(td.inputs.requiresCompatibilities, ["MANAGED_INSTANCES"]);
        assert.equal(td.inputs.networkMode, "awsvpc");
        const [app] = json(td.inputs.containerDefinitions);
        assert.deepEqual(app.resourceRequirements, [{ type: "GPU", value: "1" }]);
    });

    it("gives ECS an infrastructure role it assumes with the AWS managed policy for Managed Instances", () => {
        const roles = r.resources.filter((x) => x.type === T.role);
        const infra = roles.find((x) => json(x.inputs.assumeRolePolicy).Statement[0].Principal.Service === "ecs.amazonaws.com");
        assert.ok(infra, "a role ECS assumes");
        const attachments = r.resources.filter((x) => x.type === T.rolePolicyAttachment).map((x) => String(x.inputs.policyArn));
        assert.ok(attachments.some((a) => a.endsWith(":iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances")), attachments.join(", "));
        assert.ok(attachments.some((a) => a.endsWith(":iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances")), attachments.join(", "));
    });

    it("names the instance role ecsInstanceRole…, the only roles the managed infrastructure policy may pass", () => {
        const instanceRole = r.resources.find((x) => x.type === T.role && json(x.inputs.assumeRolePolicy).Statement[0].Principal.Service === "ec2.amazonaws.com");
        assert.ok(instanceRole);
        assert.match(instanceRole.name, /^ecsInstanceRole/);
        const profile = one(r, INSTANCE_PROFILE);
        assert.ok(profile.propertyDependencies.role?.includes(instanceRole.urn));
    });
});

describe("managed instances: a Fargate service is unchanged", () => {
    it("creates no capacity provider and keeps FARGATE without a GPU reservation", async () => {
        const r = await run(() => new components.FargateService("web", { ...network, image, loadBalancer: { enabled: false } }));
        assert.equal(r.resources.filter((x) => x.type === CAPACITY_PROVIDER).length, 0);
        const td = one(r, T.taskDefinition);
        assert.deepEqual(td.inputs.requiresCompatibilities, ["FARGATE"]);
        assert.equal(json(td.inputs.containerDefinitions)[0].resourceRequirements, undefined);
    });
});

describe("managed instances: what is refused before anything is created", () => {
    it("refuses Fargate's capacity split beside managedInstances, naming both keys", () => {
        rejects(gpuService({ capacity: { spotWeight: 1 } }), "args.capacity:", "managedInstances");
    });

    it("refuses a public IP: tasks on EC2 capacity get none", () => {
        rejects(gpuService({ assignPublicIp: true }), "args.assignPublicIp: is true, but tasks on Managed Instances (EC2) get no public IP");
    });

    it("refuses more than 8 GPUs per task, and fewer than 1", () => {
        rejects(gpuService({ managedInstances: { gpu: { count: 9 } } }), "args.managedInstances.gpu.count");
        rejects(gpuService({ managedInstances: { gpu: { count: 0 } } }), "args.managedInstances.gpu.count");
    });

    it("refuses an accelerator maker or model AWS does not know, listing the allowed values", () => {
        rejects(gpuService({ managedInstances: { gpu: { count: 1, manufacturers: ["intel" as never] } } }), "args.managedInstances.gpu.manufacturers[0]", "nvidia");
        rejects(gpuService({ managedInstances: { gpu: { count: 1, names: ["rtx4090" as never] } } }), "args.managedInstances.gpu.names[0]", "a10g");
    });

    it("refuses GPUs on an instance family that has none", () => {
        rejects(gpuService({ managedInstances: { gpu: { count: 1 }, instanceTypes: ["m7i.xlarge"] } }), 'args.managedInstances.instanceTypes[0]: "m7i.xlarge" has no GPUs');
    });

    it("refuses more GPUs than the one allowed instance type has", () => {
        rejects(gpuService({ managedInstances: { gpu: { count: 2 }, instanceTypes: ["g5.xlarge"] } }), "args.managedInstances.gpu.count: 2 is more than the GPUs of g5.xlarge (1)");
    });

    it("refuses a task larger than the one allowed instance type", () => {
        rejects(gpuService({ cpu: 8192, memory: 16384 }), "args.managedInstances.instanceTypes[0]: g5.xlarge (4 vCPU, 16384 MiB) is too small");
    });

    it("refuses an instance type name with characters AWS refuses, and more than 400 names", () => {
        rejects(gpuService({ managedInstances: { instanceTypes: ["g5 xlarge"] } }), "args.managedInstances.instanceTypes[0]: is not an instance type name");
        rejects(gpuService({ managedInstances: { instanceTypes: Array.from({ length: 401 }, (_, i) => `m${i}.large`) } }), "args.managedInstances.instanceTypes");
    });

    it("refuses a range whose minimum is above its maximum, and a maximum too small for the task", () => {
        rejects(gpuService({ managedInstances: { vcpu: { min: 8, max: 4 } } }), "args.managedInstances.vcpu.min: 8 is above vcpu.max (4)");
        rejects(gpuService({ managedInstances: { memoryMiB: { min: 1024, max: 4096 } } }), "args.managedInstances.memoryMiB.max: 4096 MiB cannot hold the task's 8192 MiB");
    });
});

describe("managed instances: the rules for all inputs", () => {
    const task = fc.record({ cpu: fc.constantFrom(256, 512, 1024, 2048, 4096), memory: fc.integer({ min: 512, max: 30720 }) });

    it("asks for at least the task's vCPUs and memory when no range is given", () => {
        fc.assert(
            fc.property(task, (t) => {
                const req = instanceRequirements({}, t);
                return req.vcpuCount.min * 1024 >= t.cpu && req.memoryMib.min >= t.memory;
            }),
        );
    });

    it("asks for GPU instances with at least the task's GPUs whenever it reserves GPUs", () => {
        fc.assert(
            fc.property(task, fc.integer({ min: 1, max: 8 }), (t, count) => {
                const req = instanceRequirements({ gpu: { count } }, t);
                return req.acceleratorTypes?.[0] === "gpu" && req.acceleratorCount?.min === count;
            }),
        );
    });

    it("finds a range upside down exactly when its minimum is above its maximum", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 512 }), fc.integer({ min: 1, max: 512 }), (min, max) => {
                const problems = managedInstancesProblems({ vcpu: { min, max: Math.max(max, 1) } }, { cpu: 256, memory: 512 });
                return problems.some((p) => p.path.join(".") === "vcpu.min") === min > max;
            }),
        );
    });

    it("fits no more tasks on an instance than its vCPUs, memory or GPUs allow", () => {
        fc.assert(
            fc.property(fc.constantFrom(...Object.keys(KNOWN_INSTANCE_TYPES)), task, fc.integer({ min: 0, max: 2 }), (type, t, gpus) => {
                const spec = KNOWN_INSTANCE_TYPES[type];
                const n = tasksPerInstance(spec, t, gpus);
                return n * t.cpu <= spec.vcpus * 1024 && n * t.memory <= spec.memoryMiB && (gpus === 0 || n * gpus <= spec.gpus);
            }),
        );
    });

    it("launches enough instances for every task, and never one too many", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 16 }), (tasks, per) => {
                const n = instancesFor(tasks, per);
                return n * per >= tasks && (n === 0 || (n - 1) * per < tasks);
            }),
        );
    });

    it("resolves to one instance type only for a single name without a wildcard", () => {
        assert.equal(singleInstanceType(["g5.xlarge"]), "g5.xlarge");
        assert.equal(singleInstanceType(["g5.*"]), undefined);
        assert.equal(singleInstanceType(["g5.xlarge", "g6.xlarge"]), undefined);
        assert.equal(singleInstanceType(undefined), undefined);
    });

    it("accepts GPUs with every known GPU family", () => {
        for (const family of GPU_FAMILIES) {
            assert.ok(fargateServiceArgsSchema.safeParse(gpuService({ managedInstances: { gpu: { count: 1 }, instanceTypes: [`${family}.*`, `${family}.xlarge`] } })).success, family);
        }
    });
});

describe("managed instances: the preflight on the resources themselves", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPreflight } = require("../core/preflight") as typeof import("../core/preflight");
    const record = (type: string, inputs: Record<string, unknown>) => ({ urn: `urn:pulumi:test::proj::${type}::x`, type, name: "x", inputs });
    const provider = (requirements: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        record(CAPACITY_PROVIDER, {
            cluster: "c",
            managedInstancesProvider: { infrastructureRoleArn: "arn:aws:iam::123456789012:role/i", instanceLaunchTemplate: { ec2InstanceProfileArn: "p", networkConfiguration: { subnets: ["s"] }, instanceRequirements: requirements } },
            ...extra,
        });
    const ok = { vcpuCount: { min: 1 }, memoryMib: { min: 1024 } };

    it("passes the provider a GPU service creates", async () => {
        const r = await run(() => new components.FargateService("gpu", gpuService()));
        assert.deepEqual(runPreflight(r.resources).filter((f) => f.rule.includes("managedInstances")), []);
    });

    it("refuses a provider without its cluster, an upside-down range and an unknown accelerator", () => {
        const withoutCluster = provider({ ...ok, acceleratorCount: { min: 4, max: 2 }, acceleratorManufacturers: ["intel"] });
        // Left out, not unknown: an input whose value is not known yet is never judged.
        delete (withoutCluster.inputs as Record<string, unknown>).cluster;
        const findings = runPreflight([withoutCluster]).map((f) => `${f.key}: ${f.message}`);
        assert.ok(findings.some((f) => f.startsWith("cluster: is required")), findings.join("\n"));
        assert.ok(findings.some((f) => f.includes("acceleratorCount: min 4 is above max 2")), findings.join("\n"));
        assert.ok(findings.some((f) => f.includes('acceleratorManufacturers[0]: "intel" is not one of')), findings.join("\n"));
    });

    it("refuses instance requirements without a vCPU or memory minimum, and allowed with excluded types", () => {
        const findings = runPreflight([provider({ vcpuCount: {}, allowedInstanceTypes: ["g5.xlarge"], excludedInstanceTypes: ["g4dn.*"] })]).map((f) => f.key);
        assert.ok(findings.includes("managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.vcpuCount.min"));
        assert.ok(findings.includes("managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.memoryMib.min"));
        assert.ok(findings.includes("managedInstancesProvider.instanceLaunchTemplate.instanceRequirements.excludedInstanceTypes"));
    });

    it("refuses a GPU reservation in a task registered for FARGATE, and a count that is not a number", () => {
        const td = (compat: string[], value: string) =>
            record(T.taskDefinition, { requiresCompatibilities: compat, cpu: "1024", memory: "2048", containerDefinitions: JSON.stringify([{ name: "app", essential: true, resourceRequirements: [{ type: "GPU", value }] }]) });
        const onFargate = runPreflight([td(["FARGATE"], "1")]).filter((f) => f.rule === "ecs.taskDefinition.managedInstances");
        assert.equal(onFargate.length, 1);
        assert.match(onFargate[0].message, /Fargate does not have/);
        assert.deepEqual(runPreflight([td(["MANAGED_INSTANCES"], "1")]).filter((f) => f.rule === "ecs.taskDefinition.managedInstances"), []);
        assert.equal(runPreflight([td(["MANAGED_INSTANCES"], "two")]).filter((f) => f.rule === "ecs.taskDefinition.managedInstances").length, 1);
    });

    it("names no GPU finding, and never crashes, on container definitions written as null or with requirements that are not a list", () => {
        fc.assert(
            fc.property(fc.constantFrom(null, "GPU", 1, {}, [null], [{ type: "GPU" }]), (requirements) => {
                const td = record(T.taskDefinition, { requiresCompatibilities: ["MANAGED_INSTANCES"], containerDefinitions: JSON.stringify([null, { name: "app", resourceRequirements: requirements }]) });
                runPreflight([td]);
                return true;
            }),
        );
    });

    it("accepts any Managed Instances task CPU from 128 to 196608 units, and nothing outside", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 300000 }), (cpu) => {
                const found = runPreflight([record(T.taskDefinition, { requiresCompatibilities: ["MANAGED_INSTANCES"], cpu: String(cpu), memory: "2048" })]).some((f) => f.rule === "ecs.taskDefinition.managedInstances");
                return found === (cpu < 128 || cpu > 196608);
            }),
        );
    });
});

describe("managed instances: the plan's cost", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { estimateCost, priceSource } = require("../analysis/costModel") as typeof import("../analysis/costModel");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StackGraph } = require("../analysis/stackResources") as typeof import("../analysis/stackResources");

    it("prices one g5.xlarge per task of one GPU, all month, at the on-demand price with its source, and no Fargate hours", async () => {
        const r = await run(() => new components.FargateService("gpu", gpuService({ desiredCount: 2 })));
        const estimate = estimateCost(new StackGraph(r.resources));
        const ec2 = estimate.lines.filter((l) => l.priceKey === "ec2.g5.xlarge.hour");
        assert.equal(ec2.length, 1);
        assert.equal(ec2[0].quantity, 2 * 730);
        assert.equal(ec2[0].monthlyUsd, Math.round(2 * 730 * 1.006 * 10000) / 10000);
        assert.match(ec2[0].item, /2 instances for 2 tasks \(1 per instance, 1 GPU each\)/);
        assert.equal(estimate.lines.filter((l) => l.category === "Fargate").length, 0);
        assert.equal(priceSource("ec2.g5.xlarge.hour").url, "https://aws.amazon.com/ec2/pricing/on-demand/");
        assert.ok(estimate.notPriced.some((n) => n.item === "ECS Managed Instances management fee"));
    });

    it("says it cannot price instances whose requirements allow more than one type, rather than guess", async () => {
        const r = await run(() => new components.FargateService("gpu", gpuService({ managedInstances: { gpu: { count: 1 }, instanceTypes: ["g5.*"] } })));
        const estimate = estimateCost(new StackGraph(r.resources));
        assert.equal(estimate.lines.filter((l) => l.priceKey.startsWith("ec2.")).length, 0);
        const unresolved = estimate.notPriced.find((n) => n.item.startsWith("EC2 instances of gpu"));
        assert.ok(unresolved);
        assert.match(unresolved.reason, /name exactly one type/);
    });
});

describe("managed instances: from a stack file", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("node:fs") as typeof import("node:fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require("node:path") as typeof import("node:path");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { projectRoot, stackDirectory } = require("./planFixtures") as typeof import("./planFixtures");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resolveEnvironment } = require("../stacks/environment") as typeof import("../stacks/environment");
    const prodFile = () => fs.readFileSync(path.join(projectRoot, "Pulumi.prod.yaml"), "utf8").replace(/^[\s\S]*?^config:\n/m, "").replace(/^  /gm, "");
    const inference = ["  inference:", '    image: { tag: "2.1.0" }', "    cpu: 2048", "    memory: 8192", "    desiredCount: 1", "    scaling: { enabled: false }", "    loadBalancer: { enabled: false }", "    managedInstances:", "      gpu: { count: 1 }", "      instanceTypes: [g5.xlarge]"].join("\n");

    it("plans prod with a GPU service: its capacity provider, its MANAGED_INSTANCES task, its instances priced, no preflight finding", async () => {
        const { planStack } = await import("../plan/plan");
        // One g5.xlarge all month (about $734) is more than prod's budget allows: the budget is raised with it.
        const file = prodFile().replace(/^(fargate-service:services:\n)/m, `$1${inference}\n`).replace(/monthlyUsd: \d+/, "monthlyUsd: 1500");
        const plan = await planStack(stackDirectory("prod", file), "prod");
        const provider = plan.resources.find((r) => r.type === CAPACITY_PROVIDER);
        assert.ok(provider, "a capacity provider");
        assert.equal(plan.preflight.findings.length, 0, JSON.stringify(plan.preflight.findings));
        const line = plan.cost.lines.find((l) => l.priceKey === "ec2.g5.xlarge.hour");
        assert.ok(line, plan.cost.lines.map((l) => l.item).join("\n"));
        assert.equal(line.quantity, 730);
        const association = plan.resources.find((r) => r.type === T.capacityProviders);
        assert.deepEqual(association?.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
        assert.deepEqual(plan.controls.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.reason}`), []);
        assert.equal(plan.controls.find((c) => c.id === "ECS.2")?.status, "pass");
    });

    it("refuses a GPU service where the environment's tasks take public subnets, naming the stack-file key", () => {
        assert.throws(
            () =>
                resolveEnvironment(
                    { preset: "dev", network: { taskSubnets: "public" }, services: { inference: { image: { uri: "ghcr.io/acme/inference:2.1.0" }, managedInstances: { gpu: { count: 1 } } } } },
                    { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml" },
                ),
            /Pulumi\.dev\.yaml: fargate-service:services\.inference\.managedInstances: runs tasks on EC2, which get no public IP/,
        );
    });

    it("refuses Fargate's capacity split beside managedInstances in a stack file", () => {
        assert.throws(
            () =>
                resolveEnvironment(
                    { preset: "prod", services: { inference: { image: { tag: "1" }, capacity: { spotWeight: 1 }, managedInstances: { gpu: { count: 1 } } } } },
                    { project: "fargate-service", stack: "prod", source: "Pulumi.prod.yaml" },
                ),
            /fargate-service:services\.inference\.capacity: splits tasks between FARGATE and FARGATE_SPOT/,
        );
    });
});

describe("managed instances: deploy time, diagram and the plan's tree", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { estimateDeploy, DEFAULT_DEPLOY_ASSUMPTIONS } = require("../analysis/deployModel") as typeof import("../analysis/deployModel");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { diagramModel } = require("../analysis/diagram") as typeof import("../analysis/diagram");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StackGraph } = require("../analysis/stackResources") as typeof import("../analysis/stackResources");
    let graph: InstanceType<typeof StackGraph>;
    before(async () => {
        const r = await run(() => new components.FargateService("gpu", gpuService({ desiredCount: 2 })));
        graph = new StackGraph(r.resources);
    });

    it("starts each task of a Managed Instances service in the instance launch time, not Fargate's task start", () => {
        const [update] = estimateDeploy(graph).rollingUpdates;
        assert.equal(update.wave.taskStart, DEFAULT_DEPLOY_ASSUMPTIONS.instanceLaunchSeconds);
        assert.notEqual(DEFAULT_DEPLOY_ASSUMPTIONS.instanceLaunchSeconds, DEFAULT_DEPLOY_ASSUMPTIONS.taskStartSeconds);
    });

    it("lengthens every wave by what the instance launch assumption adds", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 600 }), (extra) => {
                const base = estimateDeploy(graph).rollingUpdates[0];
                const slower = estimateDeploy(graph, { instanceLaunchSeconds: DEFAULT_DEPLOY_ASSUMPTIONS.instanceLaunchSeconds + extra }).rollingUpdates[0];
                return slower.seconds - base.seconds === base.waves * extra;
            }),
            { numRuns: 20 },
        );
    });

    it("draws the service on Managed Instances with its GPUs and instance type, not as Fargate tasks", () => {
        const node = diagramModel(graph).nodes.find((n) => n.label.startsWith("gpu\n"));
        assert.ok(node);
        assert.match(node.label, /Managed Instances · 1\+ GPU · g5\.xlarge/);
        assert.doesNotMatch(node.label, /on-demand|Spot/);
    });
});

describe("managed instances: the plan's tree", () => {
    it("summarises the capacity provider and the task's GPUs", async () => {
        const { settingsSummary } = await import("../plan/settings");
        const r = await run(() => new components.FargateService("gpu", gpuService()));
        const provider = one(r, CAPACITY_PROVIDER);
        assert.equal(settingsSummary(provider.type, provider.inputs), "ECS Managed Instances · 1+ GPU (nvidia) · g5.xlarge · 30 GiB volume · on-demand");
        const td = one(r, T.taskDefinition);
        assert.match(settingsSummary(td.type, td.inputs), /Managed Instances · app: 1 GPU/);
    });
});

describe("managed instances: each rule at its edges", () => {
    const task = { cpu: 2048, memory: 8192 };
    const paths = (mi: Parameters<typeof managedInstancesProblems>[0], t = task) => managedInstancesProblems(mi, t).map((p) => `${p.path.join(".")}: ${p.message}`);

    it("sets accelerator names, instance types and burstable only when they are given", () => {
        const bare = instanceRequirements({ gpu: { count: 1 } }, task);
        assert.deepEqual(Object.keys(bare).sort(), ["acceleratorCount", "acceleratorManufacturers", "acceleratorTypes", "memoryMib", "vcpuCount"]);
        const full = instanceRequirements({ gpu: { count: 2, names: ["t4"], manufacturers: ["amd"] }, instanceTypes: ["g4dn.*"], burstable: "excluded" }, task);
        assert.deepEqual([full.acceleratorNames, full.allowedInstanceTypes, full.burstablePerformance, full.acceleratorManufacturers], [["t4"], ["g4dn.*"], "excluded", ["amd"]]);
        assert.equal("acceleratorTypes" in instanceRequirements({}, task), false);
    });

    it("counts instances by vCPU and memory alone when the task reserves no GPU, even on a type without GPUs", () => {
        assert.equal(tasksPerInstance({ vcpus: 4, memoryMiB: 16384, gpus: 0 }, { cpu: 1024, memory: 2048 }), 4);
        assert.equal(tasksPerInstance({ vcpus: 4, memoryMiB: 4096, gpus: 0 }, { cpu: 1024, memory: 2048 }), 2);
        assert.equal(tasksPerInstance({ vcpus: 8, memoryMiB: 65536, gpus: 1 }, { cpu: 1024, memory: 2048 }, 1), 1);
    });

    it("launches no instance for tasks that fit on none", () => {
        assert.equal(instancesFor(5, 0), 0);
        assert.equal(instancesFor(0, 3), 0);
    });

    it("refuses a vCPU maximum below the task's CPU, and accepts one exactly its size", () => {
        assert.deepEqual(paths({ vcpu: { min: 1, max: 1 } }), ["vcpu.max: 1 vCPUs cannot hold the task's 2048 CPU units (2 vCPU): raise vcpu.max or lower cpu"]);
        assert.deepEqual(paths({ vcpu: { min: 1, max: 2 } }), []);
        assert.deepEqual(paths({ vcpu: { min: 1, max: 3 } }), []);
    });

    it("refuses a memory maximum below the task's memory, and accepts one exactly its size", () => {
        assert.deepEqual(paths({ memoryMiB: { min: 1, max: 8191 } }), ["memoryMiB.max: 8191 MiB cannot hold the task's 8192 MiB: raise memoryMiB.max or lower memory"]);
        assert.deepEqual(paths({ memoryMiB: { min: 1, max: 8192 } }), []);
    });

    it("names a memory range upside down at its minimum", () => {
        assert.deepEqual(paths({ memoryMiB: { min: 16384, max: 12288 } }), ["memoryMiB.min: 16384 is above memoryMiB.max (12288): AWS needs min ≤ max"]);
    });

    it("leaves non-GPU families alone without GPUs, and wildcard families alone with them", () => {
        assert.deepEqual(paths({ instanceTypes: ["m7i.xlarge"] }), []);
        assert.deepEqual(paths({ gpu: { count: 1 }, instanceTypes: ["g*.xlarge", "*"] }), []);
        assert.deepEqual(paths({ gpu: { count: 1 }, instanceTypes: ["c7g.large"] }), [
            `instanceTypes.0: "c7g.large" has no GPUs (GPU families as of 2026-11-23: ${GPU_FAMILIES.join(", ")}); name a GPU type or leave instanceTypes out`,
        ]);
    });

    it("never fails on an instance type that is not text: the schema names it", () => {
        assert.deepEqual(paths({ gpu: { count: 1 }, instanceTypes: [5 as never] }), []);
    });

    it("judges the one allowed type with or without GPUs: enough GPUs, room for the task", () => {
        assert.deepEqual(paths({ instanceTypes: ["g5.xlarge"] }, { cpu: 1024, memory: 2048 }), []);
        assert.deepEqual(paths({ gpu: { count: 1 }, instanceTypes: ["g5.xlarge"] }), []);
        assert.deepEqual(paths({ gpu: { count: 2 }, instanceTypes: ["g6.xlarge"] }), ["gpu.count: 2 is more than the GPUs of g6.xlarge (1)"]);
        assert.deepEqual(paths({ instanceTypes: ["g4dn.xlarge"] }, { cpu: 4096, memory: 30720 }), ["instanceTypes.0: g4dn.xlarge (4 vCPU, 16384 MiB) is too small for the task's 4096 CPU units and 30720 MiB"]);
    });
});

describe("managed instances: each preflight finding, exactly", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runPreflight } = require("../core/preflight") as typeof import("../core/preflight");
    const at = "managedInstancesProvider.instanceLaunchTemplate";
    const req = `${at}.instanceRequirements`;
    /** The findings of one rule on one resource, as `key: message`. */
    const findings = (rule: string, type: string, inputs: Record<string, unknown>) =>
        runPreflight([{ urn: `urn:pulumi:test::proj::${type}::x`, type, name: "x", inputs }])
            .filter((f) => f.rule === rule)
            .map((f) => `${f.key}: ${f.message}`);
    const provider = (template: Record<string, unknown>, extra: Record<string, unknown> = { cluster: "c" }) =>
        findings("ecs.capacityProvider.managedInstances", CAPACITY_PROVIDER, { ...extra, managedInstancesProvider: { instanceLaunchTemplate: template } });
    const withRequirements = (requirements: Record<string, unknown>) => provider({ instanceRequirements: { vcpuCount: { min: 1 }, memoryMib: { min: 1 }, ...requirements } });

    it("leaves an Auto Scaling group provider, and one without requirements, alone", () => {
        assert.deepEqual(findings("ecs.capacityProvider.managedInstances", CAPACITY_PROVIDER, { autoScalingGroupProvider: { autoScalingGroupArn: "arn" } }), []);
        assert.deepEqual(findings("ecs.capacityProvider.managedInstances", CAPACITY_PROVIDER, { managedInstancesProvider: null }), []);
        assert.deepEqual(provider({}), []);
        assert.deepEqual(provider({}, { cluster: undefined }), [], "a cluster not known yet is not judged");
        assert.deepEqual(provider({}, {}), ["cluster: is required with managedInstancesProvider: a Managed Instances provider belongs to the cluster named at its creation"]);
    });

    it("wants a task volume of a whole number of GiB, at least 1", () => {
        assert.deepEqual(provider({ storageConfiguration: { storageSizeGib: 1 } }), []);
        assert.deepEqual(provider({ storageConfiguration: { storageSizeGib: 0 } }), [`${at}.storageConfiguration.storageSizeGib: 0 GiB: AWS needs a whole number of at least 1`]);
        assert.deepEqual(provider({ storageConfiguration: { storageSizeGib: 1.5 } }), [`${at}.storageConfiguration.storageSizeGib: 1.5 GiB: AWS needs a whole number of at least 1`]);
        assert.deepEqual(provider({ storageConfiguration: { storageSizeGib: "30" } }), []);
    });

    it("wants the least vCPUs and memory, unless not known yet", () => {
        assert.deepEqual(provider({ instanceRequirements: {} }), [
            `${req}.vcpuCount.min: is required: AWS needs the least vCPUs and memory of the instance types`,
            `${req}.memoryMib.min: is required: AWS needs the least vCPUs and memory of the instance types`,
        ]);
        assert.deepEqual(provider({ instanceRequirements: { vcpuCount: undefined, memoryMib: undefined } }), []);
    });

    it("judges every range: min not above max, whole numbers, at least 1 for vCPUs and memory and 0 for accelerators", () => {
        assert.deepEqual(withRequirements({ vcpuCount: { min: 2, max: 2 }, acceleratorCount: { min: 0, max: 0 }, acceleratorTotalMemoryMib: { min: 0 } }), []);
        assert.deepEqual(withRequirements({ memoryMib: { min: 4, max: 3 } }), [`${req}.memoryMib: min 4 is above max 3`]);
        assert.deepEqual(withRequirements({ vcpuCount: { min: 0 } }), [`${req}.vcpuCount.min: 0 is not a whole number of at least 1`]);
        assert.deepEqual(withRequirements({ memoryMib: { min: 1, max: 0 } }), [`${req}.memoryMib: min 1 is above max 0`, `${req}.memoryMib.max: 0 is not a whole number of at least 1`]);
        assert.deepEqual(withRequirements({ acceleratorCount: { min: -1, max: 1.5 } }), [`${req}.acceleratorCount.min: -1 is not a whole number of at least 0`, `${req}.acceleratorCount.max: 1.5 is not a whole number of at least 0`]);
        assert.deepEqual(withRequirements({ acceleratorTotalMemoryMib: { max: -2 } }), [`${req}.acceleratorTotalMemoryMib.max: -2 is not a whole number of at least 0`]);
    });

    it("names each value AWS does not list, in every enum list and in burstablePerformance", () => {
        assert.deepEqual(withRequirements({ acceleratorManufacturers: ["nvidia", 7], acceleratorTypes: ["gpu"], cpuManufacturers: ["intel"], instanceGenerations: ["current"], burstablePerformance: "excluded" }), []);
        assert.deepEqual(withRequirements({ acceleratorTypes: ["tpu"], cpuManufacturers: ["arm"], instanceGenerations: ["next"], acceleratorNames: ["l4"], burstablePerformance: "sometimes" }), [
            `${req}.acceleratorNames[0]: "l4" is not one of a100, a10g, h100, inferentia, k520, k80, m60, radeon-pro-v520, t4, t4g, v100, vu9p`,
            `${req}.acceleratorTypes[0]: "tpu" is not one of gpu, fpga, inference`,
            `${req}.cpuManufacturers[0]: "arm" is not one of intel, amd, amazon-web-services`,
            `${req}.instanceGenerations[0]: "next" is not one of current, previous`,
            `${req}.burstablePerformance: "sometimes" is not one of included, excluded, required`,
        ]);
    });

    it("allows 400 instance types of 1 to 30 letters, digits, . * and -, in either list, but not both lists", () => {
        const many = (n: number) => Array.from({ length: n }, (_, i) => `m${i}.large`);
        assert.deepEqual(withRequirements({ allowedInstanceTypes: many(400) }), []);
        assert.deepEqual(withRequirements({ excludedInstanceTypes: many(401) }), [`${req}.excludedInstanceTypes: has 401 instance types; AWS allows 400`]);
        assert.deepEqual(withRequirements({ allowedInstanceTypes: ["g5 xlarge", 3, {}, "g5.*"] }), [`${req}.allowedInstanceTypes[0]: "g5 xlarge" is not 1–30 letters, digits, . * and -`]);
        assert.deepEqual(withRequirements({ excludedInstanceTypes: ["x".repeat(31)] }), [`${req}.excludedInstanceTypes[0]: "${"x".repeat(31)}" is not 1–30 letters, digits, . * and -`]);
        assert.deepEqual(withRequirements({ allowedInstanceTypes: ["g5.xlarge"], excludedInstanceTypes: ["g4dn.*"] }), [`${req}.excludedInstanceTypes: cannot be set with allowedInstanceTypes`]);
        assert.deepEqual(withRequirements({ allowedInstanceTypes: [], excludedInstanceTypes: ["g4dn.*"] }), []);
        assert.deepEqual(withRequirements({ allowedInstanceTypes: ["g5.xlarge"], excludedInstanceTypes: [] }), []);
    });

    const taskDefinition = (compat: unknown, containers: unknown, cpu: unknown = "1024") =>
        findings("ecs.taskDefinition.managedInstances", T.taskDefinition, { requiresCompatibilities: compat, cpu, memory: "2048", containerDefinitions: JSON.stringify(containers) });

    it("names each container that reserves GPUs in a FARGATE task, and no other", () => {
        const containers = [{ name: "side" }, { name: "app", resourceRequirements: [{ type: "InferenceAccelerator", value: "x" }, { type: "GPU", value: "1" }] }];
        assert.deepEqual(taskDefinition(["FARGATE"], containers), ["containerDefinitions[1].resourceRequirements: reserves GPUs, which Fargate does not have: register the task for MANAGED_INSTANCES only"]);
        assert.deepEqual(taskDefinition(["EC2"], containers), []);
        assert.deepEqual(taskDefinition("FARGATE", containers), [], "a compatibility that is not a list is the provider's to refuse");
        assert.deepEqual(findings("ecs.taskDefinition.managedInstances", T.taskDefinition, { requiresCompatibilities: ["FARGATE"], containerDefinitions: "not JSON" }), [], "definitions that are not a list are another rule's finding");
    });

    it("takes a GPU count as a whole number from 1, or ALL", () => {
        const gpu = (value: unknown) => taskDefinition(["MANAGED_INSTANCES"], [{ name: "app", resourceRequirements: [{ type: "GPU", value }] }]);
        for (const ok of ["1", "8", "10", "ALL"]) assert.deepEqual(gpu(ok), [], ok);
        for (const bad of ["0", "01", "1a", "a1", "", "all"]) {
            assert.deepEqual(gpu(bad), [`containerDefinitions[0].resourceRequirements[0].value: ${JSON.stringify(bad)} is not a number of GPUs (or ALL)`], bad);
        }
        assert.deepEqual(taskDefinition(["MANAGED_INSTANCES"], [{ name: "app", resourceRequirements: [{ type: "InferenceAccelerator", value: "0" }] }]), []);
    });

    it("judges a Managed Instances task's CPU only when it is given and known", () => {
        assert.deepEqual(taskDefinition(["MANAGED_INSTANCES"], [], "100"), ["cpu: 100 CPU units is outside 128–196608 CPU units"]);
        assert.deepEqual(taskDefinition(["FARGATE"], [], "100"), []);
        assert.deepEqual(findings("ecs.taskDefinition.managedInstances", T.taskDefinition, { requiresCompatibilities: ["MANAGED_INSTANCES"], containerDefinitions: "[]" }), []);
        assert.deepEqual(findings("ecs.taskDefinition.managedInstances", T.taskDefinition, { requiresCompatibilities: ["MANAGED_INSTANCES"], cpu: undefined, containerDefinitions: "[]" }), []);
    });
});
