import { DeploymentStrategy } from "./enums";

/**
 * AWS's rules for a service's deployment strategy (ECS's own controller: rolling, blue/green,
 * linear, canary) and what each costs in time. Pure: the schema, the component and the deploy
 * model read the same facts.
 *
 * Sources, read 2026-11-23:
 * - DeploymentConfiguration: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 * - LinearConfiguration: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html
 * - CanaryConfiguration: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html
 * - DeploymentLifecycleHook: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html
 * - AdvancedConfiguration: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html
 * - Failure detection (circuit breaker and alarms, both for rolling and blue/green-family deployments):
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-failure-detection.html
 * - The Terraform provider's aws_ecs_service schema (bake times 0..1440, step percent 3..100,
 *   canary percent 0.1..100): https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs/service.go
 */

export const STRATEGY_SOURCES = {
    configuration: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html",
    linear: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html",
    canary: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html",
    hooks: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html",
    loadBalancer: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html",
    headerCondition: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpHeaderConditionConfig.html",
    alarmBake: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html",
    backToRolling: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/update-bluegreen-to-rolling.html",
} as const;

/** AWS's name of each strategy (`deploymentConfiguration.strategy`). */
export const ECS_STRATEGY: Record<DeploymentStrategy, string> = {
    rolling: "ROLLING",
    blueGreen: "BLUE_GREEN",
    linear: "LINEAR",
    canary: "CANARY",
};

/** Bake times (the whole deployment's, a linear step's, the canary's) are whole minutes from 0 to 1440 (24 hours). */
export const BAKE_MINUTES = { min: 0, max: 1440 } as const;
/** A linear step: multiples of 0.1 from 3.0 to 100.0 percent of production traffic. */
export const LINEAR_STEP_PERCENT = { min: 3, max: 100 } as const;
/** The canary's share: multiples of 0.1 from 0.1 to 100.0 percent of production traffic. */
export const CANARY_PERCENT = { min: 0.1, max: 100 } as const;
/** An ALB http-header condition: a name of at most 40 characters (RFC 7230 token characters), values of at most 128. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/;
export const HEADER_VALUE_MAX = 128;

/**
 * What a strategy's settings default to. The linear and canary figures are AWS's own defaults;
 * the bake time is ours (AWS requires one for BLUE_GREEN): five minutes keeps the old tasks
 * ready for an instant rollback while a problem shows in the alarms.
 */
export const STRATEGY_DEFAULTS = {
    strategy: DeploymentStrategy.Rolling,
    bakeTimeMinutes: 5,
    linear: { stepPercent: 10, stepBakeTimeMinutes: 6 },
    canary: { percent: 5, bakeTimeMinutes: 10 },
    testTrafficHeader: "x-deployment-test",
} as const;

/**
 * The deployment alarms the service makes for itself watch one-minute periods, two of them: short
 * enough to fail a bake time of a few minutes, long enough that one bad minute does not roll back.
 * ECS watches them for a bake time it computes from the alarms' configuration after a rolling
 * update too (deployment-alarm-failure.html); the deploy model takes it as periods × period.
 */
export const DEPLOYMENT_ALARM = { period: 60, evaluationPeriods: 2 } as const;

/** The providers' wait for a service (create and update) unless told longer: 20 minutes (service.go, Timeouts). */
export const PROVIDER_WAIT_MINUTES = 20;

/** Whether ECS shifts traffic between two target groups for this strategy (everything but rolling). */
export function shiftsTraffic(strategy: string | undefined): boolean {
    return strategy !== undefined && strategy !== DeploymentStrategy.Rolling && strategy !== "ROLLING";
}

/**
 * Whether a service keeps a second target group, the production rule ECS owns and ECS's traffic
 * role: always with blue/green, linear and canary, and under a rolling update when
 * `alternateTargetGroup` says so. A service that leaves blue/green for rolling needs that: ECS keeps
 * serving from whichever group is live and rolls out into it (STRATEGY_SOURCES.backToRolling), while
 * a rule pointed back at the first group could send production traffic to a group with no tasks.
 */
export function keepsAlternateTargetGroup(deployment: { strategy?: string; alternateTargetGroup?: boolean } | undefined): boolean {
    return shiftsTraffic(deployment?.strategy) || deployment?.alternateTargetGroup === true;
}

/** Whether `value` is a multiple of 0.1 (as AWS requires of step and canary percentages), allowing float noise. */
export function isTenth(value: number): boolean {
    return Number.isFinite(value) && Math.abs(value * 10 - Math.round(value * 10)) < 1e-6;
}

/**
 * The number of linear steps that are followed by a step bake time: 100 / stepPercent shifts,
 * and no wait after the one that reaches 100%. AWS's formula (CloudFormation's
 * LinearConfiguration page): (100 ÷ stepPercent) − 1 when it divides evenly, else its floor.
 */
export function linearBakedSteps(stepPercent: number): number {
    const tenths = Math.round(stepPercent * 10);
    if (tenths <= 0) return 0;
    return 1000 % tenths === 0 ? 1000 / tenths - 1 : Math.floor(1000 / tenths);
}

/** A deployment configuration as the ECS service takes it (`bakeTimeInMinutes` and friends are strings in the provider). */
export interface EcsStrategyConfiguration {
    strategy: string;
    bakeTimeInMinutes?: string;
    linearConfiguration?: { stepPercent: number; stepBakeTimeInMinutes: string };
    canaryConfiguration?: { canaryPercent: number; canaryBakeTimeInMinutes: string };
}

/** The strategy settings of a service's `deployment` argument. */
export interface StrategySettings {
    strategy?: string;
    bakeTimeMinutes?: number;
    linear?: { stepPercent?: number; stepBakeTimeMinutes?: number };
    canary?: { percent?: number; bakeTimeMinutes?: number };
}

/** The ECS form of a strategy, defaults filled in: always with its strategy, so going back to rolling is sent too. */
export function ecsStrategyConfiguration(settings: StrategySettings): EcsStrategyConfiguration {
    const strategy = (settings.strategy ?? STRATEGY_DEFAULTS.strategy) as DeploymentStrategy;
    if (!shiftsTraffic(strategy)) return { strategy: ECS_STRATEGY.rolling };
    const config: EcsStrategyConfiguration = {
        strategy: ECS_STRATEGY[strategy],
        bakeTimeInMinutes: String(settings.bakeTimeMinutes ?? STRATEGY_DEFAULTS.bakeTimeMinutes),
    };
    if (strategy === DeploymentStrategy.Linear) {
        const linear = { ...STRATEGY_DEFAULTS.linear, ...settings.linear };
        config.linearConfiguration = { stepPercent: linear.stepPercent, stepBakeTimeInMinutes: String(linear.stepBakeTimeMinutes) };
    }
    if (strategy === DeploymentStrategy.Canary) {
        const canary = { ...STRATEGY_DEFAULTS.canary, ...settings.canary };
        config.canaryConfiguration = { canaryPercent: canary.percent, canaryBakeTimeInMinutes: String(canary.bakeTimeMinutes) };
    }
    return config;
}

/** The waits of a strategy, in seconds: while traffic shifts (linear steps, the canary) and the bake time after. */
export interface StrategyWaits {
    strategy: string;
    /** Waits while production traffic moves: linear steps × step bake, or the canary's bake. */
    shifting: number;
    /** The bake time after all traffic has moved, old tasks still running. */
    bake: number;
    /** How the shifting wait is made up, in words. */
    detail: string;
}

const minutes = (value: string | number | undefined) => Number(value ?? 0) * 60;

/** What a strategy waits, from the ECS service's own inputs (the deploy model reads these, the component writes them). */
export function strategyWaits(given: Partial<EcsStrategyConfiguration> | undefined): StrategyWaits {
    const config = given ?? {};
    const strategy = config.strategy ?? "ROLLING";
    if (!shiftsTraffic(strategy)) return { strategy, shifting: 0, bake: 0, detail: "" };
    const bake = minutes(config.bakeTimeInMinutes);
    if (strategy === "LINEAR") {
        const step = config.linearConfiguration?.stepPercent ?? STRATEGY_DEFAULTS.linear.stepPercent;
        const stepBake = minutes(config.linearConfiguration?.stepBakeTimeInMinutes ?? STRATEGY_DEFAULTS.linear.stepBakeTimeMinutes);
        const steps = linearBakedSteps(step);
        return { strategy, shifting: steps * stepBake, bake, detail: `${steps} steps of ${step}% × ${stepBake} s` };
    }
    if (strategy === "CANARY") {
        const canary = config.canaryConfiguration;
        const wait = minutes(canary?.canaryBakeTimeInMinutes ?? STRATEGY_DEFAULTS.canary.bakeTimeMinutes);
        return { strategy, shifting: wait, bake, detail: `${canary?.canaryPercent ?? STRATEGY_DEFAULTS.canary.percent}% canary × ${wait} s` };
    }
    return { strategy, shifting: 0, bake, detail: "" };
}

/**
 * How long the provider may wait for a deployment: its 20 minutes, or more when the strategy's
 * own waits leave less than 10 minutes for starting and draining tasks. A blue/green deploy with
 * a 30-minute bake would otherwise fail `pulumi up` on a timeout while ECS was still baking.
 */
export function providerWaitMinutes(config: Partial<EcsStrategyConfiguration> | undefined, alarmBakeSeconds = 0): number {
    const waits = strategyWaits(config);
    const needed = Math.ceil((waits.shifting + waits.bake + alarmBakeSeconds) / 60) + 10;
    return Math.max(PROVIDER_WAIT_MINUTES, needed);
}

export interface StrategyProblem {
    path: PropertyKey[];
    message: string;
}

type Loose = Record<string, any>;
const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Rules that relate a deployment's fields to each other and to the service: what AWS refuses
 * and what would silently do nothing. Paths are relative to the service's arguments.
 */
export function strategyProblems(deployment: unknown, service: { balanced: boolean; productionPriority?: number }): StrategyProblem[] {
    if (!isObject(deployment)) return [];
    const problems: StrategyProblem[] = [];
    const at = (...path: PropertyKey[]) => ["deployment", ...path];
    const strategy: string = typeof deployment.strategy === "string" ? deployment.strategy : STRATEGY_DEFAULTS.strategy;
    const shifting = shiftsTraffic(strategy);

    if (shifting && !service.balanced) {
        problems.push({
            path: at("strategy"),
            message: `${strategy} needs a load balancer: ECS moves traffic between two target groups through a listener rule (${STRATEGY_SOURCES.loadBalancer}); use strategy rolling for a service without one`,
        });
    }
    if (deployment.alternateTargetGroup === true && !service.balanced) {
        problems.push({ path: at("alternateTargetGroup"), message: "needs a load balancer: it keeps the second target group and the listener rule ECS moves traffic with" });
    }
    if (deployment.alternateTargetGroup === false && shifting) {
        problems.push({
            path: at("alternateTargetGroup"),
            message: `cannot be false with strategy ${strategy}: ECS moves traffic between the two target groups (${STRATEGY_SOURCES.loadBalancer})`,
        });
    }
    if (!shifting) {
        for (const key of ["bakeTimeMinutes", "testTraffic", "lifecycleHooks"]) {
            if (deployment[key] !== undefined) {
                problems.push({ path: at(key), message: `has no effect with strategy rolling: it belongs to blueGreen, linear and canary deployments (${STRATEGY_SOURCES.configuration})` });
            }
        }
    } else {
        for (const key of ["minHealthyPercent", "maxPercent"]) {
            if (deployment[key] !== undefined) {
                problems.push({
                    path: at(key),
                    message: `has no effect with strategy ${strategy}: ECS starts a full set of new tasks beside the old ones; the percentages size a rolling update only (${STRATEGY_SOURCES.configuration})`,
                });
            }
        }
    }
    if (deployment.linear !== undefined && strategy !== DeploymentStrategy.Linear) {
        problems.push({ path: at("linear"), message: `is only for strategy linear (got ${strategy}): AWS takes linearConfiguration with LINEAR alone (${STRATEGY_SOURCES.linear})` });
    }
    if (deployment.canary !== undefined && strategy !== DeploymentStrategy.Canary) {
        problems.push({ path: at("canary"), message: `is only for strategy canary (got ${strategy}): AWS takes canaryConfiguration with CANARY alone (${STRATEGY_SOURCES.canary})` });
    }

    const test = isObject(deployment.testTraffic) ? deployment.testTraffic : undefined;
    if (shifting && test && service.balanced) {
        const production = service.productionPriority;
        // Left out, the test rule takes the production rule's priority − 1 (never too high); given as anything but a number, its type is the problem;
        // without a production priority (Infinity), there is no rule to be matched before.
        const priority = test.priority;
        if (priority === undefined && production === 1) {
            problems.push({ path: at("testTraffic", "priority"), message: "is required: the production rule has priority 1, so no lower number is left for the test rule, which must be matched first" });
        } else if (typeof priority === "number" && priority >= (production ?? Infinity)) {
            problems.push({
                path: at("testTraffic", "priority"),
                message: `${priority} must be lower than the production rule's priority (${production}): the test rule matches a subset of its requests and must be evaluated first`,
            });
        }
    }

    const alarms = isObject(deployment.alarms) ? deployment.alarms : undefined;
    if (alarms) {
        const names = Array.isArray(alarms.alarmNames) ? alarms.alarmNames : [];
        if (alarms.loadBalancerAlarms === true && !service.balanced) {
            problems.push({ path: at("alarms", "loadBalancerAlarms"), message: "needs a load balancer: the 5xx and unhealthy-target alarms read the target group's metrics" });
        }
        if (names.length === 0 && alarms.loadBalancerAlarms !== true) {
            problems.push({ path: at("alarms"), message: "watches no alarm: give alarmNames, or loadBalancerAlarms: true (ECS needs at least one alarm name)" });
        }
        if (alarms.error5xxPercent !== undefined && alarms.loadBalancerAlarms !== true) {
            problems.push({ path: at("alarms", "error5xxPercent"), message: "has no effect without loadBalancerAlarms: true" });
        }
    }
    return problems;
}
