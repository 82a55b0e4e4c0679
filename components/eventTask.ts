import * as pulumi from "@pulumi/pulumi";
import { EventRule } from "@pulumi/aws/cloudwatch/eventRule";
import { EventTarget } from "@pulumi/aws/cloudwatch/eventTarget";
import type { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import type { Role } from "@pulumi/aws/iam/role";
import type { Queue } from "@pulumi/aws/sqs/queue";
import { QueuePolicy } from "@pulumi/aws/sqs/queuePolicy";
import { MAIN_CONTAINER } from "../core/serviceSchema";
import { eventTaskArgsSchema } from "../core/workloadSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import type { FargateTaskArgs } from "./task";
import { prepareTaskRun } from "./taskRun";
import type { TaskPlacementArgs } from "./workloadArgs";
import { awsName } from "../core/names";
import type { PolicyDocument } from "@pulumi/aws/iam/documents";

/** A task run when an event arrives. */
export interface EventTaskArgs extends FargateTaskArgs, TaskPlacementArgs {
    /**
     * The EventBridge event pattern, as JSON, that starts a run.
     * @example
     * ```ts
     * { eventPattern: JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["uploads"] } } }) }
     * ```
     */
    eventPattern: string;
    /**
     * Environment variables of the run taken from the event, by JSON path.
     * @default {}
     * @example
     * ```ts
     * { environmentFromEvent: { BUCKET: "$.detail.bucket.name", KEY: "$.detail.object.key" } }
     * ```
     */
    environmentFromEvent?: Record<string, string>;
}

/**
 * The container overrides EventBridge sends with each run: each variable filled from its path in
 * the event (EventBridge's input transformer replaces `<name>` with the value at `inputPaths.name`).
 */
export function eventOverrides(environmentFromEvent: Record<string, string>): { inputPaths: Record<string, string>; inputTemplate: string } | undefined {
    const names = Object.keys(environmentFromEvent).sort();
    if (names.length === 0) return undefined;
    const inputPaths = Object.fromEntries(names.map((name) => [name.toLowerCase(), environmentFromEvent[name]]));
    const environment = names.map((name) => `{"name":"${name}","value":"<${name.toLowerCase()}>"}`).join(",");
    return { inputPaths, inputTemplate: `{"containerOverrides":[{"name":"${MAIN_CONTAINER}","environment":[${environment}]}]}` };
}

/**
 * An event-driven task: an EventBridge rule, a target that runs the task with fields of the event
 * as environment variables, a dead-letter queue only that rule may write to, and a role that may
 * start this task on this cluster and pass its two roles, nothing more.
 */
export class EventTask extends pulumi.ComponentResource {
    public readonly taskDefinition: TaskDefinition;
    public readonly rule: EventRule;
    public readonly target: EventTarget;
    public readonly deadLetterQueue: Queue;
    public readonly eventsRole: Role;
    public readonly taskRole: Role;

    constructor(name: string, args: EventTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(eventTaskArgsSchema, args, `EventTask "${name}"`, "args");
        super(componentType("EventTask"), name, args, withPreflight(withFormerTypeAlias("EventTask", opts)));
        const tags = args.tags;
        const run = prepareTaskRun(name, args, "events.amazonaws.com", false, this);
        this.taskDefinition = run.task.taskDefinition;
        this.taskRole = run.task.taskRole.role;
        this.deadLetterQueue = run.deadLetterQueue;
        this.eventsRole = run.runner.role;
        this.rule = new EventRule(awsName("eventRule", name), { description: `Runs ${name} on matching events`, eventPattern: args.eventPattern, tags }, { parent: this });

        // A rule delivers to its dead-letter queue by the queue's own policy: this rule, and no other.
        new QueuePolicy(
            `${name}-dlq`,
            {
                queueUrl: this.deadLetterQueue.url,
                policy: pulumi.all([this.deadLetterQueue.arn, this.rule.arn]).apply(([queueArn, ruleArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "RuleDeadLetters", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } },
                        ],
                    } satisfies PolicyDocument),
                ),
            },
            { parent: this },
        );

        this.target = new EventTarget(
            name,
            {
                rule: this.rule.name,
                arn: args.clusterArn,
                roleArn: run.runner.role.arn,
                ecsTarget: run.ecs,
                inputTransformer: eventOverrides(args.environmentFromEvent ?? {}),
                retryPolicy: run.retryPolicy,
                deadLetterConfig: { arn: this.deadLetterQueue.arn },
            },
            { parent: this, dependsOn: [run.runner.policy] },
        );
        this.registerOutputs({ ruleArn: this.rule.arn, deadLetterQueueArn: this.deadLetterQueue.arn });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const eventTaskArgsChecked: EveryArgumentChecked<EventTaskArgs, typeof eventTaskArgsSchema.shape> = true;
