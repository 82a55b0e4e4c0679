import * as assert from "node:assert/strict";
import { InputPropertiesError, RunError } from "@pulumi/pulumi/errors";
import type { FargateServiceArgs } from "../components";
import { run, throwsProblems } from "./helpers";

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const base: FargateServiceArgs = {
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-a", "subnet-b"],
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
    loadBalancer: { subnetIds: ["subnet-c", "subnet-d"] },
};

/** Constructs a service with `args` merged over a valid base, expecting each fragment in the error. */
function rejects(args: Record<string, unknown>, ...fragments: string[]): string {
    return throwsProblems(() => new components.FargateService("api", { ...base, ...args } as FargateServiceArgs), ...fragments);
}

describe("FargateService argument validation", () => {
    it("rejects a CPU size Fargate does not offer, listing the sizes", () => {
        rejects({ cpu: 300 }, 'FargateService "api": args.cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)');
    });

    it("rejects memory that does not go with the CPU size, listing what does", () => {
        rejects({ cpu: 256, memory: 4096 }, "args.memory: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048");
        rejects({ cpu: 1024, memory: 1024 }, "args.memory: 1024 is not valid with cpu 1024; allowed: 2048 to 8192 in steps of 1024");
    });

    it("rejects a port outside 1-65535", () => {
        rejects({ container: { port: 70000 } }, "args.container.port: 70000 is above the maximum of 65535");
        rejects({ container: { port: 0 } }, "args.container.port: 0 is below the minimum of 1");
    });

    it("rejects a scaling minimum above the maximum", () => {
        rejects({ desiredCount: 3, scaling: { min: 5, max: 4 } }, "args.scaling.min: 5 is above scaling.max (4)");
    });

    it("rejects a desired count outside the scaling range", () => {
        rejects({ desiredCount: 1, scaling: { min: 2, max: 4 } }, "args.desiredCount: 1 is below scaling.min (2)");
        rejects({ desiredCount: 9, scaling: { min: 2, max: 4 } }, "args.desiredCount: 9 is above scaling.max (4)");
    });

    it("rejects a negative capacity weight or base", () => {
        rejects({ capacity: { spotWeight: -1 } }, "args.capacity.spotWeight: -1 is below the minimum of 0");
        rejects({ capacity: { fargateBase: -2 } }, "args.capacity.fargateBase: -2 is below the minimum of 0");
    });

    it("rejects a strategy in which no provider has weight", () => {
        rejects({ capacity: { fargateWeight: 0, spotWeight: 0 } }, "args.capacity: fargateWeight and spotWeight are both 0");
    });

    it("accepts ARM64 tasks on Fargate Spot, which runs them on platform 1.4.0 or later", () => {
        assert.doesNotThrow(() => new components.FargateService("arm-spot", { ...base, architecture: "ARM64", capacity: { fargateBase: 1, spotWeight: 2 } }));
    });

    it("rejects HTTPS without a certificate", () => {
        rejects({ loadBalancer: { subnetIds: ["a", "b"], https: true } }, "args.loadBalancer.https: is true but loadBalancer.certificateArn is not set");
    });

    it("rejects a deregistration delay longer than the Spot notice when Spot is used", () => {
        rejects({ loadBalancer: { subnetIds: ["a", "b"], deregistrationDelay: 180 } }, "args.loadBalancer.deregistrationDelay: 180 does not fit inside the two-minute Fargate Spot notice");
    });

    it("accepts that same delay when the service runs on-demand only", () => {
        assert.doesNotThrow(() => new components.FargateService("ok", { ...base, capacity: { spotWeight: 0 }, loadBalancer: { subnetIds: ["a", "b"], deregistrationDelay: 180 } }));
    });

    it("names a misspelt key and suggests the right one", () => {
        rejects({ desiredCont: 2 }, 'args.desiredCont: unknown key; did you mean "desiredCount"?');
        rejects({ container: { prot: 80 } }, 'args.container.prot: unknown key; did you mean "port"?');
    });

    it("lists the allowed keys when a key is nowhere near one", () => {
        rejects({ deployment: { zzzzzzzz: true } }, "args.deployment.zzzzzzzz: unknown key; allowed here: strategy, minHealthyPercent, maxPercent, healthCheckGracePeriod, waitForSteadyState, bakeTimeMinutes, linear, canary, testTraffic, lifecycleHooks, alarms");
    });

    it("says what type was expected and what was given", () => {
        rejects({ desiredCount: "two" }, 'args.desiredCount: expected a number, got "two"');
        rejects({ desiredCount: 1.5 }, "args.desiredCount: expected an integer, got 1.5");
        rejects({ enableExecuteCommand: "yes" }, 'args.enableExecuteCommand: expected true or false, got "yes"');
    });

    it("requires exactly one image source", () => {
        rejects({ image: {} }, "args.image: set one of uri, tag or build");
        rejects({ image: { uri: "nginx", tag: "v1" } }, "args.image: set only one of uri, tag or build (got uri and tag)");
    });

    it("refuses repository settings that would be silently ignored", () => {
        rejects({ repository: { forceDelete: true } }, "args.repository: has no effect with image.uri");
    });

    it("refuses load balancer settings on a worker with no load balancer", () => {
        rejects({ loadBalancer: { enabled: false, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" } }, "args.loadBalancer.certificateArn: has no effect: loadBalancer.enabled is false");
    });

    it("refuses scaling settings when scaling is off", () => {
        rejects({ scaling: { enabled: false, max: 10 } }, "args.scaling.max: has no effect: scaling.enabled is false");
    });

    it("rejects a secret that is neither a Secrets Manager nor an SSM ARN", () => {
        rejects({ container: { secrets: { DB: "my-password" } } }, 'args.container.secrets.DB: "my-password" is not the ARN of a Secrets Manager secret or an SSM parameter');
    });

    it("rejects AWS credentials in plain environment variables (ECS.8)", () => {
        rejects({ container: { environment: { AWS_SECRET_ACCESS_KEY: "abc" } } }, "args.container.environment.AWS_SECRET_ACCESS_KEY: holds a credential in clear text");
    });

    it("rejects a health check timeout that is not shorter than its interval", () => {
        rejects({ loadBalancer: { subnetIds: ["a", "b"], healthCheck: { interval: 5, timeout: 5 } } }, "args.loadBalancer.healthCheck.timeout: 5 must be shorter than the interval (5)");
    });

    it("requires the security group and a rule when attaching to a shared listener", () => {
        rejects(
            { loadBalancer: { listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/1/2" } },
            "args.loadBalancer.securityGroupId: is required with listenerArn",
            "args.loadBalancer.rule: is required with listenerArn",
        );
    });

    it("refuses new-load-balancer settings on a service attached to a shared listener", () => {
        rejects(
            { loadBalancer: { listenerArn: "arn:x", securityGroupId: "sg-1", rule: { priority: 1, pathPatterns: ["/*"] }, deletionProtection: true } },
            "args.loadBalancer.deletionProtection: belongs to the shared load balancer",
        );
    });

    it("requires two subnets for a new load balancer", () => {
        rejects({ loadBalancer: { subnetIds: ["subnet-a"] } }, "args.loadBalancer.subnetIds: has 1; an Application Load Balancer needs subnets in at least two Availability Zones");
        rejects({ loadBalancer: {} }, "args.loadBalancer.subnetIds: is required for a new load balancer");
    });

    it("rejects a schedule expression that does not parse, and an unknown time zone", () => {
        rejects(
            { scaling: { schedules: [{ name: "night", schedule: "cron(0 20 * * *)", timezone: "Mars/Olympus", min: 0, max: 0 }] } },
            "args.scaling.schedules[0].schedule: cron(0 20 * * *) has 5 fields; AWS cron has 6",
            'args.scaling.schedules[0].timezone: is not an IANA time zone',
        );
    });

    it("refuses service-wide and all-action IAM grants (IAM.21, IAM.1)", () => {
        rejects({ taskRole: { statements: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::b/*"] }] } }, 'args.taskRole.statements[0].actions[0]: "s3:*" allows every action of the service (Security Hub IAM.21)');
        rejects({ taskRole: { statements: [{ actions: ["*"], resources: ["*"] }] } }, 'args.taskRole.statements[0].actions[0]: "*" allows every action of every service (Security Hub IAM.1)');
    });

    it("needs both the ARN and the name of an existing cluster", () => {
        rejects({ cluster: { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/x" } }, "args.cluster: give both arn and name");
    });

    it("rejects a deployment that could never start a new task", () => {
        rejects({ deployment: { minHealthyPercent: 100, maxPercent: 100 } }, "args.deployment.maxPercent: 100 with minHealthyPercent 100 leaves no room");
    });

    it("rejects duplicate sidecar names and sidecars that leave nothing for the main container", () => {
        rejects({ sidecars: [{ name: "app", image: "x", cpu: 300 }] }, 'args.sidecars[0].name: "app" is already used in this task', "args.sidecars: reserve 300 CPU units, leaving nothing of the task's 256");
    });

    it("lists every problem in one error, one line each", () => {
        const message = rejects({ cpu: 300, desiredCount: -1, architecture: "SPARC" }, "args.cpu", "args.desiredCount", "args.architecture");
        assert.equal(message.split("\n").length, 3);
        assert.ok(message.includes('args.architecture: "SPARC" is not one of "X86_64", "ARM64"'));
    });

    it("fails before registering any resource", async () => {
        let failure: Error | undefined;
        const r = await run(() => {
            try {
                new components.FargateService("api", { ...base, cpu: 300 });
            } catch (error) {
                failure = error as Error;
            }
            return {};
        });
        assert.equal(failure?.name, "ValidationError");
        assert.deepEqual(r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack"), []);
    });

    it("hides the stack trace from Pulumi (a run error) for a user's mistake", () => {
        try {
            new components.FargateService("api", { ...base, cpu: 300 });
            assert.fail("expected an error");
        } catch (error) {
            assert.equal(RunError.isInstance(error), true);
        }
    });

    it("gives Pulumi one error per property, so every language shows each against its argument", () => {
        try {
            new components.FargateService("api", { ...base, cpu: 300, desiredCount: -1 });
            assert.fail("expected an error");
        } catch (error) {
            assert.equal(InputPropertiesError.isInstance(error), true);
            const { errors, message } = error as InputPropertiesError;
            assert.deepEqual(errors.map((e) => e.propertyPath).sort(), ["cpu", "desiredCount"]);
            // The message users read is unchanged: one line per problem, the key path as they wrote it.
            for (const e of errors) assert.ok(message.split("\n").includes(`FargateService "api": args.${e.propertyPath}: ${e.reason}`), message);
        }
    });
});
