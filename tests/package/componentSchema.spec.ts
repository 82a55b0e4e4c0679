import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import type { z } from "zod";
import * as components from "../../components";
import { PACKAGE_NAME, componentType } from "../../components/componentType";
import { fargateClusterArgsSchema, releaseRepositoryArgsSchema, serviceAlarmsArgsSchema, serviceLoadBalancerArgsSchema, serviceRepositoryArgsSchema, environmentAlertsArgsSchema, sharedFileSystemArgsSchema } from "../../core/componentSchemas";
import { AlpnPolicy, Architecture, Burstable, ContainerInsights, DeploymentStrategy, EfsThroughputMode, IpAddressType, IpStack, NetworkHealthCheckProtocol, NetworkIpAddressType, OutboundTraffic, QueueScalingPolicy } from "../../core/enums";
import { fargateServiceArgsSchema } from "../../core/serviceSchema";
import { AppProtocol } from "../../core/serviceConnect";
import { eventTaskArgsSchema, queueWorkerArgsSchema, scheduledTaskArgsSchema } from "../../core/workloadSchemas";
import { PLAIN_INPUTS } from "../componentInputs";
import type { ProgramRun } from "../../plan/engine";
import { TASK_TYPES as T, ofType, one, run } from "../helpers";
import { manifest, workspace } from "./workspace";

/**
 * The component package in plugin/, as Pulumi serves it to Python, Go, .NET, Java and YAML: the
 * host's own ComponentProvider infers the schema from the TypeScript types (no CLI needed), and
 * constructs each component from plain inputs the way a program in another language sends them.
 */

const PLUGIN_DIR = path.join(__dirname, "..", "..", "plugin");

interface Property {
    type?: string;
    $ref?: string;
    items?: Property;
    additionalProperties?: Property;
    description?: string;
    optional?: boolean;
    plain?: boolean;
}
interface ObjectType {
    type: string;
    description?: string;
    properties?: Record<string, Property>;
    required?: string[];
    enum?: { name: string; value: string; description?: string }[];
}
interface Resource {
    isComponent: boolean;
    description?: string;
    inputProperties: Record<string, Property>;
    requiredInputs: string[];
    properties: Record<string, Property>;
    required: string[];
}
interface Schema {
    name: string;
    version: string;
    resources: Record<string, Resource>;
    types: Record<string, ObjectType>;
    dependencies: { name: string; version: string }[];
}

const pluginPackage = require(path.join(PLUGIN_DIR, "package.json")) as { name: string; version: string; main: string; dependencies: Record<string, string> };
const componentPackage = manifest("components");
const awsVersion = (require("@pulumi/aws/package.json") as { version: string }).version;
const AWS_SCHEMA = `/aws/v${awsVersion}/schema.json#/resources/`;

/** What each served component must look like to another language. */
interface ComponentCase {
    /** The class, as components/index.ts exports it. */
    name: string;
    /** The zod schema the component checks its args with: its keys are the args interface's keys (EveryArgumentChecked ties them at compile time). */
    args: z.ZodObject;
    /** How many inputs and outputs the schema gives it: written out, so that a change shows here. */
    counts: { inputs: number; outputs: number };
    /** Inputs (a dotted path through object types) that are enums, with the constant object whose values they take. */
    enums: Record<string, Record<string, string>>;
    /** The AWS resources its plain inputs (tests/componentInputs.ts) must create, type → count. */
    creates: Record<string, number>;
    /** What else the construct must show. */
    check?: (r: ProgramRun) => void;
}

const CASES: ComponentCase[] = [
    {
        name: "FargateService",
        args: fargateServiceArgsSchema,
        counts: { inputs: 27, outputs: 33 },
        enums: {
            "serviceConnect.appProtocol": AppProtocol,
            architecture: Architecture,
            "managedInstances.burstable": Burstable,
            outboundTraffic: OutboundTraffic,
            ipStack: IpStack,
            "cluster.containerInsights": ContainerInsights,
            "loadBalancer.ipAddressType": IpAddressType,
            "deployment.strategy": DeploymentStrategy,
            "networkLoadBalancer.ipAddressType": NetworkIpAddressType,
            "networkLoadBalancer.alpnPolicy": AlpnPolicy,
            "networkLoadBalancer.healthCheck.protocol": NetworkHealthCheckProtocol,
        },
        creates: { [T.service]: 1, [T.taskDefinition]: 1, [T.loadBalancer]: 1, [T.targetGroup]: 1, [T.cluster]: 1 },
        // The enum arrives as its string value.
        check: (r) => assert.equal(one(r, T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "ARM64"),
    },
    {
        name: "FargateCluster",
        args: fargateClusterArgsSchema,
        counts: { inputs: 4, outputs: 8 },
        enums: { containerInsights: ContainerInsights },
        creates: { [T.cluster]: 1, [T.capacityProviders]: 1 },
    },
    {
        name: "ServiceLoadBalancer",
        args: serviceLoadBalancerArgsSchema,
        counts: { inputs: 15, outputs: 13 },
        enums: { ipAddressType: IpAddressType },
        creates: { [T.loadBalancer]: 1, [T.listener]: 1, [T.securityGroup]: 1 },
    },
    {
        name: "ServiceRepository",
        args: serviceRepositoryArgsSchema,
        counts: { inputs: 9, outputs: 4 },
        enums: {},
        creates: { [T.repository]: 1, [T.lifecyclePolicy]: 1 },
    },
    {
        name: "ReleaseRepository",
        args: releaseRepositoryArgsSchema,
        counts: { inputs: 7, outputs: 6 },
        enums: {},
        creates: { [T.repository]: 1, [T.lifecyclePolicy]: 1, "aws:ecr/repositoryPolicy:RepositoryPolicy": 1 },
    },
    {
        name: "QueueWorker",
        args: queueWorkerArgsSchema,
        counts: { inputs: 23, outputs: 10 },
        enums: { architecture: Architecture, outboundTraffic: OutboundTraffic, ipStack: IpStack, "cluster.containerInsights": ContainerInsights, "scaling.policy": QueueScalingPolicy, "deployment.strategy": DeploymentStrategy },
        creates: { [T.service]: 1, [T.taskDefinition]: 1, "aws:sqs/queue:Queue": 2, [T.scalableTarget]: 1 },
    },
    {
        name: "ScheduledTask",
        args: scheduledTaskArgsSchema,
        counts: { inputs: 23, outputs: 5 },
        enums: { architecture: Architecture, outboundTraffic: OutboundTraffic, ipStack: IpStack },
        creates: { [T.taskDefinition]: 1, "aws:scheduler/schedule:Schedule": 1, "aws:sqs/queue:Queue": 1 },
    },
    {
        name: "EventTask",
        args: eventTaskArgsSchema,
        counts: { inputs: 22, outputs: 6 },
        enums: { architecture: Architecture, outboundTraffic: OutboundTraffic, ipStack: IpStack },
        creates: { [T.taskDefinition]: 1, "aws:cloudwatch/eventRule:EventRule": 1, "aws:cloudwatch/eventTarget:EventTarget": 1 },
    },
    {
        name: "ServiceAlarms",
        args: serviceAlarmsArgsSchema,
        counts: { inputs: 10, outputs: 1 },
        enums: {},
        // CPU, memory, running tasks, 5xx, unhealthy targets, response time.
        creates: { "aws:cloudwatch/metricAlarm:MetricAlarm": 6 },
    },
    {
        name: "EnvironmentAlerts",
        args: environmentAlertsArgsSchema,
        counts: { inputs: 3, outputs: 4 },
        enums: {},
        creates: { "aws:sns/topic:Topic": 1, "aws:sns/topicSubscription:TopicSubscription": 1, "aws:cloudwatch/eventRule:EventRule": 1 },
    },
    {
        name: "SharedFileSystem",
        args: sharedFileSystemArgsSchema,
        counts: { inputs: 8, outputs: 8 },
        enums: { throughputMode: EfsThroughputMode },
        creates: { "aws:efs/fileSystem:FileSystem": 1, "aws:efs/mountTarget:MountTarget": 2, "aws:efs/fileSystemPolicy:FileSystemPolicy": 1, "aws:efs/backupPolicy:BackupPolicy": 1, [T.securityGroup]: 1 },
    },
];

/** The ComponentResource classes the component package exports: what other languages must get. */
const exportedComponents = Object.entries(components)
    .filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource)
    .map(([name]) => name);

/** The object or enum type a `$ref` points at. */
function typeOf(schema: Schema, property: Property | undefined): ObjectType {
    const ref = property?.$ref ?? "";
    assert.ok(ref.startsWith(`#/types/${PACKAGE_NAME}:index:`), `expected a reference to a type of the package, got ${JSON.stringify(property)}`);
    const type = schema.types[ref.slice("#/types/".length)];
    assert.ok(type, `no type ${ref}`);
    return type;
}

/** The input at a dotted path (`cluster.containerInsights`), following object types. */
function inputAt(schema: Schema, resource: Resource, dotted: string): Property {
    const [first, ...rest] = dotted.split(".");
    let property = resource.inputProperties[first];
    for (const name of rest) property = typeOf(schema, property).properties?.[name] as Property;
    assert.ok(property, `no input ${dotted}`);
    return property;
}

describe("component package (plugin/)", () => {
    let provider: ComponentProvider;
    let served: string[];
    let schema: Schema;
    let inferenceSeconds: number;

    before(async () => {
        // plugin/index.ts loads the built component package: packing the workspace builds it.
        await workspace();
        const started = process.hrtime.bigint();
        // What the Node.js plugin host does: load the entry point, keep the ComponentResource classes.
        const classes = getPulumiComponents(require(PLUGIN_DIR));
        served = classes.map((c) => (c as unknown as { name: string }).name);
        provider = new ComponentProvider({ dirname: PLUGIN_DIR, name: pluginPackage.name, components: classes });
        schema = JSON.parse(await provider.getSchema()) as Schema;
        inferenceSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    });

    after(() => console.log(`      (schema inferred for ${served.length} components in ${inferenceSeconds.toFixed(1)} s)`));

    it("names the package after plugin/package.json, the first part of every component's type token", () => {
        assert.equal(pluginPackage.name, PACKAGE_NAME);
        assert.equal(schema.name, PACKAGE_NAME);
    });

    it("versions the package with the npm packages, and runs the component package of that same version", () => {
        assert.equal(pluginPackage.version, componentPackage.version);
        assert.equal(schema.version, componentPackage.version);
        // Exact: the schema is read from the checkout's sources, so the code that runs must be the same release.
        assert.equal(pluginPackage.dependencies[componentPackage.name], componentPackage.version);
    });

    it("declares what npm install in plugin/ alone needs, in ranges the component package accepts", () => {
        for (const name of ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/docker-build", "typescript", "ts-node", "@types/node"]) assert.ok(pluginPackage.dependencies[name], `plugin/package.json does not list ${name}`);
        assert.equal(pluginPackage.dependencies["@pulumi/aws"], componentPackage.peerDependencies?.["@pulumi/aws"]);
        assert.equal(pluginPackage.dependencies["@pulumi/docker-build"], componentPackage.peerDependencies?.["@pulumi/docker-build"]);
        // The package's @pulumi/pulumi floor, raised to the first release whose schema inference reads as-const enums (3.221.0).
        assert.equal(pluginPackage.dependencies["@pulumi/pulumi"], "^3.221.0");
        // Not an npm workspace of the repository: Pulumi would install at the workspace root instead.
        const root = require("../../package.json") as { workspaces?: string[] };
        assert.ok(!(root.workspaces ?? []).some((w) => w === "plugin" || w === "*" || w === "plugin/*"), `the root's workspaces ${JSON.stringify(root.workspaces)} take plugin/ in`);
    });

    it("serves every ComponentResource the component package exports, and nothing else", () => {
        assert.deepEqual([...served].sort(), [...exportedComponents].sort());
        assert.deepEqual(Object.keys(schema.resources).sort(), exportedComponents.map(componentType).sort());
        for (const resource of Object.values(schema.resources)) assert.equal(resource.isComponent, true);
        // The table below covers each of them.
        assert.deepEqual(CASES.map((c) => c.name).sort(), [...exportedComponents].sort());
    });

    it("documents every property of every type with its JSDoc, without the TypeScript-only tags", () => {
        for (const [typeName, type] of Object.entries(schema.types)) {
            for (const [name, property] of Object.entries(type.properties ?? {})) assert.ok(property.description, `${typeName}.${name} has no description`);
            for (const member of type.enum ?? []) assert.ok(member.description, `${typeName}.${member.name} has no description`);
            for (const [name, property] of Object.entries(type.properties ?? {})) assert.doesNotMatch(property.description ?? "", /@default|@example|```/, `${typeName}.${name}`);
        }
    });

    it("depends on the aws package at the version the component is built with, and nothing else", () => {
        assert.deepEqual(schema.dependencies, [{ name: "aws", version: awsVersion }]);
    });

    describe("FargateService, in detail", () => {
        let service: Resource;
        before(() => (service = schema.resources[componentType("FargateService")]));

        it("keeps pulumi.Input fields as inputs and plain fields plain", () => {
            const inputs = service.inputProperties;
            assert.deepEqual([inputs.vpcId.type, inputs.vpcId.plain], ["string", undefined]);
            assert.deepEqual([inputs.subnetIds.type, inputs.subnetIds.items?.type, inputs.subnetIds.plain], ["array", "string", undefined]);
            assert.deepEqual([inputs.cpu.type, inputs.cpu.plain, inputs.cpu.optional], ["number", true, true]);
            assert.deepEqual([inputs.tags.type, inputs.tags.additionalProperties?.type], ["object", "string"]);
        });

        it("describes the image as an object type with uri, tag (with its repository, registry and digest) and build, and the build's context as required", () => {
            const image = typeOf(schema, service.inputProperties.image);
            assert.deepEqual(Object.keys(image.properties ?? {}), ["uri", "tag", "repository", "registryId", "digest", "build"]);
            assert.deepEqual(typeOf(schema, image.properties?.build).required, ["context"]);
        });

        it("describes the component with its class comment and the enum members with theirs", () => {
            assert.match(service.description ?? "", /^A containerised service on ECS Fargate/);
            assert.equal(typeOf(schema, service.inputProperties.architecture).enum?.every((m) => m.description), true);
        });

        it("outputs the service and task definition as references, the load balancer and URL as optional", () => {
            const outputs = service.properties;
            assert.equal(outputs.service.$ref, `${AWS_SCHEMA}aws:ecs%2Fservice:Service`);
            assert.equal(outputs.taskDefinition.$ref, `${AWS_SCHEMA}aws:ecs%2FtaskDefinition:TaskDefinition`);
            assert.equal(outputs.loadBalancer.optional, true);
            assert.deepEqual([outputs.url.type, outputs.url.optional], ["string", true]);
            assert.deepEqual([outputs.serviceName.type, outputs.serviceName.optional], ["string", undefined]);
        });
    });

    for (const c of CASES) {
        describe(c.name, () => {
            const token = componentType(c.name);
            let resource: Resource;
            before(() => {
                resource = schema.resources[token];
                assert.ok(resource, `${token} is not in the schema`);
            });

            it(`has ${c.counts.inputs} inputs and ${c.counts.outputs} outputs`, () => {
                assert.deepEqual([Object.keys(resource.inputProperties).length, Object.keys(resource.properties).length], [c.counts.inputs, c.counts.outputs]);
            });

            it("takes every argument of its args interface, inherited ones included, as an input with its JSDoc", () => {
                const argNames = Object.keys(c.args.shape);
                assert.deepEqual(Object.keys(resource.inputProperties).sort(), [...argNames].sort());
                for (const [name, input] of Object.entries(resource.inputProperties)) {
                    assert.ok(input.description, `input ${name} has no description`);
                    assert.doesNotMatch(input.description ?? "", /@default|@example|```/, `input ${name}`);
                }
                // Required in the schema exactly when the component refuses to go without it.
                const required = argNames.filter((name) => !c.args.shape[name].safeParse(undefined).success);
                assert.deepEqual([...resource.requiredInputs].sort(), required.sort());
                assert.ok(resource.description, `${c.name} has no description`);
            });

            it("turns its string enums into enum types with the TypeScript values", () => {
                for (const [dotted, values] of Object.entries(c.enums)) {
                    const type = typeOf(schema, inputAt(schema, resource, dotted));
                    assert.deepEqual(type.enum?.map((m) => m.value), Object.values(values), dotted);
                }
                // No other input of the component is an enum.
                const enumInputs = Object.entries(resource.inputProperties).filter(([, p]) => p.$ref && schema.types[p.$ref.slice("#/types/".length)]?.enum);
                assert.deepEqual(enumInputs.map(([name]) => name).sort(), Object.keys(c.enums).filter((d) => !d.includes(".")).sort());
            });

            it("outputs its AWS resources as references into the aws package and its values as outputs, and constructs from plain inputs", async () => {
                let state: Record<string, unknown> = {};
                let refs: Record<string, string> = {};
                const r = await run(async () => {
                    ({ state } = (await provider.construct("x", token, PLAIN_INPUTS[c.name], {})) as { state: Record<string, unknown> });
                    // Each output that is a resource, by URN, to compare with what was registered.
                    const resources = Object.entries(state).filter(([, v]) => pulumi.Resource.isInstance(v)) as [string, pulumi.Resource][];
                    refs = await new Promise((resolve) => pulumi.all(Object.fromEntries(resources.map(([k, v]) => [k, v.urn]))).apply(resolve));
                    return {};
                });
                assert.equal(ofType(r, token).length, 1, `the component registers as ${token}`);
                for (const [type, count] of Object.entries(c.creates)) assert.equal(ofType(r, type).length, count, type);
                c.check?.(r);
                // The host answers with every output the schema declares.
                assert.deepEqual(Object.keys(state).sort(), Object.keys(resource.properties).sort());

                const typeOfUrn = new Map(r.resources.map((x) => [x.urn, x.type]));
                for (const [name, output] of Object.entries(resource.properties)) {
                    const ref = output.$ref ?? output.items?.$ref;
                    if (ref?.startsWith(AWS_SCHEMA)) {
                        // A reference to the aws package's resource, of the type the component really created.
                        const token = decodeURIComponent(ref.slice(AWS_SCHEMA.length));
                        if (output.items && state[name] === undefined) {
                            // An optional list the plain inputs do not make (the Network Load Balancer's listeners).
                            assert.equal(output.optional, true, `output ${name} is missing but not optional`);
                        } else if (output.items) {
                            const list = state[name] as pulumi.Resource[];
                            // A list the plain inputs leave empty (the EFS access points: no volumes) is still a list.
                            const mayBeEmpty = ["accessPoints"];
                            assert.ok(Array.isArray(list) && (list.length > 0 || mayBeEmpty.includes(name)) && list.every((x) => pulumi.Resource.isInstance(x)), `${name} is a list of resources`);
                        } else if (state[name] !== undefined) {
                            assert.equal(typeOfUrn.get(refs[name]), token, `output ${name}`);
                        } else assert.equal(output.optional, true, `output ${name} is missing but not optional`);
                    } else if (output.$ref) {
                        // An object type of the package (the load balancer's access-log bucket and certificate).
                        assert.ok(typeOf(schema, output).properties, `output ${name}`);
                    } else {
                        assert.ok(["string", "number", "boolean"].includes(output.type ?? ""), `output ${name} is ${JSON.stringify(output)}`);
                        if (!output.optional) assert.ok(state[name] !== undefined, `output ${name} has no value`);
                    }
                }
            });
        });
    }
});
