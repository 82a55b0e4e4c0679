import * as assert from "node:assert/strict";
import { DiagramModel, diagramModel, toDot, toMermaid } from "../analysis/diagram";
import { StackGraph, StackResource, T } from "../analysis/stackResources";

/** The environment picture, on small graphs whose every node and edge is checked. */

function r(type: string, name: string, inputs: Record<string, any> = {}, props: Record<string, StackResource[]> = {}, custom = true): StackResource {
    return { urn: `urn:${type}::${name}`, type, name, custom, inputs, propertyDependencies: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.map((x) => x.urn)])), dependencies: [], options: {} };
}

describe("diagram", () => {
    it("draws a private service behind a public load balancer with its rule, image, roles, queue, NAT, schedule, event task and alerts", () => {
        const vpc = r(T.awsxVpc, "net", { cidrBlock: "10.0.0.0/16", availabilityZoneNames: ["a", "b"], natGateways: { strategy: "Single" } }, {}, false);
        const lb = r(T.loadBalancer, "alb", {});
        const http = r(T.listener, "http", { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect" }] }, { loadBalancerArn: [lb] });
        const https = r(T.listener, "https", { protocol: "HTTPS", port: 443, defaultActions: [{ type: "fixed-response" }] }, { loadBalancerArn: [lb] });
        const tg = r(T.targetGroup, "api-tg", { port: 8080 });
        const rule = r(T.listenerRule, "api-rule", { conditions: [{ hostHeader: { values: ["api.example.com"] } }, { pathPattern: { values: ["/v1/*"] } }] }, { actions: [tg], listenerArn: [https] });
        const repo = r(T.repository, "api-repo");
        const exec = r(T.role, "api-execution");
        const taskRole = r(T.role, "api-task");
        const queue = r(T.queue, "jobs");
        const td = r(T.taskDefinition, "api-td", { cpu: "512", memory: "1024" }, { containerDefinitions: [repo, queue], executionRoleArn: [exec], taskRoleArn: [taskRole] });
        const cluster = r(T.cluster, "main");
        const svc = r(T.service, "api", { desiredCount: 3, capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }] }, { taskDefinition: [td], loadBalancers: [tg] });
        const td2 = r(T.taskDefinition, "report-td", { cpu: "256", memory: "512" }, { containerDefinitions: [repo] });
        const schedule = r(T.schedule, "report", { scheduleExpression: "cron(0 3 * * ? *)", scheduleExpressionTimezone: "Europe/Paris" }, { target: [td2] });
        const td3 = r(T.taskDefinition, "thumb-td", { cpu: "1024", memory: "2048" });
        const target = r(T.eventTarget, "thumb", { ecsTarget: {} }, { ecsTarget: [td3] });
        const orphan = r(T.eventTarget, "orphan", { ecsTarget: {} });
        const topic = r(T.topic, "alerts");
        const sub = r(T.topicSubscription, "mail", { protocol: "email" }, { topic: [topic] });
        const alarm = r(T.metricAlarm, "cpu", { alarmActions: ["x"] }, { alarmActions: [topic] });
        const alarm2 = r(T.metricAlarm, "quiet", { alarmActions: [] }, { alarmActions: [topic] });
        const g = new StackGraph([vpc, lb, http, https, tg, rule, repo, exec, taskRole, queue, td, cluster, svc, td2, schedule, td3, target, orphan, topic, sub, alarm, alarm2]);
        assert.deepEqual(diagramModel(g), {
            groups: [
                { id: "vpc", label: "VPC 10.0.0.0/16 · 2 AZs" },
                { id: "public", label: "public subnets", parent: "vpc" },
                { id: "private", label: "private subnets", parent: "vpc" },
                { id: "cluster", label: "ECS cluster main", parent: "private" },
            ],
            nodes: [
                { id: "internet", label: "Internet", shape: "cloud" },
                { id: "nat", label: "NAT gateway × 1", group: "public", shape: "round" },
                { id: "n1", label: "Application Load Balancer\nHTTP 80→443, HTTPS 443", group: "public" },
                { id: "n2", label: "api\n3 × 0.5 vCPU / 1 GB\n2 on-demand + 1 Spot", group: "cluster" },
                { id: "n3", label: "ECR\napi-repo", shape: "cylinder" },
                { id: "n4", label: "IAM role\napi-execution", shape: "round" },
                { id: "n5", label: "IAM role\napi-task", shape: "round" },
                { id: "n6", label: "SQS queue\njobs (+ dead-letter queue)", shape: "cylinder" },
                { id: "n7", label: "Scheduler\ncron(0 3 * * ? *) Europe/Paris", shape: "round" },
                { id: "n8", label: "task report\n0.25 vCPU / 0.5 GB", group: "cluster" },
                { id: "n9", label: "EventBridge rule", shape: "round" },
                { id: "n10", label: "task thumb\n1 vCPU / 2 GB", group: "cluster" },
                { id: "n11", label: "SNS topic\n1 alarms, failed tasks → 1 e-mail", shape: "round" },
                { id: "cluster_alarms", label: "CloudWatch alarms\nECS task state changes", shape: "round" },
            ],
            edges: [
                { from: "nat", to: "internet", label: "outbound" },
                { from: "internet", to: "n1", label: "HTTP 80→443, HTTPS 443" },
                { from: "n1", to: "n2", label: "api.example.com /v1/* → :8080" },
                { from: "n2", to: "n3", label: "pulls", dashed: true },
                { from: "n2", to: "n4", dashed: true },
                { from: "n2", to: "n5", dashed: true },
                { from: "n2", to: "nat", dashed: true },
                { from: "n6", to: "n2", label: "messages" },
                { from: "n7", to: "n8", label: "runs" },
                { from: "n8", to: "n3", label: "pulls", dashed: true },
                { from: "n9", to: "n10", label: "runs" },
                { from: "cluster_alarms", to: "n11", dashed: true },
            ],
        });
    });

    it("puts public tasks in the public subnets, and draws an internal load balancer without the Internet", () => {
        const lb = r(T.loadBalancer, "internal", { internal: true });
        const listener = r(T.listener, "http", { protocol: "HTTP", port: 80 }, { loadBalancerArn: [lb] });
        const tg = r(T.targetGroup, "tg", { port: 80 });
        listener.propertyDependencies.defaultActions = [tg.urn];
        const svc = r(T.service, "web", { desiredCount: 1, networkConfiguration: { assignPublicIp: true }, capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }] }, { loadBalancers: [tg] });
        const unrouted = r(T.targetGroup, "unrouted", { port: 81 });
        svc.propertyDependencies.loadBalancers.push(unrouted.urn);
        assert.deepEqual(diagramModel(new StackGraph([lb, listener, tg, unrouted, svc])), {
            groups: [
                { id: "vpc", label: "VPC" },
                { id: "public", label: "public subnets", parent: "vpc" },
                { id: "cluster", label: "ECS cluster", parent: "public" },
            ],
            nodes: [
                { id: "n1", label: "Application Load Balancer\nHTTP 80", group: "public" },
                { id: "n2", label: "web\n1 × 0.25 vCPU / 0.5 GB\n0.5 on-demand + 0.5 Spot", group: "cluster" },
            ],
            edges: [{ from: "n1", to: "n2", label: "all requests → :80" }],
        });
    });

    const tiny: DiagramModel = {
        groups: [
            { id: "vpc", label: "VPC" },
            { id: "public", label: 'public "subnets"', parent: "vpc" },
        ],
        nodes: [
            { id: "internet", label: "Internet", shape: "cloud" },
            { id: "n1", label: "ALB\nHTTP 80", group: "public" },
            { id: "n2", label: "ECR", shape: "cylinder" },
            { id: "n3", label: "role", shape: "round" },
        ],
        edges: [
            { from: "internet", to: "n1", label: "HTTP 80" },
            { from: "n1", to: "n2", dashed: true },
            { from: "n1", to: "n3", label: "a\\b", dashed: true },
            { from: "n2", to: "n3" },
        ],
    };

    it("writes Mermaid with nested subgraphs, a shape per kind of node, and dashed or labelled edges", () => {
        assert.equal(
            toMermaid(tiny),
            [
                "flowchart LR",
                '  subgraph vpc["VPC"]',
                "    subgraph public[\"public 'subnets'\"]",
                '      n1["ALB<br/>HTTP 80"]',
                "    end",
                "  end",
                '  internet(("Internet"))',
                '  n2[("ECR")]',
                '  n3("role")',
                '  internet -->|"HTTP 80"| n1',
                "  n1 -.-> n2",
                '  n1 -.->|"a\\b"| n3',
                "  n2 --> n3",
            ].join("\n"),
        );
    });

    it("writes Graphviz DOT with clusters, escaped labels and a shape per kind of node", () => {
        assert.equal(
            toDot(tiny),
            [
                "digraph environment {",
                '  rankdir=LR; fontname="Helvetica"; node [fontname="Helvetica", fontsize=10, shape=box, style="rounded"]; edge [fontname="Helvetica", fontsize=9];',
                '  subgraph cluster_vpc { label="VPC"; style="rounded"; color="#7a8ca3";',
                '    subgraph cluster_public { label="public \\"subnets\\""; style="rounded"; color="#7a8ca3";',
                '      n1 [label="ALB\\nHTTP 80", shape=box];',
                "    }",
                "  }",
                '  internet [label="Internet", shape=ellipse];',
                '  n2 [label="ECR", shape=cylinder];',
                '  n3 [label="role", shape=oval];',
                '  internet -> n1 [label="HTTP 80"];',
                "  n1 -> n2 [style=dashed];",
                '  n1 -> n3 [label="a\\\\b", style=dashed];',
                "  n2 -> n3 [];",
                "}",
            ].join("\n"),
        );
    });
});

describe("diagram: images from a repository the stack does not create", () => {
    it("draws one ECR node per repository the images name, pulled by every service that uses it, and none for another registry", () => {
        const image = (repository: string) => `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${repository}@sha256:${"a".repeat(64)}`;
        const definitions = (...images: string[]) => JSON.stringify(images.map((img, i) => ({ name: `c${i}`, image: img })));
        const apiTd = r(T.taskDefinition, "api-td", { containerDefinitions: definitions(image("releases/api"), "docker.io/library/nginx:1.27") });
        const workerTd = r(T.taskDefinition, "worker-td", { containerDefinitions: definitions(image("releases/api")) });
        const api = r(T.service, "api", { desiredCount: 1 }, { taskDefinition: [apiTd] });
        const worker = r(T.service, "worker", { desiredCount: 1 }, { taskDefinition: [workerTd] });
        const model = diagramModel(new StackGraph([apiTd, workerTd, api, worker]));
        const ecr = model.nodes.filter((n) => n.label.startsWith("ECR"));
        assert.deepEqual(ecr.map((n) => ({ label: n.label, shape: n.shape })), [{ label: "ECR\nreleases/api", shape: "cylinder" }]);
        const pulls = model.edges.filter((e) => e.to === ecr[0].id);
        assert.equal(pulls.length, 2);
        assert.ok(pulls.every((e) => e.label === "pulls" && e.dashed === true));
        assert.deepEqual(new Set(pulls.map((e) => e.from)).size, 2);
    });
});
