import * as assert from "node:assert/strict";
import fc from "fast-check";
import { fargateServiceArgsSchema, isCidr } from "../core/serviceSchema";
import { problemsFrom } from "../core/validation";

/**
 * The cross-field rules of a service's arguments (core/serviceSchema.ts), judged by the schema
 * alone: each rule's exact message at its exact key, and nothing for arguments that keep it.
 */

const base = {
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-a", "subnet-b"],
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
    loadBalancer: { subnetIds: ["subnet-c", "subnet-d"] },
};

/** The problems of `base` with `args` merged over it, as `key: message` lines. */
function problems(args: Record<string, unknown>): string[] {
    const result = fargateServiceArgsSchema.safeParse({ ...base, ...args }, { reportInput: true });
    return result.success ? [] : problemsFrom(result.error, fargateServiceArgsSchema).map((p) => `${p.path}: ${p.message}`);
}

describe("service checks: the task", () => {
    it("accepts the base arguments", () => {
        assert.deepEqual(problems({}), []);
    });

    it("needs exactly one image source", () => {
        assert.deepEqual(problems({ image: {} }), ["image: set one of uri, tag or build"]);
        assert.deepEqual(problems({ image: { uri: "nginx:1", tag: "v1" } }), ["image: set only one of uri, tag or build (got uri and tag)"]);
    });

    it("refuses repository settings beside an image URI", () => {
        assert.deepEqual(problems({ repository: {} }), ["repository: has no effect with image.uri: a repository is created only for image.tag or image.build"]);
    });

    it("checks memory against the CPU size, 256 when the CPU is not given", () => {
        assert.deepEqual(problems({ memory: 4096 }), ["memory: 4096 is not valid with cpu 256; allowed: 512, 1024, 2048"]);
        assert.deepEqual(problems({ cpu: 1024, memory: 2048 }), []);
        assert.deepEqual(problems({ cpu: 300, memory: 4096 }), ["cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)"]);
    });

    it("refuses credentials in plain environment variables, and a variable also in secrets", () => {
        const secret = "arn:aws:ssm:eu-west-1:123456789012:parameter/db";
        assert.ok(problems({ container: { environment: { AWS_SECRET_ACCESS_KEY: "x" } } }).some((p) => p.startsWith("container.environment.AWS_SECRET_ACCESS_KEY: holds a credential in clear text")));
        assert.ok(problems({ container: { environment: { DB_HOST: "db" }, secrets: { DB_HOST: secret } } }).includes("container.environment.DB_HOST: is also in secrets; a variable comes from one place only"));
        assert.deepEqual(problems({ container: { environment: { DB_HOST: "db" }, secrets: { DB_PASS: secret } } }), []);
    });

    it("needs a health check command that starts with CMD, CMD-SHELL or NONE", () => {
        assert.deepEqual(problems({ container: { healthCheck: { command: ["curl", "-f", "x"] } } }), ['container.healthCheck.command: must start with "CMD" or "CMD-SHELL", got "curl"']);
        for (const first of ["CMD", "CMD-SHELL", "NONE"]) assert.deepEqual(problems({ container: { healthCheck: { command: [first, "true"] } } }), []);
    });

    it("refuses a writable path listed twice", () => {
        assert.deepEqual(problems({ container: { writablePaths: ["/tmp", "/var", "/tmp"] } }), ['container.writablePaths[2]: "/tmp" is listed twice']);
    });

    it("refuses a sidecar named like another container, and checks a sidecar's own container", () => {
        const sidecar = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: "busybox", ...extra });
        assert.deepEqual(problems({ sidecars: [sidecar("app")] }), ['sidecars[0].name: "app" is already used in this task (the main container is "app")']);
        assert.deepEqual(problems({ sidecars: [sidecar("log"), sidecar("log")] }), ['sidecars[1].name: "log" is already used in this task (the main container is "app")']);
        assert.deepEqual(problems({ sidecars: [sidecar("log", { container: { writablePaths: ["/a", "/a"] } })] }), ['sidecars[0].container.writablePaths[1]: "/a" is listed twice']);
    });

    it("needs a health check on a sidecar the main container waits for", () => {
        assert.deepEqual(problems({ sidecars: [{ name: "proxy", image: "envoy", startBeforeMain: true }] }), [
            "sidecars[0].startBeforeMain: needs container.healthCheck on the sidecar: the main container waits for it to report healthy",
        ]);
        assert.deepEqual(problems({ sidecars: [{ name: "proxy", image: "envoy", startBeforeMain: true, container: { healthCheck: { command: ["CMD", "true"] } } }] }), []);
    });

    it("leaves the main container some CPU and memory after the sidecars' reservations", () => {
        const sidecars = (cpu: number, memory: number) => [{ name: "log", image: "busybox", cpu, memory }];
        assert.deepEqual(problems({ sidecars: sidecars(256, 128) }), ["sidecars: reserve 256 CPU units, leaving nothing of the task's 256 for the main container"]);
        assert.deepEqual(problems({ sidecars: sidecars(128, 512) }), ["sidecars: reserve 512 MiB, leaving nothing of the task's 512 MiB for the main container"]);
        assert.deepEqual(problems({ cpu: 512, memory: 2048, sidecars: sidecars(511, 2047) }), []);
    });

    it("refuses IAM grants of every action, of a whole service, and of wildcards on every resource", () => {
        const statement = (actions: string[], resources: string[], effect?: string) => ({ taskRole: { statements: [{ actions, resources, ...(effect ? { effect } : {}) }] } });
        assert.deepEqual(problems(statement(["*"], ["arn:aws:s3:::b"])), ['taskRole.statements[0].actions[0]: "*" allows every action of every service (Security Hub IAM.1); list the actions the application calls']);
        assert.deepEqual(problems(statement(["s3:GetObject", "s3:*"], ["arn:aws:s3:::b"])), ['taskRole.statements[0].actions[1]: "s3:*" allows every action of the service (Security Hub IAM.21); list the actions the application calls']);
        assert.deepEqual(problems(statement(["s3:Get*"], ["*"])), ['taskRole.statements[0].resources: "*" with a wildcard action grants far more than an application needs; name the resources']);
        assert.deepEqual(problems(statement(["s3:GetObject"], ["*"])), []);
        assert.deepEqual(problems(statement(["*"], ["*"], "Deny")), []);
    });
});

describe("service checks: capacity, load balancer, deployment, scaling", () => {
    it("needs a capacity provider with weight, ARM64 tasks on Spot included", () => {
        assert.deepEqual(problems({ capacity: { fargateWeight: 0, spotWeight: 0 } }), ["capacity: fargateWeight and spotWeight are both 0: ECS needs at least one provider with a weight above 0"]);
        assert.deepEqual(problems({ capacity: { fargateWeight: 0 } }), []);
        assert.deepEqual(problems({ capacity: { spotWeight: 0 } }), []);
        assert.deepEqual(problems({ architecture: "ARM64", capacity: { spotWeight: 1 } }), []);
    });

    it("refuses load balancer settings when the load balancer is off", () => {
        assert.deepEqual(problems({ loadBalancer: { enabled: false, internal: true } }), ["loadBalancer.internal: has no effect: loadBalancer.enabled is false"]);
        assert.deepEqual(problems({ loadBalancer: { enabled: false } }), []);
    });

    it("needs a certificate or a domain for HTTPS, and a zone for a domain", () => {
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, https: true } }), [
            "loadBalancer.https: is true but loadBalancer.certificateArn is not set: HTTPS needs an ACM certificate (or a domain to create one for)",
        ]);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, https: true, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } }), []);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, https: true, domain: { name: "api.example.com" } } }), [
            "loadBalancer.domain: needs zoneName or zoneId: the Route 53 zone where the certificate is validated",
        ]);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, https: true, domain: { name: "api.example.com", zoneId: "Z1" } } }), []);
    });

    it("needs a health check timeout shorter than its interval (5 s when unset)", () => {
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, healthCheck: { timeout: 5 } } }), ["loadBalancer.healthCheck.timeout: 5 must be shorter than the interval (5)"]);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, healthCheck: { timeout: 4 } } }), []);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, healthCheck: { timeout: 20, interval: 30 } } }), []);
    });

    it("fits draining inside the Spot notice when Spot is used, and only then", () => {
        const message = "loadBalancer.deregistrationDelay: 120 does not fit inside the two-minute Fargate Spot notice: an interrupted task is stopped while still draining; use less than 120, or no Spot (capacity.spotWeight: 0)";
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, deregistrationDelay: 120 } }), [message]);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, deregistrationDelay: 119 } }), []);
        assert.deepEqual(problems({ capacity: { spotWeight: 0 }, loadBalancer: { ...base.loadBalancer, deregistrationDelay: 300 } }), []);
    });

    it("refuses a deployment that could never start a new task", () => {
        assert.deepEqual(problems({ deployment: { maxPercent: 100 } }), ["deployment.maxPercent: 100 with minHealthyPercent 100 leaves no room to start a new task: a deployment could never progress"]);
        assert.deepEqual(problems({ deployment: { maxPercent: 100, minHealthyPercent: 50 } }), []);
        assert.deepEqual(problems({ deployment: { minHealthyPercent: 100 } }), []);
    });

    it("keeps the scaling range and the desired count consistent", () => {
        assert.deepEqual(problems({ scaling: { min: 5, max: 4 } }), ["scaling.min: 5 is above scaling.max (4)"]);
        assert.deepEqual(problems({ desiredCount: 5, scaling: { max: 4 } }), ["scaling.min: 5 is above scaling.max (4)", "desiredCount: 5 is above scaling.max (4)"]);
        assert.deepEqual(problems({ desiredCount: 1, scaling: { min: 2, max: 4 } }), ["desiredCount: 1 is below scaling.min (2)"]);
        assert.deepEqual(problems({ desiredCount: 4, scaling: { min: 4, max: 4 } }), []);
    });

    it("needs a load balancer for request-count scaling", () => {
        assert.deepEqual(problems({ loadBalancer: { enabled: false }, scaling: { requestsPerTarget: 100 } }), ["scaling.requestsPerTarget: needs a load balancer: requests per target are counted by the target group"]);
        assert.deepEqual(problems({ scaling: { requestsPerTarget: 100 } }), []);
    });

    it("checks scheduled scaling: min not above max, names used once", () => {
        const schedule = (name: string, min: number, max: number) => ({ name, schedule: "cron(0 8 ? * MON-FRI *)", min, max });
        assert.deepEqual(problems({ scaling: { schedules: [schedule("day", 3, 2), schedule("day", 1, 2)] } }), ["scaling.schedules[0].min: 3 is above max (2)", 'scaling.schedules[1].name: "day" is used by another schedule']);
        assert.deepEqual(problems({ scaling: { schedules: [schedule("day", 2, 2), schedule("night", 0, 0)] } }), []);
    });

    it("refuses scaling settings when scaling is off", () => {
        assert.deepEqual(problems({ scaling: { enabled: false, max: 4 } }), ["scaling.max: has no effect: scaling.enabled is false"]);
        assert.deepEqual(problems({ scaling: { enabled: false } }), []);
    });
});

describe("service checks: which cluster and which load balancer", () => {
    it("needs both the ARN and the name of an existing cluster, whose Container Insights it leaves alone", () => {
        const arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/main";
        assert.deepEqual(problems({ cluster: { arn } }), ["cluster: give both arn and name of an existing cluster (autoscaling addresses services by cluster name)"]);
        assert.deepEqual(problems({ cluster: { name: "main" } }), ["cluster: give both arn and name of an existing cluster (autoscaling addresses services by cluster name)"]);
        assert.deepEqual(problems({ cluster: { arn, name: "main" } }), []);
        assert.deepEqual(problems({ cluster: { arn, name: "main", containerInsights: "enhanced" } }), ["cluster.containerInsights: has no effect on an existing cluster, which keeps its own setting"]);
    });

    it("needs a security group and a rule on a shared listener, and no new-load-balancer settings", () => {
        const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/1/2";
        assert.deepEqual(problems({ loadBalancer: { listenerArn } }), [
            "loadBalancer.securityGroupId: is required with listenerArn: the tasks admit traffic from that group only",
            "loadBalancer.rule: is required with listenerArn: which requests on the shared listener go to this service?",
        ]);
        assert.deepEqual(problems({ loadBalancer: { listenerArn, securityGroupId: "sg-1", rule: { priority: 10, pathPatterns: ["/api/*"] }, internal: true } }), [
            "loadBalancer.internal: belongs to the shared load balancer, not to a service attached with listenerArn",
        ]);
        assert.deepEqual(problems({ loadBalancer: { listenerArn, securityGroupId: "sg-1", rule: { priority: 10, pathPatterns: ["/api/*"] } } }), []);
    });

    it("needs two subnets for a new load balancer, and no shared-listener settings", () => {
        assert.deepEqual(problems({ loadBalancer: {} }), ["loadBalancer.subnetIds: is required for a new load balancer (public subnets in two or more Availability Zones), or give listenerArn, or set enabled: false"]);
        assert.deepEqual(problems({ loadBalancer: { subnetIds: ["subnet-c"] } }), ["loadBalancer.subnetIds: has 1; an Application Load Balancer needs subnets in at least two Availability Zones"]);
        assert.deepEqual(problems({ loadBalancer: { ...base.loadBalancer, rule: { priority: 10, pathPatterns: ["/api/*"] }, securityGroupId: "sg-1" } }), [
            "loadBalancer.rule: is only for a shared listener (with listenerArn); a new load balancer sends all its traffic to this service",
            "loadBalancer.securityGroupId: is only for a shared listener (with listenerArn)",
        ]);
    });
});

describe("CIDR blocks", () => {
    it("accepts IPv4 and IPv6 blocks within their bounds", () => {
        for (const block of ["0.0.0.0/0", "10.0.0.0/16", "255.255.255.255/32", "::/0", "2001:db8::/32", "2001:db8::/128"]) assert.equal(isCidr(block), true, block);
    });

    it("refuses octets above 255, prefixes above 32 or 128, and addresses without a prefix", () => {
        for (const block of ["256.0.0.0/8", "10.0.0.0/33", "10.0.0.0", "2001:db8::/129", "abcd/64", "10.0.0/8", "x10.0.0.0/8", "10.0.0.0/8x", "zz::1/64", "::/64x", "2001:db8::/32 "]) assert.equal(isCidr(block), false, block);
    });

    it("accepts every IPv4 block with octets up to 255 and a prefix up to 32 (generated)", () => {
        const octet = fc.integer({ min: 0, max: 255 });
        fc.assert(fc.property(octet, octet, octet, octet, fc.integer({ min: 0, max: 32 }), (a, b, c, d, prefix) => isCidr(`${a}.${b}.${c}.${d}/${prefix}`)));
        fc.assert(fc.property(octet, fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 3 }), (a, bad, at) => {
            const octets = [a, a, a, a];
            octets[at] = bad;
            return !isCidr(`${octets.join(".")}/24`);
        }));
    });
});

describe("service checks: values of the wrong type", () => {
    const once = (args: Record<string, unknown>, message: string) => assert.deepEqual(problems(args), [message], JSON.stringify(args));

    it("get their type's message only, not a second one from a rule that relates them to another field", () => {
        once({ scaling: { min: "3", max: 2 } }, 'scaling.min: expected a number, got "3"');
        once({ scaling: { min: 3, max: "2" } }, 'scaling.max: expected a number, got "2"');
        once({ desiredCount: "1", scaling: { min: 2 } }, 'desiredCount: expected a number, got "1"');
        once({ desiredCount: 1, scaling: { min: "2" } }, 'scaling.min: expected a number, got "2"');
        once({ desiredCount: "9", scaling: { max: 2 } }, 'desiredCount: expected a number, got "9"');
        once({ desiredCount: 9, scaling: { max: "2" } }, 'scaling.max: expected a number, got "2"');
        once({ scaling: { schedules: [{ name: "a", schedule: "rate(1 hour)", min: "3", max: 2 }] } }, 'scaling.schedules[0].min: expected a number, got "3"');
        once({ scaling: { schedules: [{ name: "a", schedule: "rate(1 hour)", min: 3, max: "2" }] } }, 'scaling.schedules[0].max: expected a number, got "2"');
        once({ scaling: { schedules: "x" } }, 'scaling.schedules: expected a list, got "x"');
        once({ loadBalancer: { subnetIds: ["a", "b"], healthCheck: { timeout: "15", interval: 10 } } }, 'loadBalancer.healthCheck.timeout: expected a number, got "15"');
        once({ loadBalancer: { subnetIds: ["a", "b"], healthCheck: { timeout: 15, interval: "10" } } }, 'loadBalancer.healthCheck.interval: expected a number, got "10"');
        once({ loadBalancer: { subnetIds: ["a", "b"], deregistrationDelay: "300" } }, 'loadBalancer.deregistrationDelay: expected a number, got "300"');
        once({ cpu: "1024", memory: 4096 }, 'cpu: expected a number, got "1024"');
        once({ loadBalancer: { subnetIds: ["a", "b"], domain: { name: 5, zoneName: "example.com" } } }, "loadBalancer.domain.name: expected a string, got 5");
        once({ loadBalancer: { subnetIds: ["a", "b"], domain: { name: "example.com", zoneName: 5, alternativeNames: ["x.example.org"] } } }, "loadBalancer.domain.zoneName: expected a string, got 5");
        assert.deepEqual(problems({ scaling: { schedules: [5, { name: 5, schedule: "rate(1 hour)", min: 1, max: 2 }, { name: 5, schedule: "rate(1 hour)", min: 1, max: 2 }] } }), [
            "scaling.schedules[0]: expected a map of keys, got 5",
            "scaling.schedules[1].name: expected a string, got 5",
            "scaling.schedules[2].name: expected a string, got 5",
        ]);
    });

    it("leave the other alternative names judged where they are in the list", () => {
        assert.deepEqual(problems({ loadBalancer: { subnetIds: ["a", "b"], domain: { name: "example.com", zoneName: "example.com", alternativeNames: [5, "x.example.org"] } } }), [
            "loadBalancer.domain.alternativeNames[0]: expected a string, got 5",
            'loadBalancer.domain.alternativeNames[1]: "x.example.org" is not in the Route 53 zone example.com (loadBalancer.domain.zoneName): the certificate is validated and the name pointed at the load balancer in that zone; route hosts under example.com only',
        ]);
    });

    it("give a shared listener's rule written as null or text one message, and judge a rule's paths at their own index", () => {
        const listener = { listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/1/2", securityGroupId: "sg-1" };
        once({ loadBalancer: { ...listener, rule: null } }, "loadBalancer.rule: expected a map of keys, got null");
        once({ loadBalancer: { ...listener, rule: "x" } }, 'loadBalancer.rule: expected a map of keys, got "x"');
        once({ loadBalancer: { ...listener, rule: { priority: 1, pathPatterns: ["/a", "nope"] } } }, 'loadBalancer.rule.pathPatterns[1]: "nope" must start with "/" (a request path always does, so this rule would never match); write "/nope"');
    });

    it("say an image read from another repository creates none, so repository settings have no effect", () => {
        once({ image: { tag: "v1", repository: "team/api" }, repository: {} }, "repository: has no effect with image.repository: the image is read from team/api, and no repository is created");
        assert.deepEqual(problems({ image: { tag: "v1", repository: "team/api" } }), []);
        assert.deepEqual(problems({ image: { tag: "v1" }, repository: {} }), []);
    });
});
