/**
 * Plain arguments that build each exported component: JSON-like values only, as a Python, Go or
 * YAML program sends them through the component package. Used by the schema test (a construct per
 * component) and the alias test (every component registers with its former type as an alias).
 */

const placement = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const image = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const clusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/shared";

export const PLAIN_INPUTS: Record<string, Record<string, unknown>> = {
    FargateService: { ...placement, image, architecture: "ARM64", loadBalancer: { subnetIds: ["subnet-public-a", "subnet-public-b"] } },
    FargateCluster: { containerInsights: "enhanced", capacity: { fargateBase: 1, spotWeight: 3 } },
    ServiceLoadBalancer: { ...placement, ipAddressType: "dualstack" },
    ServiceRepository: { keepTaggedImages: 5 },
    ReleaseRepository: { pullAccounts: ["111122223333"], organizationId: "o-a1b2c3d4e5" },
    QueueWorker: { ...placement, image, scaling: { policy: "queueDepth", max: 4 } },
    ScheduledTask: { ...placement, image, clusterArn, schedule: "cron(0 3 * * ? *)" },
    EventTask: { ...placement, image, clusterArn, eventPattern: JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"] }) },
    ServiceAlarms: {
        topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts",
        clusterName: "shared",
        serviceName: "api",
        loadBalancer: { arnSuffix: "app/web/0123", targetGroupArnSuffix: "targetgroup/api/4567" },
    },
    EnvironmentAlerts: { clusterArn, email: ["oncall@example.com"] },
    SharedFileSystem: { ...placement, throughputMode: "bursting" },
};
