import { z } from "zod";
import { MANAGED_POLICY_ARN, secretSource, parseArn } from "./arns";
import { certificateNameProblems, isCertificateName } from "./aws/certificateNames";
import { buildContextProblem } from "./buildContextHash";
import { DEFAULT_CAPACITY } from "./capacity";
import { BAKE_MINUTES, CANARY_PERCENT, HEADER_NAME, HEADER_VALUE_MAX, LINEAR_STEP_PERCENT, STRATEGY_SOURCES, isTenth, strategyProblems } from "./deploymentStrategy";
import { AcceleratorManufacturer, AcceleratorName, AlpnPolicy, Architecture, Burstable, ContainerInsights, DeploymentStrategy, ImageCompression, IpAddressType, IpStack, LifecycleStage, NetworkHealthCheckProtocol, NetworkIpAddressType, NetworkProtocol, OutboundTraffic, enumValues } from "./enums";
import { MAX_NETWORK_LISTENERS, networkLoadBalancerProblems } from "./networkLoadBalancer";
import { BUILD_TAG_PREFIX, IMAGE_TAG, buildImageTag, repositoryNameProblem } from "./ecrNames";
import { imageArgumentProblems } from "./imageReference";
import { INSTANCE_TYPE_PATTERN, MAX_GPUS_PER_TASK, MAX_INSTANCE_TYPES, managedInstancesProblems } from "./managedInstances";
import { DEFAULT_TASK_CPU, FARGATE_CPU_SIZES, FARGATE_SIZES, describeMemoryFor, isFargateCpu, isFargateSize } from "./fargateSizes";
import { CATCH_ALL_PRIORITY, LISTENER_RULE_LIMITS, ruleProblems } from "./routing";
import { DEPLOYMENT_DEFAULTS, NETWORK_TARGET_DEFAULTS, TARGET_DEFAULTS, mainContainerPort } from "./serviceDefaults";
import { serviceConnectProblems, serviceConnectSchema } from "./serviceConnectSchema";
import { EFS_LIMITS, FILE_SYSTEM_ID, PERMISSIONS, VOLUME_NAME, accessPointPathProblem } from "./aws/efsRules";
import { EXEC_AGENT_PATHS, volumeName } from "./containerDefinitions";
import { isTimeZone, scheduleExpressionProblem } from "./scheduleExpressions";
import { ALWAYS, describeValue, inputArray, inputString, integer } from "./validation";

/**
 * The schema of a service's arguments: the same rules for `new FargateService(...)`, for a service
 * in a stack file and for a service sent by a portal. Field rules live in the shapes; rules that
 * relate fields (memory for a CPU size, Spot and ARM64, min and max) in `checkService`.
 */

/** The name of the main container in every task definition. */
export const MAIN_CONTAINER = "app";

/** Environment variable names Security Hub ECS.8 treats as credentials in clear text. */
export const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"] as const;

/** The longest a Fargate task may take to stop, and the notice Fargate Spot gives. */
export const MAX_STOP_TIMEOUT = 120;
export const SPOT_NOTICE_SECONDS = 120;

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const secretArn = inputString((value) =>
    secretSource(value) ? undefined : `${describeValue(value)} is not the ARN of a Secrets Manager secret or an SSM parameter`,
);
const kmsKeyArn = inputString((value) => (parseArn(value)?.service === "kms" ? undefined : `${describeValue(value)} is not a KMS key ARN`));
const absolutePath = z.string().regex(/^\/[^\0]*$/, { message: "must be an absolute path such as /tmp" });
const stringList = z.array(z.string().min(1));

export const containerHealthCheckSchema = z.strictObject({
    command: z.array(z.string()).min(2),
    interval: integer(5, 300).optional(),
    timeout: integer(2, 60).optional(),
    retries: integer(1, 10).optional(),
    startPeriod: integer(0, 300).optional(),
});

export const containerSchema = z.strictObject({
    port: integer(1, 65535).optional(),
    command: stringList.optional(),
    entryPoint: stringList.optional(),
    environment: z.record(z.string().regex(envName, { message: "is not a valid environment variable name" }), inputString()).optional(),
    secrets: z.record(z.string().regex(envName, { message: "is not a valid environment variable name" }), secretArn).optional(),
    secretKmsKeyArns: z.array(kmsKeyArn).optional(),
    healthCheck: containerHealthCheckSchema.optional(),
    stopTimeout: integer(2, MAX_STOP_TIMEOUT).optional(),
    readonlyRootFilesystem: z.boolean().optional(),
    writablePaths: z.array(absolutePath).optional(),
    user: z.string().min(1).optional(),
});

export const sidecarSchema = z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, { message: "must be letters, digits, - and _ (at most 255)" }),
    image: inputString(),
    cpu: integer(0, 16384).optional(),
    memory: integer(6, 122880).optional(),
    essential: z.boolean().optional(),
    startBeforeMain: z.boolean().optional(),
    container: containerSchema.optional(),
});

/** An ECR repository name, by ECR's rules (core/ecrNames.ts). */
const ecrRepositoryName = z.string().superRefine((name, ctx) => {
    const problem = repositoryNameProblem(name);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const imageBuildSchema = z.strictObject({
    context: z.string().min(1),
    dockerfile: z.string().min(1).optional(),
    target: z.string().min(1).optional(),
    args: z.record(z.string(), z.string()).optional(),
    compression: z.enum(enumValues(ImageCompression)).optional(),
    tag: z
        .string()
        .regex(IMAGE_TAG, { message: "is not a valid image tag (letters, digits, _ . -; at most 128)" })
        .refine((tag) => buildImageTag(tag).length <= 128, { message: `is pushed as "${BUILD_TAG_PREFIX}<tag>", which would exceed 128 characters` })
        .optional(),
});

export const imageSchema = z.strictObject({
    uri: inputString().optional(),
    tag: z.string().regex(IMAGE_TAG, { message: "is not a valid image tag (letters, digits, _ . -; at most 128)" }).optional(),
    // Checked with the component's own rules in checkTask (core/imageReference.ts).
    repository: z.string().optional(),
    digest: z.string().optional(),
    registryId: z.string().optional(),
    build: imageBuildSchema.optional(),
});

export const repositorySchema = z.strictObject({
    name: ecrRepositoryName.optional(),
    mutableTags: z.boolean().optional(),
    forceDelete: z.boolean().optional(),
    untaggedExpiryDays: integer(1, 3650).optional(),
    keepTaggedImages: integer(1, 10000).optional(),
    kmsKeyArn: kmsKeyArn.optional(),
});

export const capacitySchema = z.strictObject({
    fargateBase: integer(0, 100000).optional(),
    fargateWeight: integer(0, 1000).optional(),
    spotWeight: integer(0, 1000).optional(),
});

/**
 * A range AWS takes as min and max (InstanceRequirementsRequest,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_InstanceRequirementsRequest.html;
 * the Terraform AWS provider's memory_mib and vcpu_count want whole numbers of at least 1).
 */
const countRange = z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1).optional() });

/** ECS Managed Instances: components/managedInstances.ts documents each field; core/managedInstances.ts relates them. */
export const managedInstancesSchema = z.strictObject({
    gpu: z
        .strictObject({
            count: integer(1, MAX_GPUS_PER_TASK),
            manufacturers: z.array(z.enum(enumValues(AcceleratorManufacturer))).min(1).optional(),
            names: z.array(z.enum(enumValues(AcceleratorName))).min(1).optional(),
        })
        .optional(),
    vcpu: countRange.optional(),
    memoryMiB: countRange.optional(),
    instanceTypes: z
        .array(z.string().regex(INSTANCE_TYPE_PATTERN, { message: "is not an instance type name: 1 to 30 letters, digits, . * and - (g5.xlarge, g5.*)" }))
        .min(1)
        .max(MAX_INSTANCE_TYPES)
        .optional(),
    burstable: z.enum(enumValues(Burstable)).optional(),
    storageGiB: z.number().int().min(1).optional(),
});

export const clusterAttachmentSchema = z.strictObject({
    arn: inputString().optional(),
    name: inputString().optional(),
    containerInsights: z.enum(enumValues(ContainerInsights)).optional(),
});

const cidr = z.string().refine((value) => isCidr(value), { message: "is not an IPv4 or IPv6 CIDR block" });

export const accessLogsSchema = z.strictObject({
    enabled: z.boolean().optional(),
    bucket: inputString().optional(),
    prefix: z.string().regex(/^[^/].*[^/]$|^[^/]?$/, { message: "must not start or end with /" }).optional(),
    expireAfterDays: integer(1, 3650).optional(),
});

/** A fully qualified domain name, lower-case, as Route 53 and ACM take it. */
export const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: "is not a lower-case DNS name such as api.example.com" });

/** A name a certificate may cover and Route 53 may hold: a DNS name, or a wildcard such as `*.example.com`. */
export const certificateName = z.string().refine(isCertificateName, { message: 'is not a lower-case DNS name such as api.example.com, or a wildcard such as "*.example.com"' });

/** The settings of a new load balancer. */
export const loadBalancerShape = {
    subnetIds: inputArray(1).optional(),
    internal: z.boolean().optional(),
    allowedCidrs: z.array(cidr).min(1).optional(),
    certificateArn: inputString((v) => (parseArn(v)?.service === "acm" ? undefined : `${describeValue(v)} is not an ACM certificate ARN`)).optional(),
    domain: z
        .strictObject({
            name: certificateName,
            zoneName: z.string().min(1).optional(),
            zoneId: inputString().optional(),
            alternativeNames: z.array(z.string()).optional(),
        })
        .optional(),
    https: z.boolean().optional(),
    sslPolicy: z.string().regex(/^ELBSecurityPolicy-/, { message: "is not an ELB security policy name" }).optional(),
    accessLogs: accessLogsSchema.optional(),
    deletionProtection: z.boolean().optional(),
    idleTimeout: integer(1, 4000).optional(),
    ipAddressType: z.enum(enumValues(IpAddressType)).optional(),
};

export const targetHealthCheckSchema = z.strictObject({
    path: z.string().regex(/^\/\S{0,1023}$/, { message: "must start with / and have no spaces" }).optional(),
    matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, { message: 'must be HTTP codes such as "200" or "200-399"' }).optional(),
    interval: integer(5, 300).optional(),
    timeout: integer(2, 120).optional(),
    healthyThreshold: integer(2, 10).optional(),
    unhealthyThreshold: integer(2, 10).optional(),
});

export const listenerRuleSchema = z
    .strictObject({
        priority: integer(LISTENER_RULE_LIMITS.priorityMin, LISTENER_RULE_LIMITS.priorityMax),
        hostHeaders: z.array(z.string()).min(1).optional(),
        pathPatterns: z.array(z.string()).min(1).optional(),
    })
    .superRefine((rule, ctx) => {
        // ALWAYS runs this after the object check failed too: a rule that is not an object (null)
        // has been reported already, and has no conditions to judge.
        if (typeof rule !== "object" || rule === null) return;
        // AWS's rules for one listener rule (core/routing.ts): condition values, wildcards, paths, hosts.
        for (const problem of ruleProblems({ hostHeaders: rule.hostHeaders, pathPatterns: rule.pathPatterns })) {
            ctx.addIssue({ code: "custom", path: fieldPath(problem.field), message: problem.message });
        }
    }, ALWAYS);

/** `pathPatterns[0]` to ["pathPatterns", 0]. */
function fieldPath(field: string): PropertyKey[] {
    return field ? field.split(/[.[\]]+/).filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [];
}

/** What every service may say about its target: shared by new, shared and environment load balancers. */
export const targetShape = {
    enabled: z.boolean().optional(),
    rule: listenerRuleSchema.optional(),
    healthCheck: targetHealthCheckSchema.optional(),
    deregistrationDelay: integer(0, 3600).optional(),
};

export const networkListenerSchema = z.strictObject({
    port: integer(1, 65535),
    protocol: z.enum(enumValues(NetworkProtocol)).optional(),
});

export const networkHealthCheckSchema = z.strictObject({
    protocol: z.enum(enumValues(NetworkHealthCheckProtocol)).optional(),
    path: targetHealthCheckSchema.shape.path,
    matcher: targetHealthCheckSchema.shape.matcher,
    // Ranges: API_CreateTargetGroup (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
    interval: integer(5, 300).optional(),
    timeout: integer(2, 120).optional(),
    healthyThreshold: integer(2, 10).optional(),
    unhealthyThreshold: integer(2, 10).optional(),
});

const acmCertificateArn = inputString((v) => (parseArn(v)?.service === "acm" ? undefined : `${describeValue(v)} is not an ACM certificate ARN`));

/** What a service says about its Network Load Balancer, in a stack file as in the component's arguments. */
export const networkLoadBalancerShape = {
    listeners: z.array(networkListenerSchema).min(1).max(MAX_NETWORK_LISTENERS, { message: `has more than ${MAX_NETWORK_LISTENERS} listeners, AWS's quota per Network Load Balancer` }),
    internal: z.boolean().optional(),
    allowedCidrs: z.array(cidr).min(1).optional(),
    certificateArn: acmCertificateArn.optional(),
    sslPolicy: z.string().regex(/^ELBSecurityPolicy-/, { message: "is not an ELB security policy name" }).optional(),
    alpnPolicy: z.enum(enumValues(AlpnPolicy)).optional(),
    healthCheck: networkHealthCheckSchema.optional(),
    deregistrationDelay: integer(0, 3600).optional(),
    preserveClientIp: z.boolean().optional(),
    crossZone: z.boolean().optional(),
    ipAddressType: z.enum(enumValues(NetworkIpAddressType)).optional(),
};

/** A Network Load Balancer's rules that relate fields (core/networkLoadBalancer.ts), at their key paths. */
export function checkNetworkLoadBalancer(nlb: unknown, ctx: Ctx, path: PropertyKey[] = []): void {
    if (!isObject(nlb)) return;
    const world = nlb.ipAddressType === NetworkIpAddressType.Dualstack ? ["0.0.0.0/0", "::/0"] : ["0.0.0.0/0"];
    for (const problem of networkLoadBalancerProblems(nlb, world)) issue(ctx, [...path, ...problem.path], problem.message);
}

/** The component's Network Load Balancer: the environment's settings (subnets, logs, protection) given as arguments. */
export const networkLoadBalancerSchema = z
    .strictObject({
        ...networkLoadBalancerShape,
        subnetIds: inputArray(2),
        // An existing bucket only: Network Load Balancers deliver through delivery.logs.amazonaws.com, which the
        // Application Load Balancer's bucket policy does not admit (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html).
        accessLogs: z.strictObject({ enabled: z.boolean().optional(), bucket: inputString(), prefix: accessLogsSchema.shape.prefix }).optional(),
        deletionProtection: z.boolean().optional(),
    })
    .superRefine((nlb, ctx) => checkNetworkLoadBalancer(nlb, ctx), ALWAYS);

export const serviceLoadBalancingSchema = z.strictObject({
    ...loadBalancerShape,
    ...targetShape,
    listenerArn: inputString().optional(),
    securityGroupId: inputString().optional(),
});

/** A percentage of production traffic in multiples of 0.1 within AWS's range for it. */
function trafficPercent(range: { min: number; max: number }, source: string) {
    return z
        .number()
        .min(range.min)
        .max(range.max)
        .refine(isTenth, { message: `must be a multiple of 0.1 (${source})` });
}

const bakeMinutes = integer(BAKE_MINUTES.min, BAKE_MINUTES.max);

export const lifecycleHookSchema = z.strictObject({
    functionArn: inputString((v) => {
        const arn = parseArn(v);
        return arn?.service === "lambda" && arn.resource.startsWith("function:") ? undefined : `${describeValue(v)} is not a Lambda function ARN (${STRATEGY_SOURCES.hooks})`;
    }),
    stages: z
        .array(z.enum(enumValues(LifecycleStage)))
        .min(1)
        .refine((stages) => new Set(stages).size === stages.length, { message: "lists a stage twice" }),
    roleArn: inputString((v) => (parseArn(v)?.service === "iam" && parseArn(v)!.resource.startsWith("role/") ? undefined : `${describeValue(v)} is not an IAM role ARN`)).optional(),
});

export const testTrafficSchema = z.strictObject({
    header: z.string().regex(HEADER_NAME, { message: `is not an HTTP header name (at most 40 letters, digits and RFC 7230 token characters; ${STRATEGY_SOURCES.headerCondition})` }).optional(),
    value: z.string().min(1).max(HEADER_VALUE_MAX),
    priority: integer(LISTENER_RULE_LIMITS.priorityMin, LISTENER_RULE_LIMITS.priorityMax).optional(),
});

export const deploymentAlarmsSchema = z.strictObject({
    alarmNames: z.array(inputString()).min(1).optional(),
    loadBalancerAlarms: z.boolean().optional(),
    error5xxPercent: z.number().min(0.1).max(100).optional(),
    rollback: z.boolean().optional(),
});

export const deploymentSchema = z.strictObject({
    strategy: z.enum(enumValues(DeploymentStrategy)).optional(),
    minHealthyPercent: integer(0, 100).optional(),
    maxPercent: integer(100, 200).optional(),
    healthCheckGracePeriod: integer(0, 2147483647).optional(),
    waitForSteadyState: z.boolean().optional(),
    // Ranges: API_DeploymentConfiguration, API_LinearConfiguration, API_CanaryConfiguration (core/deploymentStrategy.ts).
    bakeTimeMinutes: bakeMinutes.optional(),
    linear: z
        .strictObject({
            stepPercent: trafficPercent(LINEAR_STEP_PERCENT, STRATEGY_SOURCES.linear).optional(),
            stepBakeTimeMinutes: bakeMinutes.optional(),
        })
        .optional(),
    canary: z
        .strictObject({
            percent: trafficPercent(CANARY_PERCENT, STRATEGY_SOURCES.canary).optional(),
            bakeTimeMinutes: bakeMinutes.optional(),
        })
        .optional(),
    testTraffic: testTrafficSchema.optional(),
    lifecycleHooks: z.array(lifecycleHookSchema).min(1).optional(),
    alarms: deploymentAlarmsSchema.optional(),
    alternateTargetGroup: z.boolean().optional(),
});

export const scheduledScalingSchema = z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be letters, digits, - and _ (at most 64)" }),
    schedule: z.string().superRefine((value, ctx) => {
        const problem = scheduleExpressionProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    timezone: z.string().refine(isTimeZone, { message: "is not an IANA time zone such as Europe/Paris" }).optional(),
    min: integer(0, 5000),
    max: integer(0, 5000),
});

export const scalingSchema = z.strictObject({
    enabled: z.boolean().optional(),
    min: integer(0, 5000).optional(),
    max: integer(1, 5000).optional(),
    cpuTarget: integer(0, 100).optional(),
    memoryTarget: integer(1, 100).optional(),
    requestsPerTarget: integer(1, 1000000).optional(),
    scaleInCooldown: integer(0, 3600).optional(),
    scaleOutCooldown: integer(0, 3600).optional(),
    schedules: z.array(scheduledScalingSchema).optional(),
});

const actionPattern = /^([a-z0-9-]+:[A-Za-z0-9*?]+|\*)$/;

export const policyStatementSchema = z.strictObject({
    effect: z.enum(["Allow", "Deny"]).optional(),
    actions: z.array(z.string().regex(actionPattern, { message: 'is not an IAM action such as "s3:GetObject"' })).min(1),
    resources: z.array(inputString()).min(1),
    conditions: z
        .array(z.strictObject({ test: z.string().min(1), variable: z.string().min(1), values: z.array(z.string()).min(1) }))
        .optional(),
});

export const taskRoleSchema = z.strictObject({
    statements: z.array(policyStatementSchema).optional(),
    managedPolicyArns: z
        .array(inputString((v) => (MANAGED_POLICY_ARN.test(v) ? undefined : `${describeValue(v)} is not an IAM policy ARN`)))
        .optional(),
});

const posixId = integer(0, EFS_LIMITS.posixIdMax);

/** An access point's identity and root directory (https://docs.aws.amazon.com/efs/latest/ug/API_CreateAccessPoint.html). */
export const accessPointSchema = z.strictObject({
    path: z
        .string()
        .superRefine((path, ctx) => {
            const problem = accessPointPathProblem(path);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
    uid: posixId.optional(),
    gid: posixId.optional(),
    permissions: z.string().regex(PERMISSIONS, { message: "is not POSIX permissions in octal (3 or 4 digits 0–7, such as \"750\")" }).optional(),
});

/** A volume on the environment's EFS file system, mounted in the main container. */
export const volumeSchema = z.strictObject({
    name: z.string().regex(VOLUME_NAME, { message: `must be 1–${EFS_LIMITS.volumeNameMaxLength} letters, digits, - and _ (a task definition volume name)` }),
    containerPath: absolutePath,
    readOnly: z.boolean().optional(),
    accessPoint: accessPointSchema.optional(),
    transitEncryptionPort: integer(EFS_LIMITS.portMin, EFS_LIMITS.portMax).optional(),
});

/** A volume of a component: which file system, and the security group its mount targets use. */
export const componentVolumeSchema = volumeSchema.extend({
    fileSystemId: inputString((value) => (FILE_SYSTEM_ID.test(value) ? undefined : `${describeValue(value)} is not an EFS file system ID (fs- and 8 to 40 hexadecimal digits)`)),
    securityGroupId: inputString().optional(),
});

/** CloudWatch Logs retention periods, in days; 0 keeps events forever. */
export const LOG_RETENTION_VALUES = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const logsSchema = z.strictObject({
    retentionDays: z
        .number()
        .refine((v) => (LOG_RETENTION_VALUES as readonly number[]).includes(v), {
            message: `is not a CloudWatch retention period (0 for never, or one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`,
        })
        .optional(),
    kmsKeyArn: kmsKeyArn.optional(),
});


export const tagsSchema = z
    .record(
        // AWS reserves the prefix in any case ("AWS:", "Aws:"): https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
        z.string().min(1).max(128).refine((key) => !key.toLowerCase().startsWith("aws:"), { message: 'tag keys starting with "aws:" (in any case) are reserved by AWS' }),
        z.string().max(256),
    )
    .refine((tags) => Object.keys(tags).length <= 40, { message: "has more than 40 tags (AWS allows 50, and 10 are kept for tags set by the environment)" });

/** Fields that describe what runs, valid wherever a task is described. */
export const taskShape = {
    image: imageSchema,
    repository: repositorySchema.optional(),
    cpu: z.number().refine(isFargateCpu, { error: (issue) => `${describeValue(issue.input)} is not a Fargate CPU size (${FARGATE_CPU_SIZES.join(", ")})` }).optional(),
    memory: integer(512, 122880).optional(),
    architecture: z.enum(enumValues(Architecture)).optional(),
    container: containerSchema.optional(),
    sidecars: z.array(sidecarSchema).optional(),
    taskRole: taskRoleSchema.optional(),
    enableExecuteCommand: z.boolean().optional(),
    logs: logsSchema.optional(),
    protectStatefulResources: z.boolean().optional(),
    tags: tagsSchema.optional(),
};

/** Fields of a long-running service that an environment's service entry may set. */
export const serviceShape = {
    ...taskShape,
    outboundTraffic: z.enum(enumValues(OutboundTraffic)).optional(),
    capacity: capacitySchema.optional(),
    desiredCount: integer(0, 5000).optional(),
    deployment: deploymentSchema.optional(),
    scaling: scalingSchema.optional(),
    managedInstances: managedInstancesSchema.optional(),
};

export const ipStackSchema = z.enum(enumValues(IpStack));

/**
 * What AWS refuses of tasks in IPv6-only subnets: a public IPv4 address (the subnets have no IPv4
 * CIDR block: https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html), and a new
 * load balancer that is IPv4 only (an IPv6-only service needs a dual-stack load balancer with an
 * IPv6 target group: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html).
 */
export function checkIpStack(args: Record<string, any>, ctx: z.RefinementCtx): void {
    if (!isObject(args) || args.ipStack !== IpStack.Ipv6) return;
    if (args.assignPublicIp === true) {
        ctx.addIssue({ code: "custom", path: ["assignPublicIp"], message: 'is true but ipStack is "ipv6": IPv6-only subnets have no IPv4 addresses, public or private; remove assignPublicIp' });
    }
    const nlb = isObject(args.networkLoadBalancer) ? args.networkLoadBalancer : undefined;
    if (nlb?.ipAddressType === NetworkIpAddressType.Ipv4) {
        ctx.addIssue({
            code: "custom",
            path: ["networkLoadBalancer", "ipAddressType"],
            message: '"ipv4" cannot reach tasks in IPv6-only subnets (ipStack "ipv6"): their target group holds IPv6 addresses, which only a dual-stack load balancer serves; use "dualstack"',
        });
    }
    if (Array.isArray(args.volumes) && args.volumes.length > 0) {
        ctx.addIssue({
            code: "custom",
            path: ["volumes"],
            message: 'cannot be mounted with ipStack "ipv6": this project has not verified that Fargate tasks mount EFS over IPv6 alone; run the service in dual-stack or IPv4 subnets',
        });
    }
    const lb = isObject(args.loadBalancer) ? args.loadBalancer : {};
    if (!nlb && lb.enabled !== false && lb.listenerArn === undefined && lb.ipAddressType === IpAddressType.Ipv4) {
        ctx.addIssue({
            code: "custom",
            path: ["loadBalancer", "ipAddressType"],
            message: '"ipv4" cannot reach tasks in IPv6-only subnets (ipStack "ipv6"): their target group holds IPv6 addresses, which only a dual-stack load balancer serves; use "dualstack" or "dualstack-without-public-ipv4"',
        });
    }
}

/** The full arguments of `new FargateService(...)`. */
export const fargateServiceArgsSchema = z
    .strictObject({
        ...serviceShape,
        vpcId: inputString(),
        subnetIds: inputArray(1),
        assignPublicIp: z.boolean().optional(),
        ipStack: ipStackSchema.optional(),
        cluster: clusterAttachmentSchema.optional(),
        loadBalancer: serviceLoadBalancingSchema.optional(),
        networkLoadBalancer: networkLoadBalancerSchema.optional(),
        serviceConnect: serviceConnectSchema.optional(),
        volumes: z.array(componentVolumeSchema).optional(),
    })
    .superRefine((args, ctx) => {
        checkService(args, ctx);
        if (isObject(args)) for (const p of serviceConnectProblems(args, mainContainerPort(args))) issue(ctx, p.path, p.message);
        checkServiceWiring(args, ctx);
        checkIpStack(args, ctx);
        checkBuildContext(args, ctx);
    }, ALWAYS);

type Ctx = z.RefinementCtx;
type Loose = Record<string, any>;

function issue(ctx: Ctx, path: PropertyKey[], message: string) {
    ctx.addIssue({ code: "custom", path, message });
}

export function isObject(value: unknown): value is Loose {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks of a task description (image, size, containers, IAM): shared by services and tasks. */
export function checkTask(args: Loose, ctx: Ctx): void {
    // Cross-field checks run even when the shape failed: an entry written as null or a list has no fields to relate.
    if (!isObject(args)) return;
    const image = isObject(args.image) ? args.image : undefined;
    if (image) {
        const given = ["uri", "tag", "build"].filter((k) => image[k] !== undefined);
        if (given.length !== 1) {
            issue(ctx, ["image"], given.length === 0 ? "set one of uri, tag or build" : `set only one of uri, tag or build (got ${given.join(" and ")})`);
        }
        if (image.uri !== undefined && args.repository !== undefined) {
            issue(ctx, ["repository"], "has no effect with image.uri: a repository is created only for image.tag or image.build");
        }
        for (const problem of imageArgumentProblems(image)) issue(ctx, problem.path.split("."), problem.message);
        if (image.tag !== undefined && image.repository !== undefined && args.repository !== undefined) {
            issue(ctx, ["repository"], `has no effect with image.repository: the image is read from ${image.repository}, and no repository is created`);
        }
    }

    const cpu = typeof args.cpu === "number" && isFargateCpu(args.cpu) ? args.cpu : args.cpu === undefined ? DEFAULT_TASK_CPU : undefined;
    if (cpu !== undefined && typeof args.memory === "number" && !isFargateSize(cpu, args.memory)) {
        issue(ctx, ["memory"], `${args.memory} is not valid with cpu ${cpu}; allowed: ${describeMemoryFor(cpu)}`);
    }

    const container = isObject(args.container) ? args.container : {};
    checkContainer(container, ["container"], ctx);

    const sidecars = Array.isArray(args.sidecars) ? args.sidecars.filter(isObject) : [];
    const names = new Set<string>([MAIN_CONTAINER]);
    sidecars.forEach((sidecar, i) => {
        if (typeof sidecar.name === "string") {
            if (names.has(sidecar.name)) issue(ctx, ["sidecars", i, "name"], `"${sidecar.name}" is already used in this task (the main container is "${MAIN_CONTAINER}")`);
            names.add(sidecar.name);
        }
        const sidecarContainer = isObject(sidecar.container) ? sidecar.container : {};
        checkContainer(sidecarContainer, ["sidecars", i, "container"], ctx);
        if (sidecar.startBeforeMain && !sidecarContainer.healthCheck) {
            issue(ctx, ["sidecars", i, "startBeforeMain"], "needs container.healthCheck on the sidecar: the main container waits for it to report healthy");
        }
    });
    if (cpu !== undefined) {
        const memory = typeof args.memory === "number" ? args.memory : FARGATE_SIZES[cpu]?.[0];
        const sidecarCpu = sidecars.reduce((sum, s) => sum + (typeof s.cpu === "number" ? s.cpu : 0), 0);
        const sidecarMemory = sidecars.reduce((sum, s) => sum + (typeof s.memory === "number" ? s.memory : 0), 0);
        if (sidecarCpu >= cpu) issue(ctx, ["sidecars"], `reserve ${sidecarCpu} CPU units, leaving nothing of the task's ${cpu} for the main container`);
        if (memory !== undefined && sidecarMemory >= memory) {
            issue(ctx, ["sidecars"], `reserve ${sidecarMemory} MiB, leaving nothing of the task's ${memory} MiB for the main container`);
        }
    }

    const statements = isObject(args.taskRole) && Array.isArray(args.taskRole.statements) ? args.taskRole.statements : [];
    statements.forEach((statement: Loose, i: number) => {
        if (!isObject(statement) || !Array.isArray(statement.actions) || (statement.effect ?? "Allow") !== "Allow") return;
        const resources = Array.isArray(statement.resources) ? statement.resources : [];
        statement.actions.forEach((action: unknown, j: number) => {
            if (action === "*") {
                issue(ctx, ["taskRole", "statements", i, "actions", j], '"*" allows every action of every service (Security Hub IAM.1); list the actions the application calls');
            } else if (typeof action === "string" && action.endsWith(":*")) {
                issue(ctx, ["taskRole", "statements", i, "actions", j], `"${action}" allows every action of the service (Security Hub IAM.21); list the actions the application calls`);
            }
        });
        if (resources.includes("*") && statement.actions.some((a: unknown) => typeof a === "string" && a.includes("*"))) {
            issue(ctx, ["taskRole", "statements", i, "resources"], '"*" with a wildcard action grants far more than an application needs; name the resources');
        }
    });
}

function checkContainer(container: Loose, path: PropertyKey[], ctx: Ctx): void {
    const environment = isObject(container.environment) ? container.environment : {};
    const secrets = isObject(container.secrets) ? container.secrets : {};
    for (const name of Object.keys(environment)) {
        if ((CREDENTIAL_VARIABLES as readonly string[]).includes(name)) {
            issue(ctx, [...path, "environment", name], "holds a credential in clear text in the task definition (Security Hub ECS.8); put its ARN in secrets instead, or give the task role the permissions");
        }
        if (name in secrets) issue(ctx, [...path, "environment", name], "is also in secrets; a variable comes from one place only");
    }
    const healthCheck = isObject(container.healthCheck) ? container.healthCheck : undefined;
    if (healthCheck && Array.isArray(healthCheck.command) && !["CMD", "CMD-SHELL", "NONE"].includes(healthCheck.command[0])) {
        issue(ctx, [...path, "healthCheck", "command"], `must start with "CMD" or "CMD-SHELL", got ${describeValue(healthCheck.command[0])}`);
    }
    if (Array.isArray(container.writablePaths)) {
        const seen = new Set<string>();
        container.writablePaths.forEach((p: unknown, i: number) => {
            if (typeof p !== "string") return;
            if (seen.has(p)) issue(ctx, [...path, "writablePaths", i], `"${p}" is listed twice`);
            seen.add(p);
        });
    }
}

/** Checks of a long-running service: capacity, load balancing, deployment, scaling. */
export function checkService(args: Loose, ctx: Ctx): void {
    if (!isObject(args)) return;
    checkTask(args, ctx);
    // FARGATE_SPOT runs Linux ARM64 tasks on platform version 1.4.0 or later, as well as X86_64 ones:
    // the ECS API reference, CapacityProviderStrategyItem
    // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html,
    // read 2026-11-23). Older copies of the developer guide's "Fargate capacity providers" page still
    // say ARM64 is not supported; the API reference is the newer statement, and Fargate tasks here
    // run on platform LATEST (1.4.0), so ARM64 tasks may use Spot like any other.
    const capacity = isObject(args.capacity) ? args.capacity : undefined;
    if (capacity) {
        const weights = [capacity.fargateWeight ?? DEFAULT_CAPACITY.fargateWeight, capacity.spotWeight ?? DEFAULT_CAPACITY.spotWeight];
        if (weights.every((w) => w === 0)) {
            issue(ctx, ["capacity"], "fargateWeight and spotWeight are both 0: ECS needs at least one provider with a weight above 0");
        }
    }
    const managed = isObject(args.managedInstances) ? args.managedInstances : undefined;
    if (managed) checkManagedInstances(args, managed, ctx);
    const spot = !managed && (capacity?.spotWeight ?? DEFAULT_CAPACITY.spotWeight) > 0;

    const lb = isObject(args.loadBalancer) ? args.loadBalancer : {};
    // A service behind a Network Load Balancer has no Application Load Balancer: one or the other.
    const nlb = isObject(args.networkLoadBalancer) ? args.networkLoadBalancer : undefined;
    if (nlb && isObject(args.loadBalancer) && !(lb.enabled === false && Object.keys(lb).length === 1)) {
        issue(ctx, ["loadBalancer"], "applies to the Application Load Balancer, but this service is behind networkLoadBalancer: remove loadBalancer (a service has one load balancer)");
    }
    if (nlb && typeof nlb.deregistrationDelay === "number" && spot && nlb.deregistrationDelay >= SPOT_NOTICE_SECONDS) {
        issue(
            ctx,
            ["networkLoadBalancer", "deregistrationDelay"],
            `${nlb.deregistrationDelay} does not fit inside the two-minute Fargate Spot notice: an interrupted task is stopped while still draining; use less than ${SPOT_NOTICE_SECONDS}, or no Spot (capacity.spotWeight: 0)`,
        );
    }
    const balanced = lb.enabled !== false && !nlb;

    if (lb.enabled === false) {
        for (const key of Object.keys(lb)) {
            if (key !== "enabled") issue(ctx, ["loadBalancer", key], "has no effect: loadBalancer.enabled is false");
        }
    }
    if (lb.https === true && lb.certificateArn === undefined && lb.domain === undefined) {
        issue(ctx, ["loadBalancer", "https"], "is true but loadBalancer.certificateArn is not set: HTTPS needs an ACM certificate (or a domain to create one for)");
    }
    const domain = isObject(lb.domain) ? lb.domain : undefined;
    if (domain && domain.zoneName === undefined && domain.zoneId === undefined) {
        issue(ctx, ["loadBalancer", "domain"], "needs zoneName or zoneId: the Route 53 zone where the certificate is validated");
    }
    if (domain && typeof domain.name === "string") {
        // The names that are text, each with its index in alternativeNames, so a problem is reported where the name is.
        const given: unknown[] = Array.isArray(domain.alternativeNames) ? domain.alternativeNames : [];
        const named = given.flatMap((h, i) => (typeof h === "string" ? [{ host: h, index: i }] : []));
        const hosts = named.map((n) => n.host);
        for (const problem of certificateNameProblems(domain.name, hosts, typeof domain.zoneName === "string" ? domain.zoneName : undefined, "loadBalancer.domain.zoneName")) {
            issue(ctx, problem.host === undefined ? ["loadBalancer", "domain"] : ["loadBalancer", "domain", "alternativeNames", named[problem.host].index], problem.message);
        }
    }
    const healthCheck = isObject(lb.healthCheck) ? lb.healthCheck : {};
    const interval = healthCheck.interval ?? TARGET_DEFAULTS.healthCheck.interval;
    if (typeof healthCheck.timeout === "number" && typeof interval === "number" && healthCheck.timeout >= interval) {
        issue(ctx, ["loadBalancer", "healthCheck", "timeout"], `${healthCheck.timeout} must be shorter than the interval (${interval})`);
    }
    if (typeof lb.deregistrationDelay === "number" && spot && lb.deregistrationDelay >= SPOT_NOTICE_SECONDS) {
        issue(
            ctx,
            ["loadBalancer", "deregistrationDelay"],
            `${lb.deregistrationDelay} does not fit inside the two-minute Fargate Spot notice: an interrupted task is stopped while still draining; use less than ${SPOT_NOTICE_SECONDS}, or no Spot (capacity.spotWeight: 0)`,
        );
    }

    const deployment = isObject(args.deployment) ? args.deployment : {};
    if ((deployment.minHealthyPercent ?? DEPLOYMENT_DEFAULTS.minHealthyPercent) === 100 && deployment.maxPercent === 100) {
        issue(ctx, ["deployment", "maxPercent"], "100 with minHealthyPercent 100 leaves no room to start a new task: a deployment could never progress");
    }
    // A service with no rule of its own takes all its listener's traffic (a catch-all rule, or its own load balancer's).
    const productionPriority = isObject(lb.rule) && typeof lb.rule.priority === "number" ? lb.rule.priority : CATCH_ALL_PRIORITY;
    for (const problem of strategyProblems(deployment, { balanced, productionPriority })) {
        // Behind a Network Load Balancer, "needs a load balancer" would mislead: say which one, and what to do instead.
        const key = nlb && problem.message.includes("needs a load balancer") ? problem.path.join(".") : undefined;
        const message =
            key === "deployment.strategy"
                ? `${String(deployment.strategy)} is offered behind the Application Load Balancer only (ECS shifts traffic through its listener rules); a service behind networkLoadBalancer uses strategy rolling`
                : key === "deployment.alarms.loadBalancerAlarms"
                  ? "reads the Application Load Balancer's 5xx answers, which a Network Load Balancer does not count: name your own alarms in alarmNames instead"
                  : problem.message;
        issue(ctx, problem.path, message);
    }

    checkVolumes(args, ctx);

    const desired = typeof args.desiredCount === "number" ? args.desiredCount : undefined;
    const scaling = isObject(args.scaling) ? args.scaling : undefined;
    if (scaling && scaling.enabled !== false) {
        const min = typeof scaling.min === "number" ? scaling.min : desired;
        const max = typeof scaling.max === "number" ? scaling.max : undefined;
        if (min !== undefined && max !== undefined && min > max) issue(ctx, ["scaling", "min"], `${min} is above scaling.max (${max})`);
        if (desired !== undefined && typeof scaling.min === "number" && desired < scaling.min) {
            issue(ctx, ["desiredCount"], `${desired} is below scaling.min (${scaling.min})`);
        }
        if (desired !== undefined && max !== undefined && desired > max) issue(ctx, ["desiredCount"], `${desired} is above scaling.max (${max})`);
        if (scaling.requestsPerTarget !== undefined && !balanced) {
            issue(
                ctx,
                ["scaling", "requestsPerTarget"],
                nlb
                    ? "needs the Application Load Balancer: a Network Load Balancer counts connections, not requests (no ALBRequestCountPerTarget); scale on cpuTarget or memoryTarget"
                    : "needs a load balancer: requests per target are counted by the target group",
            );
        }
        const schedules = Array.isArray(scaling.schedules) ? scaling.schedules.filter(isObject) : [];
        const seen = new Set<string>();
        schedules.forEach((s, i) => {
            if (typeof s.min === "number" && typeof s.max === "number" && s.min > s.max) issue(ctx, ["scaling", "schedules", i, "min"], `${s.min} is above max (${s.max})`);
            if (typeof s.name === "string") {
                if (seen.has(s.name)) issue(ctx, ["scaling", "schedules", i, "name"], `"${s.name}" is used by another schedule`);
                seen.add(s.name);
            }
        });
    } else if (scaling && scaling.enabled === false) {
        for (const key of Object.keys(scaling)) {
            if (key !== "enabled") issue(ctx, ["scaling", key], "has no effect: scaling.enabled is false");
        }
    }
}

/**
 * A service on ECS Managed Instances: its own capacity provider takes all its tasks, so Fargate's
 * split does not apply, and a GPU reservation is refused on Fargate
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html); tasks
 * on EC2 capacity get no public IP
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html).
 */
function checkManagedInstances(args: Loose, managed: Loose, ctx: Ctx): void {
    if (args.capacity !== undefined) {
        issue(ctx, ["capacity"], "splits tasks between FARGATE and FARGATE_SPOT, but managedInstances runs every task on the service's own Managed Instances capacity provider: remove one of them");
    }
    if (args.assignPublicIp === true) {
        issue(ctx, ["assignPublicIp"], "is true, but tasks on Managed Instances (EC2) get no public IP: give them private subnets with a NAT gateway or VPC endpoints");
    }
    const cpu = typeof args.cpu === "number" ? args.cpu : DEFAULT_TASK_CPU;
    const memory = typeof args.memory === "number" ? args.memory : (FARGATE_SIZES[cpu]?.[0] ?? 2 * cpu);
    for (const problem of managedInstancesProblems(managed as never, { cpu, memory })) issue(ctx, ["managedInstances", ...problem.path], problem.message);
}

/**
 * Volumes of one task: each name once, each mount point once, and neither taken by the main
 * container's writable paths (each an empty volume named after its path, core/containerDefinitions.ts).
 */
function checkVolumes(args: Loose, ctx: Ctx): void {
    if (!Array.isArray(args.volumes)) return;
    const container = isObject(args.container) ? args.container : {};
    const writable: string[] = Array.isArray(container.writablePaths) ? container.writablePaths.filter((p: unknown): p is string => typeof p === "string") : ["/tmp"];
    const taken = new Map<string, string>();
    for (const p of [...writable, ...(args.enableExecuteCommand === true ? EXEC_AGENT_PATHS : [])]) taken.set(volumeName(p), p);
    const names = new Set<string>();
    const paths = new Set<string>();
    args.volumes.forEach((volume: unknown, i: number) => {
        if (!isObject(volume)) return;
        if (typeof volume.name === "string") {
            if (names.has(volume.name)) issue(ctx, ["volumes", i, "name"], `"${volume.name}" is used by another volume`);
            else if (taken.has(volume.name)) issue(ctx, ["volumes", i, "name"], `"${volume.name}" is the volume of the writable path ${taken.get(volume.name)}; choose another name`);
            names.add(volume.name);
        }
        if (typeof volume.containerPath === "string") {
            if (paths.has(volume.containerPath)) issue(ctx, ["volumes", i, "containerPath"], `"${volume.containerPath}" is where another volume is mounted`);
            else if (writable.includes(volume.containerPath)) issue(ctx, ["volumes", i, "containerPath"], `"${volume.containerPath}" is also in container.writablePaths; a path is mounted once`);
            paths.add(volume.containerPath);
        }
    });
}

/**
 * A component builds from a context on this machine: one that is missing is reported before
 * anything is registered, not as a crash while hashing it. Component schemas only: a stack file's
 * contexts are checked where they are resolved (the offline plan, the Automation API).
 */
export function checkBuildContext(args: Loose, ctx: Ctx): void {
    const build = isObject(args) && isObject(args.image) && isObject(args.image.build) ? args.image.build : undefined;
    if (!build || typeof build.context !== "string" || build.context.length === 0 || (build.dockerfile !== undefined && typeof build.dockerfile !== "string")) return;
    const problem = buildContextProblem(build.context, build.dockerfile);
    if (problem) issue(ctx, ["image", "build", problem.key], problem.message);
}

/** Checks of what only a standalone component has: which cluster, which load balancer. */
function checkServiceWiring(args: Loose, ctx: Ctx): void {
    if (!isObject(args)) return;
    const cluster = isObject(args.cluster) ? args.cluster : undefined;
    if (cluster) {
        if ((cluster.arn === undefined) !== (cluster.name === undefined)) {
            issue(ctx, ["cluster"], "give both arn and name of an existing cluster (autoscaling addresses services by cluster name)");
        }
        if (cluster.arn !== undefined && cluster.containerInsights !== undefined) {
            issue(ctx, ["cluster", "containerInsights"], "has no effect on an existing cluster, which keeps its own setting");
        }
    }
    const lb = isObject(args.loadBalancer) ? args.loadBalancer : {};
    // Behind a Network Load Balancer, a loadBalancer argument is reported by checkService.
    if (lb.enabled === false || args.networkLoadBalancer !== undefined) return;
    if (lb.listenerArn !== undefined) {
        if (lb.securityGroupId === undefined) issue(ctx, ["loadBalancer", "securityGroupId"], "is required with listenerArn: the tasks admit traffic from that group only");
        if (lb.rule === undefined) issue(ctx, ["loadBalancer", "rule"], "is required with listenerArn: which requests on the shared listener go to this service?");
        for (const key of Object.keys(loadBalancerShape)) {
            if (lb[key] !== undefined) issue(ctx, ["loadBalancer", key], "belongs to the shared load balancer, not to a service attached with listenerArn");
        }
    } else {
        if (lb.subnetIds === undefined) issue(ctx, ["loadBalancer", "subnetIds"], "is required for a new load balancer (public subnets in two or more Availability Zones), or give listenerArn, or set enabled: false");
        else if (Array.isArray(lb.subnetIds) && lb.subnetIds.length < 2) {
            issue(ctx, ["loadBalancer", "subnetIds"], `has ${lb.subnetIds.length}; an Application Load Balancer needs subnets in at least two Availability Zones`);
        }
        if (lb.rule !== undefined) issue(ctx, ["loadBalancer", "rule"], "is only for a shared listener (with listenerArn); a new load balancer sends all its traffic to this service");
        if (lb.securityGroupId !== undefined) issue(ctx, ["loadBalancer", "securityGroupId"], "is only for a shared listener (with listenerArn)");
    }
}

/** Whether `value` is an IPv4 or IPv6 CIDR block. */
export function isCidr(value: string): boolean {
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
    if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
    const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
    return v6 !== null && v6[1].includes(":") && Number(v6[2]) <= 128;
}
