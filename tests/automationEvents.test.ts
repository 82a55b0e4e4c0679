import * as assert from "node:assert/strict";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { OperationEvent, OperationProgress } from "../automation/events";

/**
 * Engine events as `pulumi up --stack dev` streams them to `onEvent` (the shapes of Pulumi's
 * apitype/events.go): the prelude, the stack, the default AWS provider, a component with a
 * child, a load balancer that fails after its provider error, the end-of-update diagnostics and
 * the summary. Trimmed to the fields that matter; the values are what a real run prints.
 */
const STACK = "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack::fargate-service-dev";
const PROVIDER = "urn:pulumi:dev::fargate-service::pulumi:providers:aws::default_7_48_0";
const CLUSTER_COMPONENT = "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack$fargate-service:index:FargateCluster::dev";
const CLUSTER = "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack$fargate-service:index:FargateCluster$aws:ecs/cluster:Cluster::dev";
const LOAD_BALANCER = "urn:pulumi:dev::fargate-service::pulumi:pulumi:Stack$fargate-service:index:ServiceLoadBalancer$aws:lb/loadBalancer:LoadBalancer::dev";

function step(op: string, urn: string, type: string) {
    return {
        op,
        urn,
        type,
        old: null,
        new: { type, urn, id: "", parent: urn === STACK ? "" : STACK, inputs: {}, outputs: {}, provider: type.startsWith("pulumi:") ? "" : `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` },
        detailedDiff: null,
        provider: type.startsWith("pulumi:") ? "" : `${PROVIDER}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
    };
}

const LB_ERROR =
    "creating ELBv2 application Load Balancer (dev-3f2a1c9): operation error Elastic Load Balancing v2: CreateLoadBalancer, https response error StatusCode: 400, RequestID: 6e3c2d7a-0b1f-4c55-9a1e-2f3b4c5d6e7f, api error ValidationError: At least two subnets in two different Availability Zones must be specified";

const RECORDED_UP = [
    { sequence: 0, timestamp: 1732245600, preludeEvent: { config: { "aws:region": "us-east-1", "fargate-service:preset": "dev" } } },
    { sequence: 1, timestamp: 1732245601, resourcePreEvent: { metadata: step("create", STACK, "pulumi:pulumi:Stack") } },
    { sequence: 2, timestamp: 1732245602, resourcePreEvent: { metadata: step("create", PROVIDER, "pulumi:providers:aws") } },
    { sequence: 3, timestamp: 1732245602, resOutputsEvent: { metadata: step("create", PROVIDER, "pulumi:providers:aws") } },
    { sequence: 4, timestamp: 1732245602, resourcePreEvent: { metadata: step("create", CLUSTER_COMPONENT, "fargate-service:index:FargateCluster") } },
    { sequence: 5, timestamp: 1732245603, resourcePreEvent: { metadata: step("create", CLUSTER, "aws:ecs/cluster:Cluster") } },
    { sequence: 6, timestamp: 1732245604, diagnosticEvent: { urn: CLUSTER, message: "creating...", color: "never", severity: "info", ephemeral: true } },
    { sequence: 7, timestamp: 1732245611, resOutputsEvent: { metadata: step("create", CLUSTER, "aws:ecs/cluster:Cluster") } },
    { sequence: 8, timestamp: 1732245611, resOutputsEvent: { metadata: step("create", CLUSTER_COMPONENT, "fargate-service:index:FargateCluster") } },
    { sequence: 9, timestamp: 1732245612, resourcePreEvent: { metadata: step("create", LOAD_BALANCER, "aws:lb/loadBalancer:LoadBalancer") } },
    { sequence: 10, timestamp: 1732245613, diagnosticEvent: { urn: LOAD_BALANCER, prefix: "error: ", message: `  sdk-v2/provider2.go:566: sdk.helper_schema: ${LB_ERROR}: provider=aws@7.48.0\n`, color: "never", severity: "error" } },
    { sequence: 11, timestamp: 1732245613, resOpFailedEvent: { metadata: step("create", LOAD_BALANCER, "aws:lb/loadBalancer:LoadBalancer"), status: 1, steps: 1 } },
    { sequence: 12, timestamp: 1732245614, diagnosticEvent: { urn: STACK, prefix: "error: ", message: "<{%reset%}>update failed<{%reset%}>\n", color: "raw", severity: "error" } },
    { sequence: 13, timestamp: 1732245614, diagnosticEvent: { urn: STACK, message: "resource plugin aws is expected to have version >=7.48.0, but has 7.47.0; the wrong version may be on your path, or this may be a bug in the plugin\n", color: "never", severity: "warning" } },
    { sequence: 14, timestamp: 1732245614, resOutputsEvent: { metadata: step("create", STACK, "pulumi:pulumi:Stack") } },
    { sequence: 15, timestamp: 1732245615, summaryEvent: { maybeCorrupt: false, durationSeconds: 14, resourceChanges: { create: 3 }, PolicyPacks: {} } },
    { sequence: 16, timestamp: 1732245615, cancelEvent: {} },
] as unknown as EngineEvent[];

function replay(events: EngineEvent[], estimatedTotal: number): { mapped: OperationEvent[]; progress: OperationProgress } {
    const progress = new OperationProgress({ environment: "dev", operation: "deploy", estimatedTotal });
    return { mapped: events.flatMap((e) => progress.map(e)), progress };
}

describe("progress events from the engine's events", () => {
    const { mapped, progress } = replay(RECORDED_UP, 44);
    const resourceEvents = mapped.filter((e) => e.type.startsWith("resource-")) as Extract<OperationEvent, { name: string }>[];

    it("starts with the engine's prelude and the total expected before the CLI ran", () => {
        assert.deepEqual(mapped[0], { type: "started", environment: "dev", operation: "deploy", total: 44 });
    });

    it("reports each resource started and done, with how many of how many", () => {
        assert.deepEqual(
            resourceEvents.map((e) => `${e.type} ${e.name} ${e.done}/${e.total}`),
            [
                "resource-started fargate-service-dev 0/44",
                "resource-started dev 0/44",
                "resource-started dev 0/44",
                "resource-done dev 1/44",
                "resource-done dev 2/44",
                "resource-started dev 2/44",
                "resource-failed dev 3/44",
                "resource-done fargate-service-dev 4/44",
            ],
        );
        assert.deepEqual(resourceEvents[3], { type: "resource-done", urn: CLUSTER, resourceType: "aws:ecs/cluster:Cluster", name: "dev", op: "create", done: 1, total: 44 });
    });

    it("leaves the default provider out: it is not part of the environment", () => {
        assert.ok(!mapped.some((e) => "urn" in e && e.urn === PROVIDER));
    });

    it("gives a failed resource the error the engine reported for it", () => {
        const failed = mapped.find((e) => e.type === "resource-failed");
        assert.ok(failed && failed.type === "resource-failed");
        assert.equal(failed.resourceType, "aws:lb/loadBalancer:LoadBalancer");
        assert.ok(failed.message?.includes("At least two subnets in two different Availability Zones"), failed.message);
    });

    it("passes diagnostics on without colour codes or trailing newlines, and drops the ephemeral ones", () => {
        const diagnostics = mapped.filter((e) => e.type === "diagnostic");
        assert.deepEqual(
            diagnostics.map((d) => d.type === "diagnostic" && [d.severity, d.message]),
            [
                ["error", `sdk-v2/provider2.go:566: sdk.helper_schema: ${LB_ERROR}: provider=aws@7.48.0`],
                ["error", "update failed"],
                ["warning", "resource plugin aws is expected to have version >=7.48.0, but has 7.47.0; the wrong version may be on your path, or this may be a bug in the plugin"],
            ],
        );
        assert.ok(!mapped.some((e) => e.type === "diagnostic" && e.message === "creating..."));
    });

    it("ends with the summary: what changed, how long it took, and the final count", () => {
        assert.deepEqual(mapped.at(-1), { type: "summary", changes: { create: 3 }, durationSeconds: 14, maybeCorrupt: false, done: 4, total: 44 });
    });

    it("keeps the error diagnostics, for the failure's message", () => {
        assert.equal(progress.errors.length, 2);
        assert.ok(progress.errors[0].includes(LB_ERROR));
    });

    it("raises the total when the engine touches more resources than expected", () => {
        const { mapped: small } = replay(RECORDED_UP, 2);
        const last = small.at(-1);
        assert.ok(last?.type === "summary");
        assert.deepEqual([last.done, last.total], [4, 4], "4 resources seen, though 2 were expected");
    });

    it("counts a resource once even when several steps touch it (a replacement)", () => {
        const replaced = [
            { sequence: 1, timestamp: 1, resourcePreEvent: { metadata: step("create-replacement", CLUSTER, "aws:ecs/cluster:Cluster") } },
            { sequence: 2, timestamp: 2, resOutputsEvent: { metadata: step("create-replacement", CLUSTER, "aws:ecs/cluster:Cluster") } },
            { sequence: 3, timestamp: 3, resourcePreEvent: { metadata: step("replace", CLUSTER, "aws:ecs/cluster:Cluster") } },
            { sequence: 4, timestamp: 4, resOutputsEvent: { metadata: step("replace", CLUSTER, "aws:ecs/cluster:Cluster") } },
        ] as unknown as EngineEvent[];
        const { progress: counted } = replay(replaced, 1);
        assert.deepEqual([counted.done, counted.total], [1, 1]);
    });

    it("maps policy violations and plugin downloads", () => {
        const events = [
            {
                sequence: 1,
                timestamp: 1,
                policyEvent: {
                    resourceUrn: LOAD_BALANCER,
                    message: "ELB.5: the load balancer writes no access logs\n",
                    color: "never",
                    policyName: "ELB.5",
                    policyPackName: "fargate-service-controls",
                    policyPackVersion: "0.1.0",
                    policyPackVersionTag: "0.1.0",
                    enforcementLevel: "mandatory",
                },
            },
            { sequence: 2, timestamp: 2, progressEvent: { type: "plugin-download", id: "aws-7.48.0", message: "Downloading plugin aws v7.48.0", received: 1048576, total: 104857600, done: false } },
        ] as unknown as EngineEvent[];
        const { mapped: policy } = replay(events, 1);
        assert.deepEqual(policy, [
            { type: "policy-violation", policy: "ELB.5", policyPack: "fargate-service-controls", enforcement: "mandatory", message: "ELB.5: the load balancer writes no access logs", urn: LOAD_BALANCER },
            { type: "download", message: "Downloading plugin aws v7.48.0", received: 1048576, total: 104857600, finished: false },
        ]);
    });
});
