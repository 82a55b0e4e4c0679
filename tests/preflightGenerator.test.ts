import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { EventTaskArgs, FargateServiceArgs, QueueWorkerArgs, ScheduledTaskArgs } from "../components";
import { describeFinding, runPreflight } from "../core/preflight";
import { FARGATE_SIZES } from "../core/fargateSizes";
import { LOG_RETENTION_VALUES } from "../core/serviceSchema";
import { ValidationError } from "../core/validation";
import { runProgram } from "../plan/engine";
import { resolveEnvironment } from "../stacks/environment";
import { environmentProgram } from "../stacks/program";

/**
 * The generator test: random valid stack files and component arguments, with the longest names
 * and every option, are accepted, and every resource they register passes every preflight rule;
 * a stack file with one random change either plans with no finding or fails with a configuration
 * error naming its keys. Running a program on the mock engine is what costs, so the pure checks
 * run on many more cases than the programs.
 */

/**
 * How many cases each property tries: 360 whole programs (stack files, services, workloads) reach
 * the preflight rules. A planned stack file costs about 0.08 s on an idle 2-core machine, a service
 * about 0.02 s; the file takes about 15 s there, under the 30 s the suite allows it.
 */
const RUNS = { stackFilesResolved: 300, stackFilesPlanned: 100, mutatedStackFiles: 60, services: 200, workloads: 60 };

const PROJECT = "fargate-service";
const REGION = "us-east-1";

// ---------- building blocks ----------

const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/**
 * As a user writes it: plain objects. fast-check builds maps without a prototype, which Pulumi's
 * SDK cannot serialise (its program then never finishes); no stack file or TypeScript literal makes those.
 */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Drops undefined values, as a YAML file would not have them. */
function clean<T extends Record<string, unknown>>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Workload names as a stack file takes them, the longest (20 characters) often. */
const workloadName = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,19}$/), oneOf("a", "payments-api-v2-eu01", "x234567890123456789z"));
const stackName = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), oneOf("dev", "production-eu-01"));
/** Component names as TypeScript users write them: anything, long ones included. */
const componentName = fc.oneof(
    fc.string({ minLength: 1, maxLength: 120 }).filter((s) => !s.includes("::") && s.trim() === s && s.length > 0),
    oneOf("My_Api.Service", "internal-api", "sg-web", "payments.reconciliation.service.with.a.very.long.name.for.production-eu-west-1"),
);

const size = fc.constantFrom(...Object.entries(FARGATE_SIZES).flatMap(([cpu, memories]) => [memories[0], memories[memories.length - 1]].map((memory) => ({ cpu: Number(cpu), memory }))));
const timezone = oneOf("Europe/Paris", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+9", "Pacific/Tahiti");
const schedule = oneOf("cron(0 20 ? * MON-FRI *)", "cron(15 3 * * ? *)", "rate(5 minutes)", "rate(1 hour)", "cron(0 7 1 * ? *)", "at(2030-12-24T18:00:00)");
const retention = fc.constantFrom(...LOG_RETENTION_VALUES);
const image = fc.oneof(fc.constant({ uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" }), fc.constant({ tag: "1.4.2" }));
const tags = maybe(fc.dictionary(oneOf("team", "cost-center", "owner", "app"), fc.stringMatching(/^[a-z0-9-]{1,40}$/), { maxKeys: 3 }));

const container = (port: boolean) =>
    fc.record(
        {
            port: port ? maybe(fc.integer({ min: 1024, max: 65535 })) : fc.constant(undefined),
            command: maybe(oneOf(["node", "server.js"], ["sh", "-c", "echo hello"])),
            environment: maybe(fc.dictionary(oneOf("APP_MODE", "LOG_LEVEL", "REGION_NAME"), oneOf("info", "debug", "blue"), { maxKeys: 3 })),
            secrets: maybe(fc.constant({ DB_PASSWORD: `arn:aws:secretsmanager:${REGION}:123456789012:secret:db-AbCdEf` })),
            healthCheck: maybe(fc.constant({ command: ["CMD-SHELL", "wget -q -O- localhost:8080/health || exit 1"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 })),
            stopTimeout: maybe(fc.integer({ min: 2, max: 110 })),
            readonlyRootFilesystem: maybe(fc.boolean()),
            writablePaths: maybe(fc.constant(["/tmp"])),
            user: maybe(fc.constant("1000:1000")),
        },
        { requiredKeys: [] },
    ).map((c) => clean(c as Record<string, unknown>));

/** What every task has; some ARM64 tasks on-demand only. */
const task = (port: boolean) =>
    fc
        .record({ size, arm: fc.boolean(), image, container: container(port), retentionDays: maybe(retention), enableExecuteCommand: maybe(fc.boolean()), tags, statements: fc.boolean() })
        .map(({ size: s, arm, container: c, retentionDays, statements, ...rest }) =>
            clean({
                image: rest.image,
                cpu: s.cpu,
                memory: s.memory,
                architecture: arm ? "ARM64" : undefined,
                capacity: arm ? { fargateWeight: 1, spotWeight: 0 } : undefined,
                container: Object.keys(c).length ? c : undefined,
                logs: retentionDays !== undefined ? { retentionDays } : undefined,
                enableExecuteCommand: rest.enableExecuteCommand,
                taskRole: statements ? { statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::uploads/*"] }] } : undefined,
                tags: rest.tags,
            }),
        );

const scaling = (balanced: boolean) =>
    fc
        .record({
            min: fc.integer({ min: 1, max: 3 }),
            extra: fc.integer({ min: 0, max: 7 }),
            cpuTarget: maybe(fc.integer({ min: 1, max: 100 })),
            memoryTarget: maybe(fc.integer({ min: 1, max: 100 })),
            requestsPerTarget: balanced ? maybe(fc.integer({ min: 1, max: 1000000 })) : fc.constant(undefined),
            schedules: maybe(fc.tuple(schedule, timezone, schedule, timezone)),
        })
        .map(({ min, extra, schedules, ...rest }) =>
            clean({
                min,
                max: min + extra,
                ...rest,
                schedules: schedules ? [{ name: "night", schedule: schedules[0], timezone: schedules[1], min: 0, max: 0 }, { name: "morning-long-name_01", schedule: schedules[2], timezone: schedules[3], min, max: min + extra }] : undefined,
            }),
        );

/** A web service of a stack file; `rule` when several share the load balancer. */
const stackService = (rule: Record<string, unknown> | undefined, balanced: boolean) =>
    fc.record({ t: task(balanced), scaling: maybe(scaling(balanced)), deployment: maybe(fc.record({ minHealthyPercent: fc.integer({ min: 0, max: 100 }), maxPercent: fc.integer({ min: 101, max: 200 }) })), interval: fc.integer({ min: 6, max: 60 }), delay: fc.integer({ min: 0, max: 119 }) }).map(
        ({ t, scaling: s, deployment, interval, delay }) =>
            clean({
                ...t,
                desiredCount: s ? s.min : undefined,
                scaling: s,
                deployment,
                loadBalancer: balanced ? clean({ rule, healthCheck: { path: "/health", interval, timeout: Math.min(5, interval - 1) }, deregistrationDelay: delay }) : { enabled: false },
            }),
    );

/** Up to four web services; with several balanced ones, each routes its own path (and maybe host). */
const services = fc
    .uniqueArray(workloadName, { minLength: 1, maxLength: 4 })
    .chain((names) =>
        fc.tuple(fc.constant(names), fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }), fc.boolean()).chain(([ns, balancedFlags, withHosts]) => {
            const balanced = ns.filter((_, i) => balancedFlags[i]);
            return fc
                .tuple(...ns.map((n, i) => stackService(balanced.length > 1 && balancedFlags[i] ? { priority: 10 * (i + 1), pathPatterns: [`/${n}/*`, `/${n}`], ...(withHosts ? { hostHeaders: [`svc${i}.example.com`] } : {}) } : undefined, balancedFlags[i])))
                .map((specs) => Object.fromEntries(ns.map((n, i) => [n, specs[i]])));
        }),
    );

const network = fc.oneof(
    fc.record({ mode: fc.constant("vpc"), availabilityZones: oneOf(2, 3, 6), taskSubnets: fc.constant("private"), natGateways: oneOf("single", "onePerAz"), cidr: oneOf("10.0.0.0/16", "10.42.0.0/20") }),
    fc.record({ mode: fc.constant("vpc"), taskSubnets: fc.constant("private"), natGateways: fc.constant("none"), vpcEndpoints: fc.constant(true) }),
    fc.record({ mode: fc.constant("vpc"), taskSubnets: fc.constant("public"), natGateways: fc.constant("none") }),
    fc.record({ mode: fc.constant("default"), taskSubnets: fc.constant("public") }),
    fc.record({ mode: fc.constant("existing"), vpcId: fc.constant("vpc-0abc1234"), publicSubnetIds: fc.constant(["subnet-0a1", "subnet-0b2"]), privateSubnetIds: fc.constant(["subnet-0c3", "subnet-0d4"]), taskSubnets: oneOf("public", "private") }),
);

const queueWorker = fc
    .record({ t: task(false), min: fc.integer({ min: 0, max: 2 }), extra: fc.integer({ min: 1, max: 20 }), queue: maybe(fc.record({ visibilityTimeout: fc.integer({ min: 0, max: 43200 }), retentionDays: fc.integer({ min: 1, max: 14 }), maxReceiveCount: fc.integer({ min: 1, max: 1000 }) })) })
    .map(({ t, min, extra, queue }) => clean({ ...t, scaling: { min, max: min + extra }, queue }));
const scheduledTask = fc
    .record({ t: task(false), schedule, timezone: maybe(timezone), enabled: maybe(fc.boolean()), retry: maybe(fc.record({ maximumAttempts: fc.integer({ min: 0, max: 185 }), maximumEventAgeSeconds: fc.integer({ min: 60, max: 86400 }) })) })
    .map(({ t, ...rest }) => clean({ ...t, ...rest }));
const eventTask = task(false).map((t) => ({ ...t, eventPattern: { source: ["aws.s3"], "detail-type": ["Object Created"] }, environmentFromEvent: { BUCKET: "$.detail.bucket.name" } }));

/** The project's keys of a valid stack file (without the namespace), and the stack it is for. */
const stackFile = fc
    .record({
        stack: stackName,
        prod: fc.boolean(),
        network: maybe(network),
        services,
        queueWorkers: maybe(fc.dictionary(fc.constantFrom("jobs", "imports-from-partner"), queueWorker, { maxKeys: 2 })),
        scheduledTasks: maybe(fc.dictionary(fc.constantFrom("cleanup", "nightly-report-job-1"), scheduledTask, { maxKeys: 2 })),
        eventTasks: maybe(fc.dictionary(fc.constantFrom("on-upload"), eventTask, { maxKeys: 1 })),
        containerInsights: maybe(oneOf("enabled", "enhanced", "disabled")),
        loadBalancer: maybe(fc.record({ idleTimeout: fc.integer({ min: 1, max: 4000 }), allowedCidrs: oneOf(["0.0.0.0/0"], ["203.0.113.0/24", "2001:db8::/32"]), accessLogs: fc.record({ enabled: fc.boolean(), expireAfterDays: fc.integer({ min: 1, max: 3650 }) }) })),
        alarms: maybe(fc.record({ email: fc.constant(["oncall@example.com"]), cpuPercent: fc.integer({ min: 1, max: 100 }) })),
        dashboard: maybe(fc.boolean()),
        tags,
    })
    .map(({ stack, prod, containerInsights, alarms, ...rest }) => ({
        stack,
        config: consistent(clean({
            preset: prod ? "prod" : "dev",
            ...rest,
            queueWorkers: rest.queueWorkers && Object.keys(rest.queueWorkers).length ? rest.queueWorkers : undefined,
            scheduledTasks: rest.scheduledTasks && Object.keys(rest.scheduledTasks).length ? rest.scheduledTasks : undefined,
            eventTasks: rest.eventTasks && Object.keys(rest.eventTasks).length ? rest.eventTasks : undefined,
            cluster: containerInsights ? { containerInsights } : undefined,
            // Prod serves HTTPS: a domain in Route 53 (the preset refuses plain HTTP there).
            domain: prod ? { name: "app.example.com", zoneName: "example.com" } : undefined,
            alarms: alarms && (prod || alarms) ? (prod ? alarms : { enabled: true, ...alarms }) : undefined,
        }) as Record<string, unknown>),
    }));

/** What relates keys across the file, as a user who read the errors would write it. */
function consistent(config: Record<string, any>): Record<string, unknown> {
    const out = plain(config);
    const workloads = ["services", "queueWorkers", "scheduledTasks", "eventTasks"].flatMap((kind) => Object.values<Record<string, any>>(out[kind] ?? {}));
    // Private subnets without NAT reach only the region's own ECR: images come from the service's repository.
    if (out.network?.taskSubnets === "private" && out.network?.natGateways === "none") {
        for (const w of workloads) if (w.image.uri) w.image = { tag: "1.4.2" };
    }
    // Backlog per task needs the running task count, which only Container Insights publishes. (In
    // prod no queue worker is possible without it: "queueDepth" trips on the preset's backlogPerTask.)
    if (out.cluster?.containerInsights === "disabled" && out.queueWorkers) {
        if (out.preset === "prod") out.cluster.containerInsights = "enabled";
        else for (const w of Object.values<Record<string, any>>(out.queueWorkers)) w.scaling = { ...w.scaling, policy: "queueDepth" };
    }
    return out;
}

// ---------- running ----------

function resolve(stack: string, config: Record<string, unknown>) {
    return resolveEnvironment(config, { project: PROJECT, stack, source: `Pulumi.${stack}.yaml`, region: REGION });
}

/** Plans a stack file's config on the mock engine, as `npm run plan` does, and runs the preflight on what it registered. */
async function plan(stack: string, config: Record<string, unknown>) {
    const flat: Record<string, string> = { "aws:region": REGION };
    for (const [key, value] of Object.entries(config)) flat[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    const run = await runProgram(environmentProgram, { project: PROJECT, stack, config: flat });
    return runPreflight(run.resources);
}

/** A clear configuration error: a ValidationError whose every line names a key and says what is wrong. */
function assertClearConfigError(error: unknown): void {
    assert.ok(error instanceof ValidationError || (error as Error)?.name === "ValidationError", `not a configuration error: ${(error as Error)?.stack ?? error}`);
    const problems = (error as ValidationError).problems;
    assert.ok(problems.length > 0);
    for (const p of problems) assert.ok(p.path.length > 0 && p.message.length > 0, JSON.stringify(p));
}

async function runComponents(build: () => void): Promise<string[]> {
    const run = await runProgram(build, { project: "proj", stack: "test", config: { "aws:region": REGION } });
    return runPreflight(run.resources).map(describeFinding);
}

/** Sets the value at a random path of a config to a random value: one mistake a user could make. */
const mutation = fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), oneOf("IST", "/*", "api/*", "My_Api.Service", "1e400")));
function mutate(config: Record<string, unknown>, [pick, value]: [number, unknown]): Record<string, unknown> {
    const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, at: (string | number)[]) => {
        if (node && typeof node === "object") {
            for (const [k, v] of Object.entries(node)) {
                const next = [...at, Array.isArray(node) ? Number(k) : k];
                paths.push(next);
                walk(v, next);
            }
        }
    };
    walk(copy, []);
    const target = paths[pick % paths.length];
    let parent: any = copy;
    for (const key of target.slice(0, -1)) parent = parent[key];
    parent[target[target.length - 1]] = value;
    return copy;
}

// ---------- the properties ----------

describe("generated stack files and component arguments", function () {
    this.timeout(120000);

    let components: typeof import("../components");
    before(async () => {
        components = await import("../components");
    });

    it(`accepts ${RUNS.stackFilesResolved} random valid stack files, the longest names and every option included`, () => {
        fc.assert(
            fc.property(stackFile, ({ stack, config }) => {
                resolve(stack, config);
            }),
            { numRuns: RUNS.stackFilesResolved },
        );
    });

    it(`plans ${RUNS.stackFilesPlanned} random valid stack files, every resource passing every preflight rule`, async () => {
        await fc.assert(
            fc.asyncProperty(stackFile, async ({ stack, config }) => {
                assert.deepEqual(await plan(stack, config), []);
            }),
            { numRuns: RUNS.stackFilesPlanned },
        );
    });

    it(`answers ${RUNS.mutatedStackFiles} stack files with one random mistake by a plan that passes the preflight or a configuration error naming the key`, async () => {
        await fc.assert(
            fc.asyncProperty(stackFile, mutation, async ({ stack, config }, change) => {
                const changed = mutate(config, change);
                let findings: string[] | undefined;
                try {
                    resolve(stack, changed);
                    findings = (await plan(stack, changed)).map(describeFinding);
                } catch (error) {
                    assertClearConfigError(error);
                }
                if (findings) assert.deepEqual(findings, []);
            }),
            { numRuns: RUNS.mutatedStackFiles },
        );
    });

    const placement = { vpcId: "vpc-0abc1234", subnetIds: ["subnet-0c3", "subnet-0d4"] };
    const listenerArn = `arn:aws:elasticloadbalancing:${REGION}:123456789012:listener/app/shared/50dc6c495c0c9188/0467ef3c8400ae65`;
    const serviceArgs = fc
        .record({
            t: task(true),
            scaling: maybe(scaling(true)),
            lb: fc.oneof(
                fc.constant({ enabled: false }),
                fc.record({ subnetIds: fc.constant(["subnet-0a1", "subnet-0b2"]), internal: maybe(fc.boolean()), idleTimeout: maybe(fc.integer({ min: 1, max: 4000 })), allowedCidrs: maybe(oneOf(["10.0.0.0/8"], ["::/0"])), accessLogs: maybe(fc.record({ expireAfterDays: fc.integer({ min: 1, max: 3650 }) })), https: fc.boolean(), deregistrationDelay: maybe(fc.integer({ min: 0, max: 119 })) }).map((lb) =>
                    clean({ ...lb, https: lb.https || undefined, certificateArn: lb.https ? `arn:aws:acm:${REGION}:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab` : undefined }),
                ),
                fc.record({ priority: fc.integer({ min: 1, max: 50000 }), hosts: maybe(fc.constant(["*.example.com", "API.Example.com"])), paths: fc.constant(["/api/*", "/v?/items"]) }).map(({ priority, hosts, paths }) => ({
                    listenerArn,
                    securityGroupId: "sg-0abc1234",
                    rule: clean({ priority, hostHeaders: hosts, pathPatterns: paths }),
                })),
            ),
            clusterInsights: maybe(oneOf("enabled", "enhanced", "disabled")),
        })
        .map(({ t, scaling: s, lb, clusterInsights }) =>
            clean({ ...placement, ...t, desiredCount: s?.min, scaling: "enabled" in lb && s ? { ...s, requestsPerTarget: undefined } : s, loadBalancer: lb, cluster: clusterInsights ? { containerInsights: clusterInsights } : undefined }),
        );

    it(`builds ${RUNS.services} random FargateServices under random names whose every resource passes every preflight rule`, async () => {
        await fc.assert(
            fc.asyncProperty(componentName, serviceArgs, async (name, args) => {
                const findings = await runComponents(() => {
                    new components.FargateService(name, plain(args) as FargateServiceArgs);
                });
                assert.deepEqual(findings, []);
            }),
            { numRuns: RUNS.services },
        );
    });

    it(`builds ${RUNS.workloads} random queue workers, scheduled tasks and event tasks under random names whose every resource passes every preflight rule`, async () => {
        await fc.assert(
            fc.asyncProperty(componentName, queueWorker, scheduledTask, eventTask, async (name, worker, scheduled, event) => {
                const clusterArn = `arn:aws:ecs:${REGION}:123456789012:cluster/shared`;
                const findings = await runComponents(() => {
                    new components.QueueWorker(`${name}-w`, plain({ ...placement, ...worker }) as QueueWorkerArgs);
                    new components.ScheduledTask(`${name}-s`, plain({ ...placement, clusterArn, ...scheduled }) as ScheduledTaskArgs);
                    const { eventPattern, ...rest } = plain(event);
                    new components.EventTask(`${name}-e`, { ...placement, clusterArn, ...rest, eventPattern: JSON.stringify(eventPattern) } as EventTaskArgs);
                });
                assert.deepEqual(findings, []);
            }),
            { numRuns: RUNS.workloads },
        );
    });
});
