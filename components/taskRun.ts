import * as pulumi from "@pulumi/pulumi";
import type { Queue } from "@pulumi/aws/sqs/queue";
import { ON_DEMAND_ONLY, capacityStrategy } from "../core/capacity";
import { OutboundTraffic } from "../core/enums";
import { resolveCapacity } from "./cluster";
import { createDeadLetterQueue } from "./deadLetterQueue";
import { RunTaskRole, createRunTaskRole } from "./runTaskRole";
import { FargateTaskArgs, FargateTaskParts, createFargateTask } from "./task";
import { createTaskSecurityGroup } from "./taskSecurityGroup";
import { RETRY_DEFAULTS, TaskPlacementArgs } from "./workloadArgs";

/** What a task started by EventBridge (a schedule or a rule) needs, before its trigger. */
export interface TaskRun {
    task: FargateTaskParts;
    deadLetterQueue: Queue;
    runner: RunTaskRole;
    /** The ECS parameters of the run: the same fields for Scheduler targets and rule targets. */
    ecs: {
        taskDefinitionArn: pulumi.Output<string>;
        taskCount: number;
        capacityProviderStrategies: { capacityProvider: string; base?: number; weight?: number }[];
        platformVersion: string;
        networkConfiguration: { subnets: pulumi.Input<pulumi.Input<string>[]>; securityGroups: pulumi.Input<string>[]; assignPublicIp: boolean };
        enableEcsManagedTags: boolean;
        propagateTags: string;
    };
    retryPolicy: { maximumRetryAttempts: number; maximumEventAgeInSeconds: number };
}

/**
 * The task definition, a security group with nothing coming in, a dead-letter queue for runs
 * that could not start, and the role `principal` assumes to start the task (on-demand unless the
 * arguments say otherwise). `runnerSendsDeadLetters`: Scheduler writes to the queue with this role;
 * a rule does it with the queue's own policy.
 */
export function prepareTaskRun(
    name: string,
    args: FargateTaskArgs & TaskPlacementArgs,
    principal: "scheduler.amazonaws.com" | "events.amazonaws.com",
    runnerSendsDeadLetters: boolean,
    parent: pulumi.Resource,
): TaskRun {
    const tags = args.tags;
    const task = createFargateTask(name, args, parent);
    const group = createTaskSecurityGroup(`${name}-tasks`, args.vpcId, args.outboundTraffic ?? OutboundTraffic.All, parent, tags, args.ipStack);
    const deadLetterQueue = createDeadLetterQueue(name, parent, tags, args.protectStatefulResources ?? false);
    const runner = createRunTaskRole(
        `${name}-${principal.split(".")[0]}`,
        principal,
        {
            account: task.account,
            taskDefinitionArn: task.taskDefinition.arn,
            clusterArn: args.clusterArn,
            passRoleArns: [task.executionRole.role.arn, task.taskRole.role.arn],
            deadLetterQueueArn: runnerSendsDeadLetters ? deadLetterQueue.arn : undefined,
        },
        parent,
        tags,
    );
    const retry = { ...RETRY_DEFAULTS, ...args.retry };
    return {
        task,
        deadLetterQueue,
        runner,
        ecs: {
            taskDefinitionArn: task.taskDefinition.arn,
            taskCount: 1,
            capacityProviderStrategies: capacityStrategy(resolveCapacity(args.capacity, ON_DEMAND_ONLY)),
            platformVersion: "LATEST",
            networkConfiguration: { subnets: args.subnetIds, securityGroups: [group.securityGroup.id], assignPublicIp: args.assignPublicIp ?? false },
            enableEcsManagedTags: true,
            propagateTags: "TASK_DEFINITION",
        },
        retryPolicy: { maximumRetryAttempts: retry.maximumAttempts, maximumEventAgeInSeconds: retry.maximumEventAgeSeconds },
    };
}
