import * as pulumi from "@pulumi/pulumi";
import type { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import type { Role } from "@pulumi/aws/iam/role";
import { Schedule } from "@pulumi/aws/scheduler/schedule";
import type { Queue } from "@pulumi/aws/sqs/queue";
import { scheduledTaskArgsSchema } from "../core/workloadSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import type { FargateTaskArgs } from "./task";
import { prepareTaskRun } from "./taskRun";
import type { TaskPlacementArgs } from "./workloadArgs";
import { awsName } from "../core/names";

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
        super(componentType("ScheduledTask"), name, args, withPreflight(withFormerTypeAlias("ScheduledTask", opts)));
        const run = prepareTaskRun(name, args, "scheduler.amazonaws.com", true, this);
        this.taskDefinition = run.task.taskDefinition;
        this.taskRole = run.task.taskRole.role;
        this.deadLetterQueue = run.deadLetterQueue;
        this.schedulerRole = run.runner.role;
        this.schedule = new Schedule(
            awsName("schedule", name),
            {
                description: `Runs ${name} on ${args.schedule}`,
                scheduleExpression: args.schedule,
                scheduleExpressionTimezone: args.timezone ?? "UTC",
                state: args.enabled === false ? "DISABLED" : "ENABLED",
                flexibleTimeWindow: { mode: "OFF" },
                target: {
                    arn: args.clusterArn,
                    roleArn: run.runner.role.arn,
                    ecsParameters: run.ecs,
                    retryPolicy: run.retryPolicy,
                    deadLetterConfig: { arn: this.deadLetterQueue.arn },
                },
            },
            // The role's policy must exist before the first run, or it cannot start the task.
            { parent: this, dependsOn: [run.runner.policy] },
        );
        this.registerOutputs({ scheduleArn: this.schedule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const scheduledTaskArgsChecked: EveryArgumentChecked<ScheduledTaskArgs, typeof scheduledTaskArgsSchema.shape> = true;
