/**
 * ECS container definitions, built as plain data from resolved values. The task definition
 * serialises them; the controls and the plan read them back.
 */

export interface HealthCheckSpec {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
}

export interface ContainerSpec {
    name: string;
    image: string;
    essential: boolean;
    cpu?: number;
    memoryReservation?: number;
    port?: number;
    /** The port's layer-7 protocol, for Service Connect's proxy (http, http2 or grpc). */
    appProtocol?: string;
    command?: string[];
    entryPoint?: string[];
    environment: Record<string, string>;
    secrets: Record<string, string>;
    healthCheck?: HealthCheckSpec;
    stopTimeout: number;
    readonlyRootFilesystem: boolean;
    writablePaths: string[];
    user?: string;
    logGroup: string;
    region: string;
    dependsOnHealthy?: string[];
    /** GPUs the container reserves (ECS Managed Instances only). */
    gpus?: number;
    /** Volumes of the task (EFS) mounted at their own paths, beside the writable paths' empty volumes. */
    volumeMounts?: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
}

/** The subset of ECS's ContainerDefinition we write. */
export interface ContainerDefinition {
    name: string;
    image: string;
    essential: boolean;
    cpu?: number;
    memoryReservation?: number;
    portMappings?: { containerPort: number; protocol: "tcp"; name: string; appProtocol?: string }[];
    command?: string[];
    entryPoint?: string[];
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    healthCheck?: HealthCheckSpec;
    stopTimeout: number;
    readonlyRootFilesystem: boolean;
    mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[];
    user?: string;
    linuxParameters: { initProcessEnabled: boolean };
    logConfiguration: { logDriver: "awslogs"; options: Record<string, string> };
    dependsOn?: { containerName: string; condition: "HEALTHY" }[];
    resourceRequirements?: { type: "GPU"; value: string }[];
}

/**
 * Directories the SSM agent of ECS Exec writes to; with a read-only root filesystem they must be
 * volumes or the agent crashes (aws/containers-roadmap#1359, where this workaround is reported).
 */
export const EXEC_AGENT_PATHS = ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"] as const;

/** The task volume backing a writable path: "/var/cache/nginx" → "var-cache-nginx". */
export function volumeName(containerPath: string): string {
    return containerPath.replace(/^\/+|\/+$/g, "").replace(/[^A-Za-z0-9_-]+/g, "-") || "root";
}

/** Sorted by name: ECS returns them sorted, so an unsorted list would show a diff on every preview. */
function sortedPairs<T>(record: Record<string, string>, make: (name: string, value: string) => T): T[] {
    return Object.keys(record)
        .sort()
        .map((name) => make(name, record[name]));
}

export function containerDefinition(spec: ContainerSpec): ContainerDefinition {
    const definition: ContainerDefinition = {
        name: spec.name,
        image: spec.image,
        essential: spec.essential,
        environment: sortedPairs(spec.environment, (name, value) => ({ name, value })),
        secrets: sortedPairs(spec.secrets, (name, valueFrom) => ({ name, valueFrom })),
        stopTimeout: spec.stopTimeout,
        readonlyRootFilesystem: spec.readonlyRootFilesystem,
        mountPoints: [
            ...spec.writablePaths.map((containerPath) => ({ sourceVolume: volumeName(containerPath), containerPath, readOnly: false })),
            ...(spec.volumeMounts ?? []),
        ],
        // An init process forwards SIGTERM and reaps zombies, so stopTimeout is spent shutting down, not waiting.
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": spec.logGroup,
                "awslogs-region": spec.region,
                "awslogs-stream-prefix": spec.name,
                // A slow CloudWatch never blocks the app's stdout; a 25 MB buffer absorbs bursts.
                mode: "non-blocking",
                "max-buffer-size": "25m",
            },
        },
    };
    if (spec.cpu !== undefined) definition.cpu = spec.cpu;
    if (spec.memoryReservation !== undefined) definition.memoryReservation = spec.memoryReservation;
    if (spec.port !== undefined) {
        // Named, so Service Connect can publish it (its portName); the name fits AWS's 64 lower-case characters.
        definition.portMappings = [{ containerPort: spec.port, protocol: "tcp", name: portMappingName(spec.name, spec.port), ...(spec.appProtocol ? { appProtocol: spec.appProtocol } : {}) }];
    }
    if (spec.command) definition.command = spec.command;
    if (spec.entryPoint) definition.entryPoint = spec.entryPoint;
    if (spec.healthCheck) definition.healthCheck = spec.healthCheck;
    if (spec.user) definition.user = spec.user;
    // ECS reserves physical GPUs for the container; AWS takes the count as text (API_ResourceRequirement.html).
    if (spec.gpus !== undefined && spec.gpus > 0) definition.resourceRequirements = [{ type: "GPU", value: String(spec.gpus) }];
    if (spec.dependsOnHealthy && spec.dependsOnHealthy.length > 0) {
        definition.dependsOn = spec.dependsOnHealthy.map((containerName) => ({ containerName, condition: "HEALTHY" }));
    }
    return definition;
}

/** A container's port mapping name, which Service Connect refers to: "main-8080". */
export function portMappingName(container: string, port: number): string {
    return `${container}-${port}`;
}

/** One empty volume per distinct writable path of the task's containers; `others` are volumes defined apart (EFS). */
export function writableVolumes(definitions: ContainerDefinition[], others: readonly string[] = []): { name: string }[] {
    const names = new Set(definitions.flatMap((d) => d.mountPoints.map((m) => m.sourceVolume)).filter((n) => !others.includes(n)));
    return [...names].sort().map((name) => ({ name }));
}
