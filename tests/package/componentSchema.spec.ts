import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import { PACKAGE_NAME } from "../../components/componentType";
import { TASK_TYPES as T, ofType, one, run } from "../helpers";

/**
 * The component package in plugin/, as Pulumi serves it to Python, Go, .NET, Java and YAML: the
 * host's own ComponentProvider infers the schema from the TypeScript types (no CLI needed), and
 * constructs the component from plain inputs the way a program in another language sends them.
 */

const PLUGIN_DIR = path.join(__dirname, "..", "..", "plugin");
const TOKEN = `${PACKAGE_NAME}:index:FargateService`;

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
    properties?: Record<string, Property>;
    required?: string[];
    enum?: { name: string; value: string; description?: string }[];
}
interface Schema {
    name: string;
    version: string;
    resources: Record<string, { isComponent: boolean; description?: string; inputProperties: Record<string, Property>; requiredInputs: string[]; properties: Record<string, Property>; required: string[] }>;
    types: Record<string, ObjectType>;
    dependencies: { name: string; version: string }[];
}

const pluginPackage = require(path.join(PLUGIN_DIR, "package.json")) as { name: string; version: string; main: string };
const rootPackage = require("../../package.json") as { version: string };
const awsVersion = (require("@pulumi/aws/package.json") as { version: string }).version;

/** The object or enum type a `$ref` points at. */
function typeOf(schema: Schema, property: Property | undefined): ObjectType {
    const ref = property?.$ref ?? "";
    assert.ok(ref.startsWith(`#/types/${PACKAGE_NAME}:index:`), `expected a reference to a type of the package, got ${JSON.stringify(property)}`);
    const type = schema.types[ref.slice("#/types/".length)];
    assert.ok(type, `no type ${ref}`);
    return type;
}

describe("component package (plugin/)", () => {
    let provider: ComponentProvider;
    let componentNames: string[];
    let schema: Schema;
    let service: Schema["resources"][string];

    before(async () => {
        // What the Node.js plugin host does: load the entry point, keep the ComponentResource classes.
        const components = getPulumiComponents(require(PLUGIN_DIR));
        componentNames = components.map((c) => (c as unknown as { name: string }).name);
        provider = new ComponentProvider({ dirname: PLUGIN_DIR, name: pluginPackage.name, components });
        schema = JSON.parse(await provider.getSchema()) as Schema;
        service = schema.resources[TOKEN];
    });

    it("names the package after plugin/package.json, the first part of every component's type token", () => {
        assert.equal(pluginPackage.name, PACKAGE_NAME);
        assert.equal(schema.name, PACKAGE_NAME);
    });

    it("versions the package with the npm package", () => {
        assert.equal(pluginPackage.version, rootPackage.version);
        assert.equal(schema.version, rootPackage.version);
    });

    it("serves FargateService, and only it, as a component", () => {
        assert.deepEqual(componentNames, ["FargateService"]);
        assert.deepEqual(Object.keys(schema.resources), [TOKEN]);
        assert.equal(service.isComponent, true);
    });

    it("takes every argument of FargateServiceArgs, inherited ones included, as an input", () => {
        const expected = ["vpcId", "subnetIds", "assignPublicIp", "outboundTraffic", "cluster", "capacity", "loadBalancer", "desiredCount", "deployment", "scaling", "image", "repository", "cpu", "memory", "architecture", "container", "sidecars", "taskRole", "enableExecuteCommand", "logs", "tags"];
        for (const name of expected) assert.ok(service.inputProperties[name], `no input ${name}`);
        assert.deepEqual(service.requiredInputs, ["image", "subnetIds", "vpcId"]);
    });

    it("keeps pulumi.Input fields as inputs and plain fields plain", () => {
        const inputs = service.inputProperties;
        assert.deepEqual([inputs.vpcId.type, inputs.vpcId.plain], ["string", undefined]);
        assert.deepEqual([inputs.subnetIds.type, inputs.subnetIds.items?.type, inputs.subnetIds.plain], ["array", "string", undefined]);
        assert.deepEqual([inputs.cpu.type, inputs.cpu.plain, inputs.cpu.optional], ["number", true, true]);
        assert.deepEqual([inputs.tags.type, inputs.tags.additionalProperties?.type], ["object", "string"]);
    });

    it("turns the string enums into enum types", () => {
        assert.deepEqual(typeOf(schema, service.inputProperties.architecture).enum?.map((m) => [m.name, m.value]), [
            ["X86_64", "X86_64"],
            ["ARM64", "ARM64"],
        ]);
        assert.deepEqual(typeOf(schema, service.inputProperties.outboundTraffic).enum?.map((m) => m.value), ["all", "https"]);
        assert.deepEqual(typeOf(schema, typeOf(schema, service.inputProperties.cluster).properties?.containerInsights).enum?.map((m) => m.value), ["enabled", "enhanced", "disabled"]);
    });

    it("describes the image as an object type with uri, tag (with its repository and digest) and build, and the build's context as required", () => {
        const image = typeOf(schema, service.inputProperties.image);
        assert.deepEqual(Object.keys(image.properties ?? {}), ["uri", "tag", "repository", "digest", "build"]);
        const build = typeOf(schema, image.properties?.build);
        assert.deepEqual(build.required, ["context"]);
    });

    it("documents every input and every property of every type with its JSDoc", () => {
        for (const [name, input] of Object.entries(service.inputProperties)) assert.ok(input.description, `input ${name} has no description`);
        for (const [typeName, type] of Object.entries(schema.types)) {
            for (const [name, property] of Object.entries(type.properties ?? {})) assert.ok(property.description, `${typeName}.${name} has no description`);
        }
        // Only the comment text: tags such as @default and @example stay in the TypeScript docs.
        assert.doesNotMatch(service.inputProperties.vpcId.description ?? "", /@example|```/);
        assert.match(service.description ?? "", /^A containerised service on ECS Fargate/);
        assert.equal(typeOf(schema, service.inputProperties.architecture).enum?.every((m) => m.description), true);
    });

    it("outputs the AWS resources as references into the aws package, and the strings as outputs", () => {
        const outputs = service.properties;
        assert.equal(outputs.service.$ref, `/aws/v${awsVersion}/schema.json#/resources/aws:ecs%2Fservice:Service`);
        assert.equal(outputs.taskDefinition.$ref, `/aws/v${awsVersion}/schema.json#/resources/aws:ecs%2FtaskDefinition:TaskDefinition`);
        assert.equal(outputs.loadBalancer.optional, true);
        assert.deepEqual([outputs.url.type, outputs.url.optional], ["string", true]);
        assert.deepEqual([outputs.serviceName.type, outputs.serviceName.optional], ["string", undefined]);
        assert.deepEqual(schema.dependencies, [{ name: "aws", version: awsVersion }]);
    });

    it("constructs a FargateService from plain inputs, as a program in another language sends them", async () => {
        let state: Record<string, unknown> = {};
        const r = await run(async () => {
            const inputs = {
                vpcId: "vpc-0abc",
                subnetIds: ["subnet-private-a", "subnet-private-b"],
                image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
                architecture: "ARM64",
                loadBalancer: { subnetIds: ["subnet-public-a", "subnet-public-b"] },
            };
            ({ state } = (await provider.construct("web", TOKEN, inputs, {})) as { state: Record<string, unknown> });
            return {};
        });
        one(r, TOKEN, "web");
        for (const type of [T.service, T.taskDefinition, T.loadBalancer, T.targetGroup]) assert.equal(ofType(r, type).length, 1, type);
        assert.equal(one(r, T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "ARM64", "the enum arrives as its string value");
        // The host answers with every output the schema declares.
        assert.deepEqual(Object.keys(state).sort(), Object.keys(service.properties).sort());
    });
});
