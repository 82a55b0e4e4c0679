import * as pulumi from "@pulumi/pulumi";
import type { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import type { Role } from "@pulumi/aws/iam/role";
import { Schedule } from "@pulumi/aws/scheduler/schedule";
import { Queue } from "@pulumi/aws/sqs/queue";
import { ON_DEMAND_ONLY, capacityStrategy } from "../core/capacity";
import { OutboundTraffic } from "../core/enums";
import { scheduledTaskArgsSchema } from "../core/workloadSchemas";
import { parseOrThrow } from "../core/validation";
import { resolveCapacity } from "./cluster";
import { componentType } from "./componentType";
import { createRunTaskRole } from "./runTaskRole";
import { FargateTaskArgs, createFargateTask } from "./task";
import { createTaskSecurityGroup } from "./taskSecurityGroup";
import { RETRY_DEFAULTS, TaskPlacementArgs } from "./workloadArgs";

/** A task run on a schedule. */
export interface ScheduledTaskArgs extends FargateTaskArgs, TaskPlacementArgs {
    /**
     * When to run: `cron(minutes hours day-of-month month day-of-week year)`, `rate(...)` or `at(...)`.
     * @example
     * ```ts
     * { schedule: "cron(0 3 * * ? *)" }
     * ```
     */
    schedule: string;
    /**
     * The IANA time zone of the schedule.
     * @default "UTC"
     * @example
     * ```ts
     * { timezone: "Europe/Paris" }
     * ```
     */
    timezone?: string;
    /**
     * Run on schedule. `false` keeps everything but pauses the schedule.
     * @default true
     * @example
     * ```ts
     * { enabled: false }
     * ```
     */
    enabled?: boolean;
}

/**
 * A scheduled task with EventBridge Scheduler: the task definition, a security group with nothing
 * coming in, a dead-letter queue for runs that could not start, and a role that may start this
 * task on this cluster and pass its two roles, nothing more.
 */
export class ScheduledTask extends pulumi.ComponentResource {
    public readonly taskDefinition: TaskDefinition;
    public readonly schedule: Schedule;
    public readonly deadLetterQueue: Queue;
    public readonly schedulerRole: Role;
    public readonly taskRole: Role;

    constructor(name: string, args: ScheduledTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(scheduledTaskArgsSchema, args, `ScheduledTask "${name}"`, "args");
        super(componentType("ScheduledTask"), name, args, opts);
        const tags = args.tags;
        const task = createFargateTask(name, args, this);
        this.taskDefinition = task.taskDefinition;
        this.taskRole = task.taskRole.role;
        const group = createTaskSecurityGroup(`${name}-tasks`, args.vpcId, args.outboundTraffic ?? OutboundTraffic.All, this, tags);
        this.deadLetterQueue = new Queue(`${name}-dlq`, { messageRetentionSeconds: 14 * 86400, sqsManagedSseEnabled: true, tags }, { parent: this });
        const runner = createRunTaskRole(
            `${name}-scheduler`,
            "scheduler.amazonaws.com",
            {
                account: task.account,
                taskDefinitionArn: task.taskDefinition.arn,
                clusterArn: args.clusterArn,
                passRoleArns: [task.executionRole.role.arn, task.taskRole.role.arn],
                deadLetterQueueArn: this.deadLetterQueue.arn,
            },
            this,
            tags,
        );
        this.schedulerRole = runner.role;
        const retry = { ...RETRY_DEFAULTS, ...args.retry };
        this.schedule = new Schedule(
            name,
            {
                description: `Runs ${name} on ${args.schedule}`,
                scheduleExpression: args.schedule,
                scheduleExpressionTimezone: args.timezone ?? "UTC",
                state: args.enabled === false ? "DISABLED" : "ENABLED",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: args.clusterArn,
                    roleArn: runner.role.arn,
                    ecsParameters: {
                        taskDefinitionArn: task.taskDefinition.arn,
                        taskCount: 1,
                        capacityProviderStrategies: capacityStrategy(resolveCapacity(args.capacity, ON_DEMAND_ONLY)),
                        platformVersion: "LATEST",
                        networkConfiguration: { subnets: args.subnetIds, securityGroups: [group.securityGroup.id], assignPublicIp: args.assignPublicIp ?? false },
                        enableEcsManagedTags: true,
                        propagateTags: "TASK_DEFINITION",
                    },
                    retryPolicy: { maximumRetryAttempts: retry.maximumAttempts, maximumEventAgeInSeconds: retry.maximumEventAgeSeconds },
                    deadLetterConfig: { arn: this.deadLetterQueue.arn },
                },
            },
            // The role's policy must exist before the first run, or it cannot start the task.
            { parent: this, dependsOn: [runner.policy] },
        );
        this.registerOutputs({ scheduleArn: this.schedule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
    }
}
