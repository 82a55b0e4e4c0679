import { DEPLOYMENT_ALARM, shiftsTraffic, strategyWaits } from "../core/deploymentStrategy";
import { ALB_METRIC_PERIOD, ALB_MIN_HEALTH_CHECK_INTERVAL, DRAIN_FLOOR_SECONDS, ZSTD_TASK_START_REDUCTION_UP_TO, alarmBakeSeconds } from "../core/deploySpeed";
import provisioning from "./data/provisioning-times.json";
import { AWS_DEFAULTS } from "../core/aws/awsDefaults";
import { deregistrationDelayOf, desiredTasks, mainContainerOf, managedInstancesProviderOf, targetGroupsOf, taskDefinitionOf } from "./readers";
import { StackGraph, StackResource, T } from "./stackResources";

/**
 * How long deploys take, from the settings that decide it.
 *
 * Rolling update of a service (ECS rolling deployment, circuit breaker on):
 *
 *     extra    = floor(desired × (maxPercent − 100) / 100)      tasks started above the desired count
 *     stoppable = desired − ceil(desired × minHealthyPercent / 100)   tasks stopped before replacements are healthy
 *     batch    = clamp(extra + stoppable, 1, desired)
 *     waves    = ceil(desired / batch)
 *     wave     = taskStart + appStart + healthy + drain + appStop
 *       healthy = load-balanced: one health-check interval (a newly registered target needs one passing check);
 *                 behind a Network Load Balancer, after its registration delay: a new target sits in
 *                 "initial" before the first check comes (70 to 120 s reported for Fargate ip targets:
 *                 https://github.com/aws/containers-roadmap/issues/469; AWS support quotes up to 3 to 5
 *                 minutes: https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/1834)
 *                 otherwise: the container health check's startPeriod + interval, or 0 without one
 *       drain   = the target group's deregistration delay (0 without a load balancer)
 *       appStop = min(stopTimeout, appStopSeconds)
 *     rolling  = waves × wave + alarmBake + steadyStateCheck
 *       alarmBake = with deployment alarms, the bake time ECS watches them for after the update:
 *                   ECS derives it from the alarms and it cannot be set; taken as the longest
 *                   period × evaluation periods of the alarms the stack makes, and the
 *                   alarmBakeSeconds assumption for alarms named only (core/deploySpeed.ts)
 *
 * Blue/green, linear and canary (ECS's own controller): a full second set of tasks starts at once
 * behind the alternate target group, traffic moves, the old set stays for the bake time, then drains:
 *
 *     shifted  = (taskStart + appStart + healthy) + shifting + bake + drain + appStop + steadyStateCheck
 *       shifting = linear: steps × stepBake (no wait after the step that reaches 100%);
 *                  canary: the canary's bake; blue/green: 0
 *     extra tasks: the whole desired count again, from the start until the old set has drained
 *                  (paid per deploy, never in the monthly estimate)
 *
 * First deploy: the longest chain of dependent resources, each taking its provisioning time
 * (analysis/data/provisioning-times.json); a service that waits for steady state takes one wave
 * without the drain (nothing to replace).
 */

export interface DeployAssumptions {
    /** Fargate capacity, ENI and image pull until the container starts. */
    taskStartSeconds: number;
    /** From container start until the app answers its health check. */
    appStartSeconds: number;
    /** From SIGTERM until the app has exited. */
    appStopSeconds: number;
    /** How long ECS takes to notice a deployment has finished. */
    steadyStateCheckSeconds: number;
    /** How long ECS watches deployment alarms after a rolling update, for alarms the plan only knows by name. */
    alarmBakeSeconds: number;
    /**
     * ECS Managed Instances: from a task that needs a new instance to its container starting
     * (instance launch, boot, agent registration, image pull). Used instead of taskStartSeconds for
     * services on Managed Instances, as if every wave needed a new instance: true of a GPU service
     * whose instances hold one task each, pessimistic where an idle instance has room.
     */
    instanceLaunchSeconds: number;
    /** How long a Network Load Balancer takes to register a new target before its first health check. */
    networkRegistrationSeconds: number;
    /** Provisioning time per resource type, over the data file's figures. */
    provisioningSeconds: Record<string, number>;
}

export const DEFAULT_DEPLOY_ASSUMPTIONS: DeployAssumptions = {
    taskStartSeconds: 45,
    appStartSeconds: 10,
    appStopSeconds: 5,
    steadyStateCheckSeconds: 15,
    alarmBakeSeconds: DEPLOYMENT_ALARM.period * DEPLOYMENT_ALARM.evaluationPeriods,
    // A third-party measurement: about 40 s from requesting a task with no instance running to the
    // app's first log line (https://blog.neilkuan.click/blog/2026-01-17-ecs-managed-instance). AWS
    // publishes no launch time; override with --assume instanceLaunchSeconds=<s>.
    instanceLaunchSeconds: 40,
    networkRegistrationSeconds: 120,
    provisioningSeconds: {},
};

/** An update of a running service (a rolling update, or a blue/green, linear or canary deployment). */
export interface RollingUpdate {
    service: string;
    urn: string;
    seconds: number;
    /** ECS's name of the strategy: ROLLING, BLUE_GREEN, LINEAR or CANARY. */
    strategy: string;
    desired: number;
    /** Tasks replaced at once (the whole desired count for the traffic-shifting strategies). */
    batch: number;
    waves: number;
    wave: { taskStart: number; appStart: number; healthy: number; drain: number; appStop: number };
    /** The strategy's waits, in seconds: traffic shifting, bake time, and the alarms' bake after a rolling update. */
    waits: { shifting: number; bake: number; alarms: number; detail: string };
    /** Tasks running beyond the desired count during the deploy, and for how long: a deploy-time cost, not a monthly one. */
    extraTasks: { count: number; seconds: number };
    /** Until the new version serves everything and the old one has stopped: the update without the alarms' bake and the steady-state check. */
    rolloutSeconds: number;
    /** What each lever would still save on this update, with what it keeps or gives up. */
    levers: DeployLever[];
}

/** A setting that shortens an update, and what it buys on this service. */
export interface DeployLever {
    /** A short name: health-check, drain, batch, image-start, alarm-bake. */
    id: string;
    /** The change, in words. */
    change: string;
    /** Seconds it saves on this update (the most, for an "up to" figure). */
    seconds: number;
    /** True when the figure is an upper bound the plan cannot check (AWS's "up to"). */
    upTo?: boolean;
    /** True when it keeps every safety net (rollback, alarms, drains that fit the Spot notice). */
    safe: boolean;
    /** Why it is safe, or what it gives up; with the source of the figure. */
    note: string;
}

export interface CriticalPathStep {
    urn: string;
    type: string;
    name: string;
    seconds: number;
    finishesAt: number;
}

export interface DeployEstimate {
    firstDeploySeconds: number;
    criticalPath: CriticalPathStep[];
    rollingUpdates: RollingUpdate[];
    assumptions: DeployAssumptions;
    formula: string;
}

export const FORMULA =
    "rolling = ceil(desired / batch) × (taskStart + appStart + healthy + drain + appStop) + alarmBake + steadyStateCheck; batch = clamp(floor(desired × (max% − 100) / 100) + desired − ceil(desired × min% / 100), 1, desired); blue/green, linear, canary = taskStart + appStart + healthy + shifting + bake + drain + appStop + steadyStateCheck";

export function rollingUpdate(graph: StackGraph, service: StackResource, assumptions: DeployAssumptions): RollingUpdate {
    const desired = Math.max(1, desiredTasks(service));
    const wave = waveTimes(graph, service, assumptions);
    const strategy = strategyWaits(service.inputs.deploymentConfiguration);
    const base = { service: service.name, urn: service.urn, strategy: strategy.strategy, desired, wave };
    const checked = checkedByLoadBalancer(graph, service);
    if (shiftsTraffic(strategy.strategy)) {
        // The green set starts in one go; the blue set drains once the bake time is over.
        const running = wave.taskStart + wave.appStart + wave.healthy + strategy.shifting + strategy.bake + wave.drain + wave.appStop;
        return {
            ...base,
            seconds: running + assumptions.steadyStateCheckSeconds,
            batch: desired,
            waves: 1,
            waits: { shifting: strategy.shifting, bake: strategy.bake, alarms: 0, detail: strategy.detail },
            extraTasks: { count: desired, seconds: running },
            rolloutSeconds: running,
            levers: waveLevers(wave, 1, checked),
        };
    }
    const max = Number(service.inputs.deploymentMaximumPercent ?? 200);
    const min = Number(service.inputs.deploymentMinimumHealthyPercent ?? 100);
    const extra = Math.floor((desired * (max - 100)) / 100);
    const stoppable = desired - Math.ceil((desired * min) / 100);
    const batch = Math.min(desired, Math.max(1, extra + stoppable));
    const waves = Math.ceil(desired / batch);
    const perWave = wave.taskStart + wave.appStart + wave.healthy + wave.drain + wave.appStop;
    const bake = service.inputs.alarms?.enable ? alarmBakeOf(graph, service, assumptions) : undefined;
    const alarms = bake?.seconds ?? 0;
    const levers = waveLevers(wave, waves, checked);
    if (waves > 1) {
        levers.push({
            id: "batch",
            change: `maxPercent 200: all ${desired} tasks in one wave, not ${waves}`,
            seconds: (waves - 1) * perWave,
            safe: true,
            note: "starts a full new set beside the old one: twice the tasks for the update, old ones stop only once the new ones are healthy",
        });
    }
    if (bake && bake.seconds > bake.period) {
        levers.push({
            id: "alarm-bake",
            change: `deployment alarms on 1 datapoint instead of ${bake.seconds / bake.period}`,
            seconds: bake.seconds - bake.period,
            safe: false,
            note: `not taken: ECS would watch the alarms for ${bake.period} s after the update instead of ${bake.seconds} s, and one bad minute would roll back; ALB metrics come every ${ALB_METRIC_PERIOD} s, so no alarm on them watches less`,
        });
    }
    return {
        ...base,
        seconds: waves * perWave + alarms + assumptions.steadyStateCheckSeconds,
        batch,
        waves,
        waits: { shifting: 0, bake: 0, alarms, detail: "" },
        extraTasks: { count: Math.min(extra, desired), seconds: extra > 0 ? waves * perWave : 0 },
        rolloutSeconds: waves * perWave,
        levers,
    };
}

/** Whether an Application Load Balancer health check decides when the service's new tasks take traffic. */
function checkedByLoadBalancer(graph: StackGraph, service: StackResource): boolean {
    const group = targetGroupsOf(graph, service)[0];
    return group !== undefined && ["HTTP", "HTTPS", undefined].includes(group.inputs.protocol);
}

/** The levers that shorten each wave: the health check, the drain and the image's start. */
function waveLevers(wave: RollingUpdate["wave"], waves: number, checked: boolean): DeployLever[] {
    const levers: DeployLever[] = [];
    if (checked && wave.healthy > ALB_MIN_HEALTH_CHECK_INTERVAL) {
        levers.push({
            id: "health-check",
            change: `health check every ${ALB_MIN_HEALTH_CHECK_INTERVAL} s (ALB's minimum), not ${wave.healthy} s`,
            seconds: waves * (wave.healthy - ALB_MIN_HEALTH_CHECK_INTERVAL),
            safe: true,
            note: "a new target takes traffic after one passing check; an unhealthy one is taken out sooner too",
        });
    }
    if (wave.drain > DRAIN_FLOOR_SECONDS) {
        levers.push({
            id: "drain",
            change: `deregistration delay ${DRAIN_FLOOR_SECONDS} s (the floor), not ${wave.drain} s`,
            seconds: waves * (wave.drain - DRAIN_FLOOR_SECONDS),
            safe: true,
            note: `requests in flight get ${DRAIN_FLOOR_SECONDS} s, then the app's stopTimeout; keep it at the app's longest request if that is longer`,
        });
    }
    if (wave.taskStart > 0) {
        levers.push({
            id: "image-start",
            change: "zstd image layers (made in the release flow)",
            seconds: waves * Math.round(wave.taskStart * ZSTD_TASK_START_REDUCTION_UP_TO),
            upTo: true,
            safe: true,
            note: `AWS measured task start up to ${Math.round(ZSTD_TASK_START_REDUCTION_UP_TO * 100)}% shorter, most for large images; not counted: the plan cannot see how an image is compressed`,
        });
    }
    return levers;
}

/**
 * The bake ECS adds after a rolling update watched by deployment alarms: the longest
 * period × evaluation periods of the alarms the stack makes, and the assumption for alarms it only
 * names (an alarm of another stack). `period` is the shortest datapoint among them.
 */
function alarmBakeOf(graph: StackGraph, service: StackResource, assumptions: DeployAssumptions): { seconds: number; period: number } {
    const made = graph.referencedBy(service, "alarms", T.metricAlarm).map((alarm) => {
        const periods = [alarm.inputs.period, ...((alarm.inputs.metricQueries as { metric?: { period?: number } }[] | undefined) ?? []).map((q) => q.metric?.period)].filter((p): p is number => typeof p === "number" && p > 0);
        return { period: periods.length > 0 ? Math.max(...periods) : DEPLOYMENT_ALARM.period, evaluationPeriods: Number(alarm.inputs.evaluationPeriods ?? 1) };
    });
    const named = ((service.inputs.alarms?.alarmNames as unknown[] | undefined) ?? []).length;
    const seconds = Math.max(alarmBakeSeconds(made), named > made.length ? assumptions.alarmBakeSeconds : 0);
    const period = made.length > 0 ? Math.min(...made.map((a) => a.period)) : DEPLOYMENT_ALARM.period;
    return { seconds, period };
}

const NETWORK_PROTOCOLS: readonly unknown[] = ["TCP", "TLS", "UDP", "TCP_UDP"];

function waveTimes(graph: StackGraph, service: StackResource, assumptions: DeployAssumptions): RollingUpdate["wave"] {
    const taskDefinition = taskDefinitionOf(graph, service);
    const container = mainContainerOf(service, taskDefinition);
    const targetGroup = targetGroupsOf(graph, service)[0];
    let healthy = 0;
    let drain = 0;
    if (targetGroup) {
        healthy = Number(targetGroup.inputs.healthCheck?.interval ?? AWS_DEFAULTS.targetGroup.healthCheckInterval);
        // A Network Load Balancer's target groups speak TCP, TLS, UDP or TCP_UDP; its new targets wait to be registered first.
        if (NETWORK_PROTOCOLS.includes(targetGroup.inputs.protocol)) healthy += assumptions.networkRegistrationSeconds;
        drain = deregistrationDelayOf(targetGroup);
    } else if (container?.healthCheck) {
        healthy = Number(container.healthCheck.startPeriod ?? AWS_DEFAULTS.container.healthCheckStartPeriod) + Number(container.healthCheck.interval ?? AWS_DEFAULTS.container.healthCheckInterval);
    }
    const appStop = Math.min(Number(container?.stopTimeout ?? AWS_DEFAULTS.container.stopTimeout), assumptions.appStopSeconds);
    const taskStart = managedInstancesProviderOf(graph, service) ? assumptions.instanceLaunchSeconds : assumptions.taskStartSeconds;
    return { taskStart, appStart: assumptions.appStartSeconds, healthy, drain, appStop };
}

function provisioningSeconds(graph: StackGraph, resource: StackResource, assumptions: DeployAssumptions, table: Record<string, number>): number {
    if (!resource.custom && resource.type !== T.awsxVpc) return 0;
    if (resource.type === T.service) {
        if (resource.inputs.waitForSteadyState === false) return table.default;
        const wave = waveTimes(graph, resource, assumptions);
        return wave.taskStart + wave.appStart + wave.healthy + assumptions.steadyStateCheckSeconds;
    }
    if (resource.type === T.awsxVpc) {
        // Its NAT gateways are created inside it (remote component): the VPC is ready when they are.
        // awsx's default strategy, OnePerAz, and Single both create NAT gateways; only None does not.
        const strategy = (resource.inputs.natGateways as { strategy?: string } | undefined)?.strategy;
        return table[T.awsxVpc] + (strategy === "None" ? 0 : table[T.natGateway]);
    }
    return table[resource.type] ?? table.default;
}

export function estimateDeploy(graph: StackGraph, overrides: Partial<DeployAssumptions> = {}): DeployEstimate {
    const assumptions: DeployAssumptions = {
        ...DEFAULT_DEPLOY_ASSUMPTIONS,
        ...overrides,
        provisioningSeconds: { ...DEFAULT_DEPLOY_ASSUMPTIONS.provisioningSeconds, ...overrides.provisioningSeconds },
    };
    const table = { ...(provisioning.seconds as Record<string, number>), ...assumptions.provisioningSeconds };
    const secondsOf = (resource: StackResource) => provisioningSeconds(graph, resource, assumptions, table);
    const finish = new Map<string, { at: number; via?: StackResource }>();
    const visiting = new Set<string>();
    const finishOf = (resource: StackResource): number => {
        const known = finish.get(resource.urn);
        if (known) return known.at;
        if (visiting.has(resource.urn)) return 0; // a cycle cannot occur in a valid program; stay finite anyway
        visiting.add(resource.urn);
        const deps = new Set([...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()]);
        let start = 0;
        let via: StackResource | undefined;
        for (const urn of deps) {
            // A dependency outside the graph takes no time here; one on itself is a cycle, seen above.
            const dep = graph.get(urn);
            if (!dep) continue;
            const at = finishOf(dep);
            if (at > start) [start, via] = [at, dep];
        }
        const at = start + secondsOf(resource);
        finish.set(resource.urn, { at, via });
        visiting.delete(resource.urn);
        return at;
    };
    let last: StackResource | undefined;
    for (const resource of graph.resources) {
        const at = finishOf(resource);
        if (!last || at > finish.get(last.urn)!.at) last = resource;
    }
    // Stryker disable next-line ArrayDeclaration: the filter below drops an entry without seconds
    const criticalPath: CriticalPathStep[] = [];
    for (let step = last; step; step = finish.get(step.urn)!.via) {
        const at = finish.get(step.urn)!.at;
        criticalPath.unshift({ urn: step.urn, type: step.type, name: step.name, seconds: secondsOf(step), finishesAt: at });
    }
    return {
        firstDeploySeconds: last ? finish.get(last.urn)!.at : 0,
        criticalPath: criticalPath.filter((s) => s.seconds > 0),
        rollingUpdates: graph.ofType(T.service).map((s) => rollingUpdate(graph, s, assumptions)),
        assumptions,
        formula: FORMULA,
    };
}
