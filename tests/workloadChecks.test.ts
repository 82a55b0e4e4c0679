import * as assert from "node:assert/strict";
import type { z } from "zod";
import { RunError } from "@pulumi/pulumi/errors";
import {
    ImageNotFoundError,
    checkResolvedDigest,
    digestMismatchMessage,
    digestReference,
    notFoundKind,
    lookupFailedMessage,
    notPushedMessage,
    registryHost,
} from "../core/imageReference";
import { checkEventPattern, eventTaskArgsSchema, queueWorkerArgsSchema, scheduledTaskArgsSchema } from "../core/workloadSchemas";
import { problemsFrom } from "../core/validation";

/** The rules of queue workers, scheduled and event-driven tasks, and of image lookups, judged directly. */

const placement = { vpcId: "vpc-0abc", subnetIds: ["subnet-a"], image: { uri: "busybox:1.36" } };
const clusterArn = "arn:aws:ecs:eu-west-1:123456789012:cluster/main";

function problems(schema: z.ZodType, args: Record<string, unknown>): string[] {
    const result = schema.safeParse(args, { reportInput: true });
    return result.success ? [] : problemsFrom(result.error, schema).map((p) => `${p.path}: ${p.message}`);
}

describe("workload checks: queue workers", () => {
    const worker = (args: Record<string, unknown>) => problems(queueWorkerArgsSchema, { ...placement, ...args });

    it("accepts a worker with a new queue", () => {
        assert.deepEqual(worker({ queue: { visibilityTimeout: 900 }, scaling: { min: 0, max: 10, backlogPerTask: 50 } }), []);
    });

    it("refuses a scaling minimum above the maximum", () => {
        assert.deepEqual(worker({ scaling: { min: 11, max: 10 } }), ["scaling.min: 11 is above scaling.max (10)"]);
        assert.deepEqual(worker({ scaling: { min: 10, max: 10 } }), []);
    });

    it("refuses a backlog per task with queue-depth scaling", () => {
        assert.deepEqual(worker({ scaling: { policy: "queueDepth", backlogPerTask: 5 } }), ['scaling.backlogPerTask: has no effect with scaling.policy "queueDepth"']);
        assert.deepEqual(worker({ scaling: { policy: "queueDepth" } }), []);
    });

    it("refuses queue settings for an existing queue, which keeps its own", () => {
        const arn = "arn:aws:sqs:eu-west-1:123456789012:jobs";
        assert.deepEqual(worker({ queue: { arn, visibilityTimeout: 60, retentionDays: 4, maxReceiveCount: 3 } }), [
            "queue.visibilityTimeout: has no effect on an existing queue (queue.arn), which keeps its own settings",
            "queue.retentionDays: has no effect on an existing queue (queue.arn), which keeps its own settings",
            "queue.maxReceiveCount: has no effect on an existing queue (queue.arn), which keeps its own settings",
        ]);
        assert.deepEqual(worker({ queue: { arn } }), []);
        assert.deepEqual(worker({ queue: { arn: "arn:aws:sns:eu-west-1:123456789012:t" } }), ['queue.arn: "arn:aws:sns:eu-west-1:123456789012:t" is not an SQS queue ARN']);
    });

    it("applies the task rules to a worker too", () => {
        assert.deepEqual(worker({ memory: 4096 }), ["memory: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048"]);
    });
});

describe("workload checks: scheduled and event-driven tasks", () => {
    it("checks a scheduled task's schedule, time zone and task", () => {
        const task = (args: Record<string, unknown>) => problems(scheduledTaskArgsSchema, { ...placement, clusterArn, schedule: "cron(0 3 * * ? *)", ...args });
        assert.deepEqual(task({ timezone: "Europe/Paris", retry: { maximumAttempts: 2, maximumEventAgeSeconds: 3600 } }), []);
        assert.deepEqual(task({ schedule: "rate(0 minutes)" }), ["schedule: rate(0 minutes) must be at least 1"]);
        assert.deepEqual(task({ timezone: "Mars/Olympus" }), ["timezone: is not an IANA time zone such as Europe/Paris"]);
        assert.deepEqual(task({ memory: 4096 }), ["memory: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048"]);
    });

    it("needs an event pattern that is a JSON object with at least one key", () => {
        const task = (eventPattern: string, extra: Record<string, unknown> = {}) => problems(eventTaskArgsSchema, { ...placement, clusterArn, eventPattern, ...extra });
        const shape = 'eventPattern: must be an EventBridge event pattern: an object such as { "source": ["aws.s3"], "detail-type": ["Object Created"] }';
        assert.deepEqual(task('{"source":["aws.s3"]}'), []);
        assert.deepEqual(task("{not json"), ["eventPattern: is not valid JSON"]);
        assert.deepEqual(task("{}"), [shape]);
        assert.deepEqual(task("[1]"), [shape]);
        assert.deepEqual(task("null"), [shape]);
        assert.deepEqual(task('"aws.s3"'), [shape]);
        assert.deepEqual(task('{"source":["aws.s3"]}', { memory: 4096 }), ["memory: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048"]);
    });

    it("takes environment variables from JSON paths into the event", () => {
        const task = (environmentFromEvent: Record<string, string>) => problems(eventTaskArgsSchema, { ...placement, clusterArn, eventPattern: '{"source":["aws.s3"]}', environmentFromEvent });
        assert.deepEqual(task({ KEY: "$.detail.object.key", FIRST: "$.resources[0]" }), []);
        assert.deepEqual(task({ KEY: "detail.object.key" }), ['environmentFromEvent.KEY: is not a JSON path into the event such as "$.detail.object.key"']);
        assert.deepEqual(task({ "1KEY": "$.detail" }), ["environmentFromEvent.1KEY: is not a valid environment variable name"]);
    });
});

describe("image lookups", () => {
    const lookup = { repository: "team/api", tag: "1.4.2", registryId: "123456789012", region: "eu-west-1" };

    it("names the private registry of an account and region, in China under amazonaws.com.cn", () => {
        assert.equal(registryHost("123456789012", "eu-west-1"), "123456789012.dkr.ecr.eu-west-1.amazonaws.com");
        assert.equal(registryHost("123456789012", "cn-north-1", "aws-cn"), "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
        assert.equal(registryHost("123456789012", "us-gov-west-1", "aws-us-gov"), "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com");
    });

    it("writes an image by digest", () => {
        assert.equal(digestReference("r.example", "team/api", "sha256:abc"), "r.example/team/api@sha256:abc");
    });

    it("tells a missing repository and a missing image from other failures", () => {
        assert.equal(notFoundKind(new Error("RepositoryNotFoundException: team/api")), "repository");
        for (const text of ["ImageNotFoundException: x", "Your query returned no results"]) assert.equal(notFoundKind(new Error(text)), "image", text);
        assert.equal(notFoundKind("ImageNotFoundException"), "image");
        assert.equal(notFoundKind(new Error("AccessDeniedException")), undefined);
    });

    it("says which image is missing from where, and what to do", () => {
        assert.equal(notPushedMessage(lookup), 'api:1.4.2 is not in repository team/api (account 123456789012, eu-west-1): push it, then run again (README, "Releasing an image")');
        assert.equal(notPushedMessage({ repository: "api", tag: "v1" }), 'api:v1 is not in repository api: push it, then run again (README, "Releasing an image")');
        assert.equal(notPushedMessage({ repository: "api", tag: "v1", region: "eu-west-1" }), 'api:v1 is not in repository api (eu-west-1): push it, then run again (README, "Releasing an image")');
        assert.equal(notPushedMessage(lookup, "repository"), 'api:1.4.2 cannot be read: repository team/api (account 123456789012, eu-west-1) does not exist; create it and push the tag, then run again (README, "Releasing an image")');
    });

    it("passes on why a lookup failed", () => {
        assert.equal(lookupFailedMessage(lookup, new Error("throttled")), "could not look up api:1.4.2 in repository team/api (account 123456789012, eu-west-1): throttled");
        assert.equal(lookupFailedMessage({ repository: "api", tag: "v1" }, "offline"), "could not look up api:v1 in repository api: offline");
    });

    it("runs the digest it found, unless the stack file pinned another", () => {
        assert.equal(checkResolvedDigest(lookup, "sha256:aaa"), "sha256:aaa");
        assert.equal(checkResolvedDigest(lookup, "sha256:aaa", "sha256:aaa"), "sha256:aaa");
        assert.throws(
            () => checkResolvedDigest(lookup, "sha256:bbb", "sha256:aaa"),
            (error: unknown) => error instanceof ImageNotFoundError && RunError.isInstance(error) && error.name === "ImageNotFoundError" && error.message === digestMismatchMessage(lookup, "sha256:aaa", "sha256:bbb"),
        );
        assert.equal(
            digestMismatchMessage(lookup, "sha256:aaa", "sha256:bbb"),
            "api:1.4.2 in repository team/api (account 123456789012, eu-west-1) is sha256:bbb, but image.digest says sha256:aaa: deploy the digest you promoted, or correct image.digest",
        );
    });
});

describe("workload checks: values of the wrong type and patterns given as data", () => {
    const worker = (args: Record<string, unknown>) => problems(queueWorkerArgsSchema, { ...placement, ...args });

    it("give a queue worker's wrongly typed scaling bound its type's message only", () => {
        assert.deepEqual(worker({ scaling: { min: "3", max: 2 } }), ['scaling.min: expected a number, got "3"']);
        assert.deepEqual(worker({ scaling: { min: 3, max: "2" } }), ['scaling.max: expected a number, got "2"']);
    });

    it("say a queue ARN that is not an ARN is not one", () => {
        assert.deepEqual(worker({ queue: { arn: "nope" } }), ['queue.arn: "nope" is not an SQS queue ARN']);
    });

    it("take an event pattern given as an object as it is, and judge its shape", () => {
        const issues = (pattern: unknown) => {
            const found: { path: PropertyKey[]; message: string }[] = [];
            checkEventPattern(pattern, { addIssue: (issue: { path: PropertyKey[]; message: string }) => found.push(issue) } as unknown as z.RefinementCtx, ["eventPattern"]);
            return found.map((i) => `${i.path.join(".")}: ${i.message}`);
        };
        assert.deepEqual(issues({ source: ["aws.s3"] }), []);
        assert.deepEqual(issues({}), ['eventPattern: must be an EventBridge event pattern: an object such as { "source": ["aws.s3"], "detail-type": ["Object Created"] }']);
    });
});
