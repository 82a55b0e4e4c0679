import * as pulumi from "@pulumi/pulumi";
import type { Target } from "@pulumi/aws/appautoscaling/target";
import type { Service } from "@pulumi/aws/ecs/service";
import type { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import type { Role } from "@pulumi/aws/iam/role";
import { Queue } from "@pulumi/aws/sqs/queue";
import { OutboundTraffic } from "../core/enums";
import { QUEUE_CONSUMER_ACTIONS } from "../core/iamDocuments";
import { queueWorkerArgsSchema } from "../core/workloadSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { serviceCluster } from "./cluster";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { createDeadLetterQueue } from "./deadLetterQueue";
import { createEcsService } from "./ecsService";
import { ecsStrategyConfiguration } from "../core/deploymentStrategy";
import { QUEUE_SCALING_DEFAULTS, QueueScalingArgs, createQueueScaling } from "./queueScaling";
import { FargateTaskArgs, createFargateTask } from "./task";
import { createTaskSecurityGroup } from "./taskSecurityGroup";
import { DEPLOYMENT_DEFAULTS, ServicePlacementArgs } from "./workloadArgs";
import { awsName } from "../core/names";

/** The queue a worker consumes: a new one with a dead-letter queue, or an existing one. */
export interface QueueArgs {
    /**
     * An existing queue to consume, by ARN. Its dead-letter queue and settings stay as they are.
     * @default a new queue
     * @example
     * ```ts
     * { arn: "arn:aws:sqs:eu-west-1:123456789012:orders" }
     * ```
     */
    arn?: pulumi.Input<string>;
    /**
     * Seconds a received message stays hidden from other workers: longer than the slowest job,
     * or it is processed twice.
     * @default 300
     * @example
     * ```ts
     * { visibilityTimeout: 900 }
     * ```
     */
    visibilityTimeout?: number;
    /**
     * Days a message waits in the queue before it is dropped (1 to 14).
     * @default 4
     * @example
     * ```ts
     * { retentionDays: 14 }
     * ```
     */
    retentionDays?: number;
    /**
     * Deliveries before a message that keeps failing moves to the dead-letter queue.
     * @default 5
     * @example
     * ```ts
     * { maxReceiveCount: 3 }
     * ```
     */
    maxReceiveCount?: number;
}

/** A worker that consumes an SQS queue, scaled on its backlog. */
export interface QueueWorkerArgs extends FargateTaskArgs, ServicePlacementArgs {
    /**
     * Tasks at first deploy; the scaler owns the count afterwards.
     * @default `scaling.min`
     * @example
     * ```ts
     * { desiredCount: 2 }
     * ```
     */
    desiredCount?: number;
    /**
     * The queue.
     * @default a new queue with server-side encryption, long polling and a dead-letter queue after 5 deliveries
     * @example
     * ```ts
     * { queue: { visibilityTimeout: 900 } }
     * ```
     */
    queue?: QueueArgs;
    /**
     * Scaling on the backlog.
     * @default 1 to 10 tasks, 100 waiting messages per task
     * @example
     * ```ts
     * { scaling: { min: 0, max: 20, backlogPerTask: 50 } }
     * ```
     */
    scaling?: QueueScalingArgs;
}

export const QUEUE_DEFAULTS = { visibilityTimeout: 300, retentionDays: 4, maxReceiveCount: 5 } as const;

/**
 * A queue worker: the SQS queue (and its dead-letter queue), a service with no load balancer and
 * nothing coming in, a task role that may consume that queue only, and scaling on backlog per task.
 * The container finds the queue in `QUEUE_URL`.
 */
export class QueueWorker extends pulumi.ComponentResource {
    public readonly queue?: Queue;
    public readonly deadLetterQueue?: Queue;
    public readonly taskDefinition: TaskDefinition;
    public readonly taskRole: Role;
    public readonly service: Service;
    public readonly scalableTarget: Target;
    public readonly queueArn: pulumi.Output<string>;
    public readonly queueUrl: pulumi.Output<string>;
    /** The queue's name, as CloudWatch's SQS metrics know it. */
    public readonly queueName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: QueueWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(queueWorkerArgsSchema, args, `QueueWorker "${name}"`, "args");
        super(componentType("QueueWorker"), name, args, withPreflight(withFormerTypeAlias("QueueWorker", opts)));
        const tags = args.tags;
        const q = { ...QUEUE_DEFAULTS, ...args.queue };
        if (args.queue?.arn !== undefined) {
            this.queueArn = pulumi.output(args.queue.arn);
            this.queueName = this.queueArn.apply((arn) => arn.split(":").pop() ?? arn);
            // The URL of an existing queue, from its ARN: https://sqs.<region>.amazonaws.com/<account>/<name>.
            this.queueUrl = this.queueArn.apply((arn) => {
                const [, , , region, account, queue] = arn.split(":");
                return `https://sqs.${region}.amazonaws.com/${account}/${queue}`;
            });
        } else {
            // Messages waiting in a queue are data: protected with the worker's other stateful resources.
            const protect = args.protectStatefulResources ?? false;
            this.deadLetterQueue = createDeadLetterQueue(name, this, tags, protect);
            this.queue = new Queue(
                awsName("sqsQueue", name),
                {
                    visibilityTimeoutSeconds: q.visibilityTimeout,
                    messageRetentionSeconds: q.retentionDays * 86400,
                    // Long polling: one request waits up to 20 s for messages, instead of many empty receives.
                    receiveWaitTimeSeconds: 20,
                    sqsManagedSseEnabled: true,
                    redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: q.maxReceiveCount })),
                    tags,
                },
                { parent: this, protect, retainOnDelete: protect },
            );
            this.queueArn = this.queue.arn;
            this.queueUrl = this.queue.url;
            this.queueName = this.queue.name;
        }

        const container = args.container ?? {};
        const task = createFargateTask(
            name,
            {
                ...args,
                container: { ...container, environment: { ...container.environment, QUEUE_URL: this.queueUrl } },
                taskRole: {
                    ...args.taskRole,
                    statements: [
                        ...(args.taskRole?.statements ?? []),
                        { actions: QUEUE_CONSUMER_ACTIONS, resources: [this.queueArn] },
                    ],
                },
            },
            this,
        );
        this.taskDefinition = task.taskDefinition;
        this.taskRole = task.taskRole.role;

        const placement = serviceCluster(name, args, this);
        const group = createTaskSecurityGroup(`${name}-tasks`, args.vpcId, args.outboundTraffic ?? OutboundTraffic.All, this, tags, args.ipStack);
        const scaling = { ...QUEUE_SCALING_DEFAULTS, ...args.scaling };
        const deployment = { ...DEPLOYMENT_DEFAULTS, ...args.deployment };
        this.service = createEcsService(
            name,
            {
                clusterArn: placement.arn,
                taskDefinitionArn: task.taskDefinition.arn,
                desiredCount: args.desiredCount ?? scaling.min,
                capacityStrategy: placement.strategy,
                // No load balancer: rolling updates only (the schema refuses the others), and only the alarms it names.
                strategy: ecsStrategyConfiguration({}),
                alarms: deployment.alarms?.alarmNames ? { alarmNames: deployment.alarms.alarmNames, rollback: deployment.alarms.rollback ?? true } : undefined,
                subnetIds: args.subnetIds,
                securityGroupIds: [group.securityGroup.id],
                assignPublicIp: args.assignPublicIp ?? false,
                minHealthyPercent: deployment.minHealthyPercent,
                maxPercent: deployment.maxPercent,
                waitForSteadyState: deployment.waitForSteadyState,
                enableExecuteCommand: args.enableExecuteCommand ?? false,
                scaled: true,
                tags,
            },
            this,
        );
        this.serviceName = this.service.name;
        this.scalableTarget = createQueueScaling(name, scaling, { queueName: this.queueName, clusterName: placement.name, serviceName: this.service.name }, this, tags).target;
        this.registerOutputs({ queueArn: this.queueArn, queueUrl: this.queueUrl, queueName: this.queueName, serviceName: this.serviceName });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const queueWorkerArgsChecked: EveryArgumentChecked<QueueWorkerArgs, typeof queueWorkerArgsSchema.shape> = true;
