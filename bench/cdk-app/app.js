// The dev stack's shape in AWS CDK, for the bench's side-by-side timing of `cdk synth` (bench/plan.bench.ts):
// a VPC of public subnets in 2 AZs with no NAT and an S3 gateway endpoint, a cluster with Fargate Spot,
// an internet-facing load balancer on HTTP, one service from an ECR repository behind it (/health every
// 5 s, 5 s drain, circuit breaker with rollback, ECS Exec), its log group kept 7 days, CPU autoscaling
// from 1 to 2 tasks with night and morning schedules, and a dashboard. JavaScript, as `cdk init app
// --language javascript` makes it: no compile step, so cdk synth is at its fastest.
// Environment-agnostic (no account or region): synth needs no credentials, no network and no lookups.
const cdk = require("aws-cdk-lib");
const ec2 = require("aws-cdk-lib/aws-ec2");
const ecr = require("aws-cdk-lib/aws-ecr");
const ecs = require("aws-cdk-lib/aws-ecs");
const ecsPatterns = require("aws-cdk-lib/aws-ecs-patterns");
const logs = require("aws-cdk-lib/aws-logs");
const appscaling = require("aws-cdk-lib/aws-applicationautoscaling");
const cloudwatch = require("aws-cdk-lib/aws-cloudwatch");

const app = new cdk.App();
const stack = new cdk.Stack(app, "fargate-service-dev");

const vpc = new ec2.Vpc(stack, "Vpc", {
    ipAddresses: ec2.IpAddresses.cidr("10.0.0.0/16"),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: "public", subnetType: ec2.SubnetType.PUBLIC }],
    gatewayEndpoints: { s3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
});
const cluster = new ecs.Cluster(stack, "Cluster", { vpc, enableFargateCapacityProviders: true });

const repository = new ecr.Repository(stack, "Repository", {
    imageScanOnPush: true,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    emptyOnDelete: true,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
    lifecycleRules: [{ maxImageCount: 10 }],
});
const logGroup = new logs.LogGroup(stack, "Logs", { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: cdk.RemovalPolicy.DESTROY });

const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, "Api", {
    cluster,
    cpu: 256,
    memoryLimitMiB: 512,
    desiredCount: 1,
    assignPublicIp: true,
    taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    publicLoadBalancer: true,
    listenerPort: 80,
    circuitBreaker: { rollback: true },
    enableExecuteCommand: true,
    minHealthyPercent: 50,
    maxHealthyPercent: 200,
    capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    taskImageOptions: {
        image: ecs.ContainerImage.fromEcrRepository(repository, "dev"),
        containerPort: 8080,
        environment: { APP_VERSION: "dev" },
        logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: "app", logGroup }),
    },
});
web.targetGroup.configureHealthCheck({ path: "/health", interval: cdk.Duration.seconds(5), timeout: cdk.Duration.seconds(4), healthyThresholdCount: 2 });
web.targetGroup.setAttribute("deregistration_delay.timeout_seconds", "5");

const scaling = web.service.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 2 });
scaling.scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 70 });
scaling.scaleOnSchedule("Night", { schedule: appscaling.Schedule.expression("cron(0 20 ? * MON-FRI *)"), timeZone: cdk.TimeZone.EUROPE_PARIS, minCapacity: 0, maxCapacity: 0 });
scaling.scaleOnSchedule("Morning", { schedule: appscaling.Schedule.expression("cron(0 7 ? * MON-FRI *)"), timeZone: cdk.TimeZone.EUROPE_PARIS, minCapacity: 1, maxCapacity: 2 });

new cloudwatch.Dashboard(stack, "Dashboard", {
    dashboardName: "fargate-service-dev",
    widgets: [[
        new cloudwatch.GraphWidget({ title: "CPU", left: [web.service.metricCpuUtilization()] }),
        new cloudwatch.GraphWidget({ title: "Memory", left: [web.service.metricMemoryUtilization()] }),
        new cloudwatch.GraphWidget({ title: "Requests", left: [web.loadBalancer.metrics.requestCount()] }),
    ]],
});

app.synth();
