import * as assert from "node:assert/strict";
import { dashboardBody, DashboardInputs } from "../core/dashboardBody";

/**
 * The environment dashboard's body as CloudWatch reads it (PutDashboard's body structure:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 * A wrong namespace, metric name or dimension draws an empty chart without any error, so the
 * metrics are pinned to the names AWS publishes them under:
 * ECS https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html,
 * Container Insights https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html,
 * ALB https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html,
 * SQS https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html.
 */

const inputs = (over: Partial<DashboardInputs> = {}): DashboardInputs => ({
    region: "eu-west-1",
    clusterName: "cluster-1",
    containerInsights: true,
    services: [{ label: "api", serviceName: "svc-1", loadBalancer: { arnSuffix: "app/lb/1", targetGroupArnSuffix: "targetgroup/tg/2" } }],
    queues: [{ label: "jobs", queueName: "queue-1" }],
    ...over,
});

const ecs = ["ClusterName", "cluster-1", "ServiceName", "svc-1"];
const alb = ["LoadBalancer", "app/lb/1", "TargetGroup", "targetgroup/tg/2"];

describe("the environment dashboard", () => {
    it("charts a load-balanced service with the ECS, Container Insights and ALB metrics under the dimensions AWS publishes them with, four charts across the 24-unit grid", () => {
        const { widgets } = dashboardBody(inputs({ queues: [] }));
        const chart = (x: number, title: string, stat: string, metrics: unknown[]) => ({
            type: "metric",
            x,
            y: 0,
            width: 6,
            height: 6,
            properties: { title, region: "eu-west-1", metrics, view: "timeSeries", stat, period: 60 },
        });
        assert.deepEqual(widgets, [
            chart(0, "api: CPU and memory %", "Average", [
                ["AWS/ECS", "CPUUtilization", ...ecs],
                ["AWS/ECS", "MemoryUtilization", ...ecs],
            ]),
            chart(6, "api: tasks", "Average", [
                ["ECS/ContainerInsights", "RunningTaskCount", ...ecs],
                ["ECS/ContainerInsights", "DesiredTaskCount", ...ecs],
            ]),
            chart(12, "api: requests and 5xx", "Sum", [
                ["AWS/ApplicationELB", "RequestCount", ...alb],
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...alb],
            ]),
            chart(18, "api: response time p95", "p95", [["AWS/ApplicationELB", "TargetResponseTime", ...alb]]),
        ]);
    });

    it("charts a queue's backlog and the age of its oldest message at their maximum, half the width each", () => {
        const { widgets } = dashboardBody(inputs({ services: [] }));
        assert.deepEqual(widgets, [
            {
                type: "metric",
                x: 0,
                y: 0,
                width: 12,
                height: 6,
                properties: { title: "jobs: messages waiting", region: "eu-west-1", metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "queue-1"]], view: "timeSeries", stat: "Maximum", period: 60 },
            },
            {
                type: "metric",
                x: 12,
                y: 0,
                width: 12,
                height: 6,
                properties: { title: "jobs: age of the oldest message (s)", region: "eu-west-1", metrics: [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", "queue-1"]], view: "timeSeries", stat: "Maximum", period: 60 },
            },
        ]);
    });

    it("leaves out the task counts without Container Insights (they are its metrics), so a service without a load balancer gets one full-width chart", () => {
        const { widgets } = dashboardBody(inputs({ containerInsights: false, services: [{ label: "worker", serviceName: "svc-1" }], queues: [] }));
        assert.deepEqual(
            widgets.map((w) => [w.properties.title, w.x, w.width]),
            [["worker: CPU and memory %", 0, 24]],
        );
    });

    it("puts each service and each queue on a row of its own, one below the other", () => {
        const { widgets } = dashboardBody(inputs({ services: [{ label: "a", serviceName: "s-a" }, { label: "b", serviceName: "s-b" }] }));
        assert.deepEqual(
            widgets.map((w) => [w.properties.title.split(":")[0], w.y]),
            [
                ["a", 0],
                ["a", 0],
                ["b", 6],
                ["b", 6],
                ["jobs", 12],
                ["jobs", 12],
            ],
        );
    });

    it("draws nothing for an environment without services or queues", () => {
        assert.deepEqual(dashboardBody(inputs({ services: [], queues: [] })), { widgets: [] });
    });
});
