/**
 * The body of an environment's CloudWatch dashboard, as plain data: one row per service (CPU and
 * memory, running tasks, and for load-balanced services requests, 5xx and response time), one row
 * per queue (backlog and age of the oldest message).
 */

export interface DashboardService {
    label: string;
    serviceName: string;
    /** ARN suffixes of the load balancer and target group, when load-balanced. */
    loadBalancer?: { arnSuffix: string; targetGroupArnSuffix: string };
}

export interface DashboardQueue {
    label: string;
    queueName: string;
}

export interface DashboardInputs {
    region: string;
    clusterName: string;
    containerInsights: boolean;
    services: DashboardService[];
    queues: DashboardQueue[];
}

type Metric = (string | number | Record<string, unknown>)[];

interface Widget {
    type: "metric";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { title: string; region: string; metrics: Metric[]; view: "timeSeries"; stat: string; period: number };
}

export function dashboardBody(inputs: DashboardInputs): { widgets: Widget[] } {
    const widgets: Widget[] = [];
    let y = 0;
    const row = (charts: { title: string; metrics: Metric[]; stat?: string }[]) => {
        const width = Math.floor(24 / charts.length);
        charts.forEach((c, i) =>
            widgets.push({ type: "metric", x: i * width, y, width, height: 6, properties: { title: c.title, region: inputs.region, metrics: c.metrics, view: "timeSeries", stat: c.stat ?? "Average", period: 60 } }),
        );
        y += 6;
    };
    for (const s of inputs.services) {
        const dims = ["ClusterName", inputs.clusterName, "ServiceName", s.serviceName];
        const charts: { title: string; metrics: Metric[]; stat?: string }[] = [
            { title: `${s.label}: CPU and memory %`, metrics: [["AWS/ECS", "CPUUtilization", ...dims], ["AWS/ECS", "MemoryUtilization", ...dims]] },
        ];
        if (inputs.containerInsights) {
            charts.push({ title: `${s.label}: tasks`, metrics: [["ECS/ContainerInsights", "RunningTaskCount", ...dims], ["ECS/ContainerInsights", "DesiredTaskCount", ...dims]] });
        }
        if (s.loadBalancer) {
            const target = ["LoadBalancer", s.loadBalancer.arnSuffix, "TargetGroup", s.loadBalancer.targetGroupArnSuffix];
            charts.push(
                { title: `${s.label}: requests and 5xx`, stat: "Sum", metrics: [["AWS/ApplicationELB", "RequestCount", ...target], ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...target]] },
                { title: `${s.label}: response time p95`, stat: "p95", metrics: [["AWS/ApplicationELB", "TargetResponseTime", ...target]] },
            );
        }
        row(charts);
    }
    for (const q of inputs.queues) {
        const dims = ["QueueName", q.queueName];
        row([
            { title: `${q.label}: messages waiting`, stat: "Maximum", metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", ...dims]] },
            { title: `${q.label}: age of the oldest message (s)`, stat: "Maximum", metrics: [["AWS/SQS", "ApproximateAgeOfOldestMessage", ...dims]] },
        ]);
    }
    return { widgets };
}
