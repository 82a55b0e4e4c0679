import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import * as ts from "typescript";
import { SCALING_DEFAULTS } from "../components/autoscaling";
import { SERVICE_DEFAULTS } from "../components/fargateService";
import { LOAD_BALANCER_DEFAULTS } from "../components/loadBalancer";
import { QUEUE_SCALING_DEFAULTS } from "../components/queueScaling";
import { QUEUE_DEFAULTS } from "../components/queueWorker";
import { REPOSITORY_DEFAULTS } from "../components/repository";
import { ALARM_DEFAULTS } from "../components/serviceAlarms";
import { CONTAINER_DEFAULTS } from "../components/task";
import { RETRY_DEFAULTS } from "../components/workloadArgs";
import { DEFAULT_CAPACITY } from "../core/capacity";
import { DEFAULT_TASK_CPU } from "../core/fargateSizes";
import { DEPLOYMENT_DEFAULTS, TARGET_DEFAULTS } from "../core/serviceDefaults";
import { PRESETS } from "../stacks/presets";

/**
 * Defaults are written once, as constants the code applies; the argument docs that users read
 * (`@default` in JSDoc, what typedoc and editors show) must say the same. Each row: an argument's
 * documentation and the constant the component falls back to when it is left out.
 */

const root = path.resolve(__dirname, "..");

/** The `@default` text of each property of each interface in a file: `Interface.property` → text. */
function documentedDefaults(file: string): Map<string, string> {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
    const found = new Map<string, string>();
    source.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node)) return;
        for (const member of node.members) {
            if (!ts.isPropertySignature(member) || !member.name) continue;
            for (const tag of ts.getJSDocTags(member)) {
                if (tag.tagName.text !== "default") continue;
                const text = typeof tag.comment === "string" ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? "";
                found.set(`${node.name.text}.${member.name.getText(source)}`, text.trim());
            }
        }
    });
    return found;
}

/**
 * The value a `@default` text states: a code span (`` `{ a: 1 }` ``) or a literal at its start
 * (`2 (one per Availability Zone of two)`: 2). Evaluated as JavaScript, in a context of its own.
 */
function statedValue(text: string): unknown {
    const code = /^`([^`]+)`/.exec(text)?.[1] ?? /^(-?\d+(\.\d+)?|"[^"]*"|true|false|\[[^\]]*\])(?=$|[\s,;(])/.exec(text)?.[1];
    if (code === undefined) return Symbol(`no value in "${text}"`);
    try {
        // Through JSON: objects of another context have another prototype.
        return JSON.parse(JSON.stringify(vm.runInNewContext(`(${code})`, {})));
    } catch {
        return Symbol(`not a value: "${text}"`);
    }
}

type Row = [file: string, argument: string, constant: unknown];

const ROWS: Row[] = [
    ...Object.entries(TARGET_DEFAULTS.healthCheck).map(([key, value]): Row => ["components/fargateServiceArgs.ts", `TargetHealthCheckArgs.${key}`, value]),
    ["components/fargateServiceArgs.ts", "ServiceLoadBalancingArgs.healthCheck", TARGET_DEFAULTS.healthCheck],
    ["components/fargateServiceArgs.ts", "ServiceLoadBalancingArgs.deregistrationDelay", TARGET_DEFAULTS.deregistrationDelay],
    ["components/fargateServiceArgs.ts", "FargateServiceArgs.desiredCount", SERVICE_DEFAULTS.desiredCount],
    ...Object.entries(DEPLOYMENT_DEFAULTS).map(([key, value]): Row => ["components/workloadArgs.ts", `DeploymentArgs.${key}`, value]),
    ...Object.entries(RETRY_DEFAULTS).map(([key, value]): Row => ["components/workloadArgs.ts", `RetryArgs.${key}`, value]),
    ["components/workloadArgs.ts", "TaskPlacementArgs.retry", RETRY_DEFAULTS],
    ["components/workloadArgs.ts", "ServicePlacementArgs.capacity", DEFAULT_CAPACITY],
    ["components/cluster.ts", "FargateClusterArgs.capacity", DEFAULT_CAPACITY],
    ...Object.entries(DEFAULT_CAPACITY).map(([key, value]): Row => ["components/capacityArgs.ts", `CapacityArgs.${key}`, value]),
    ...Object.entries(SCALING_DEFAULTS).map(([key, value]): Row => ["components/autoscaling.ts", `ScalingArgs.${key}`, value]),
    ...Object.entries(ALARM_DEFAULTS).map(([key, value]): Row => ["components/serviceAlarms.ts", `AlarmThresholdsArgs.${key}`, value]),
    ...Object.entries(QUEUE_DEFAULTS).map(([key, value]): Row => ["components/queueWorker.ts", `QueueArgs.${key}`, value]),
    ...Object.entries(QUEUE_SCALING_DEFAULTS).map(([key, value]): Row => ["components/queueScaling.ts", `QueueScalingArgs.${key}`, value]),
    ...Object.entries(REPOSITORY_DEFAULTS).map(([key, value]): Row => ["components/repository.ts", `RepositoryArgs.${key}`, value]),
    ["components/loadBalancer.ts", "ServiceLoadBalancerArgs.idleTimeout", LOAD_BALANCER_DEFAULTS.idleTimeout],
    ["components/loadBalancer.ts", "AccessLogsArgs.expireAfterDays", LOAD_BALANCER_DEFAULTS.accessLogExpiryDays],
    ["components/task.ts", "FargateTaskArgs.cpu", DEFAULT_TASK_CPU],
    ["components/containerArgs.ts", "ContainerArgs.port", CONTAINER_DEFAULTS.port],
    ["components/containerArgs.ts", "ContainerArgs.stopTimeout", CONTAINER_DEFAULTS.stopTimeout],
    ["components/containerArgs.ts", "ContainerArgs.writablePaths", CONTAINER_DEFAULTS.writablePaths],
    ...Object.entries(CONTAINER_DEFAULTS.healthCheck).map(([key, value]): Row => ["components/containerArgs.ts", `ContainerHealthCheckArgs.${key}`, value]),
];

describe("defaults written once", () => {
    it("reads a stated default from a code span or from the start of the text, and nothing else", () => {
        assert.deepEqual(statedValue("`{ path: \"/\", interval: 10 }`"), { path: "/", interval: 10 });
        assert.equal(statedValue("2 (one per Availability Zone of two)"), 2);
        assert.equal(statedValue('"200-399"'), "200-399");
        assert.deepEqual(statedValue('["/tmp"]'), ["/tmp"]);
        assert.equal(typeof statedValue("twice `desiredCount`"), "symbol");
        assert.equal(typeof statedValue("20 s"), "number");
    });

    const docs = new Map<string, Map<string, string>>();
    for (const [file, argument, constant] of ROWS) {
        it(`documents ${argument} with the default the code applies (${JSON.stringify(constant)})`, () => {
            if (!docs.has(file)) docs.set(file, documentedDefaults(file));
            const text = docs.get(file)!.get(argument);
            assert.ok(text !== undefined, `${file}: ${argument} has no @default`);
            assert.deepEqual(statedValue(text), JSON.parse(JSON.stringify(constant)), `${file}: ${argument} says @default ${text}`);
        });
    }

    it("starts prod's load-balanced services from the component's own health check, drain and rollout", () => {
        const prod = PRESETS.prod;
        assert.deepEqual(prod.loadBalancedService.loadBalancer, {
            deregistrationDelay: TARGET_DEFAULTS.deregistrationDelay,
            healthCheck: {
                interval: TARGET_DEFAULTS.healthCheck.interval,
                timeout: TARGET_DEFAULTS.healthCheck.timeout,
                healthyThreshold: TARGET_DEFAULTS.healthCheck.healthyThreshold,
                unhealthyThreshold: TARGET_DEFAULTS.healthCheck.unhealthyThreshold,
            },
        });
        const { waitForSteadyState: _wait, ...rollout } = DEPLOYMENT_DEFAULTS;
        assert.deepEqual(prod.service.deployment, rollout);
    });

    it("writes no default number of the health check, drain or rollout a second time in the schema, the presets or the target group", () => {
        const literal = /(\?\?|:)\s*(10|30|60|100|200)\b\s*[,;)}]/;
        const places = ["core/serviceSchema.ts", "components/serviceTarget.ts", "components/fargateService.ts"];
        const found = places.flatMap((file) =>
            fs
                .readFileSync(path.join(root, file), "utf8")
                .split("\n")
                .filter((line) => /interval|deregistrationDelay|minHealthyPercent|maxPercent|healthCheckGracePeriod/.test(line) && literal.test(line) && !line.trim().startsWith("*"))
                .map((line) => `${file}: ${line.trim()}`),
        );
        assert.deepEqual(found, []);
    });

    it("judges a setting a program left out by AWS's own default, written once (core/aws/awsDefaults.ts)", () => {
        const literal = /(deregistrationDelay|interval|stopTimeout|startPeriod)\s*\?\?\s*\d/;
        const files = ["analysis/deployModel.ts", "analysis/readers.ts", "analysis/controls/reliability.ts", "plan/settings.ts"];
        const found = files.flatMap((file) =>
            fs
                .readFileSync(path.join(root, file), "utf8")
                .split("\n")
                .filter((line) => literal.test(line))
                .map((line) => `${file}: ${line.trim()}`),
        );
        assert.deepEqual(found, []);
    });
});
