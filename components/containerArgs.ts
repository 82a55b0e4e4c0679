import * as pulumi from "@pulumi/pulumi";

/**
 * How the main container of a task runs. Shared by services, scheduled tasks and event-driven
 * tasks, so a container is described the same way everywhere.
 */
export interface ContainerArgs {
    /**
     * The port the container listens on. The load balancer forwards to it and the task security
     * group admits it from the load balancer only. Leave it unset for a worker that serves nothing.
     *
     * A port above 1023 lets the container run as a non-root user.
     * @default 8080 for a load-balanced service; none otherwise
     * @example
     * ```ts
     * container: { port: 3000 }
     * ```
     */
    port?: number;
    /**
     * Overrides the image's `CMD`.
     * @default the image's CMD
     * @example
     * ```ts
     * container: { command: ["node", "server.js"] }
     * ```
     */
    command?: string[];
    /**
     * Overrides the image's `ENTRYPOINT`.
     * @default the image's ENTRYPOINT
     * @example
     * ```ts
     * container: { entryPoint: ["/usr/bin/tini", "--"] }
     * ```
     */
    entryPoint?: string[];
    /**
     * Plain environment variables. Never put credentials here: they are stored in the task
     * definition in clear text (Security Hub ECS.8). Use `secrets`.
     * @default {}
     * @example
     * ```ts
     * container: { environment: { LOG_LEVEL: "info", NODE_ENV: "production" } }
     * ```
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Environment variables read at task start from Secrets Manager or SSM Parameter Store, by ARN.
     * The execution role may read exactly these and no other secret.
     *
     * A Secrets Manager ARN may select a JSON key: `arn:...:secret:db-AbCdEf:password::`.
     * @default {}
     * @example
     * ```ts
     * container: {
     *   secrets: {
     *     DATABASE_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::",
     *     API_KEY: "arn:aws:ssm:eu-west-1:123456789012:parameter/api/key",
     *   },
     * }
     * ```
     */
    secrets?: Record<string, pulumi.Input<string>>;
    /**
     * Customer-managed KMS keys that encrypt the `secrets`. Only needed when a secret or parameter
     * uses your own key rather than the AWS-managed one; the execution role may then decrypt with
     * these keys, through Secrets Manager or SSM only.
     * @default []
     * @example
     * ```ts
     * container: { secretKmsKeyArns: ["arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"] }
     * ```
     */
    secretKmsKeyArns?: pulumi.Input<string>[];
    /**
     * A health check run inside the container by ECS. A task whose container turns unhealthy is
     * replaced. Load-balanced services are also checked by the target group.
     * @default none
     * @example
     * ```ts
     * container: { healthCheck: { command: ["CMD-SHELL", "wget -qO- http://localhost:8080/health || exit 1"] } }
     * ```
     */
    healthCheck?: ContainerHealthCheckArgs;
    /**
     * Seconds between SIGTERM and SIGKILL when the task stops. Handle SIGTERM to finish in-flight
     * work. Fargate allows at most 120, and Fargate Spot gives two minutes' notice in all.
     * @default 30
     * @example
     * ```ts
     * container: { stopTimeout: 60 }
     * ```
     */
    stopTimeout?: number;
    /**
     * Mount the root filesystem read-only (Security Hub ECS.5). Paths the app writes to go in
     * `writablePaths`.
     * @default true
     * @example
     * ```ts
     * container: { readonlyRootFilesystem: false }
     * ```
     */
    readonlyRootFilesystem?: boolean;
    /**
     * Directories that stay writable when the root filesystem is read-only; each is an empty
     * volume on the task's ephemeral storage. With ECS Exec on, the SSM agent's own directories
     * are added for you.
     * @default ["/tmp"]
     * @example
     * ```ts
     * container: { writablePaths: ["/tmp", "/var/cache/nginx", "/var/run"] }
     * ```
     */
    writablePaths?: string[];
    /**
     * The user (`uid`, `uid:gid` or a name) the container runs as. A numeric non-root user keeps a
     * compromised process away from root inside the container.
     * @default the image's USER
     * @example
     * ```ts
     * container: { user: "1000:1000" }
     * ```
     */
    user?: string;
}

/** A container health check, run by ECS inside the container. */
export interface ContainerHealthCheckArgs {
    /**
     * The command, in Docker's form: `["CMD", ...]` or `["CMD-SHELL", "..."]`.
     * @example
     * ```ts
     * { command: ["CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"] }
     * ```
     */
    command: string[];
    /**
     * Seconds between checks (5 to 300).
     * @default 15
     * @example
     * ```ts
     * { interval: 30 }
     * ```
     */
    interval?: number;
    /**
     * Seconds a check may take (2 to 60).
     * @default 5
     * @example
     * ```ts
     * { timeout: 10 }
     * ```
     */
    timeout?: number;
    /**
     * Failed checks in a row that mark the container unhealthy (1 to 10).
     * @default 3
     * @example
     * ```ts
     * { retries: 5 }
     * ```
     */
    retries?: number;
    /**
     * Seconds after start during which failures do not count (0 to 300).
     * @default 10
     * @example
     * ```ts
     * { startPeriod: 60 }
     * ```
     */
    startPeriod?: number;
}

/** A container that runs beside the main one in the same task: a proxy, an agent, a log router. */
export interface SidecarArgs {
    /**
     * The container's name, unique in the task.
     * @example
     * ```ts
     * { name: "otel-collector" }
     * ```
     */
    name: string;
    /**
     * The image URI.
     * @example
     * ```ts
     * { image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.0" }
     * ```
     */
    image: pulumi.Input<string>;
    /**
     * CPU units reserved for this container, taken from the task's `cpu`.
     * @default none (shares the task's CPU)
     * @example
     * ```ts
     * { cpu: 64 }
     * ```
     */
    cpu?: number;
    /**
     * Memory (MiB) reserved for this container, taken from the task's `memory`.
     * @default none (shares the task's memory)
     * @example
     * ```ts
     * { memory: 128 }
     * ```
     */
    memory?: number;
    /**
     * Whether the task stops when this container stops.
     * @default false
     * @example
     * ```ts
     * { essential: true }
     * ```
     */
    essential?: boolean;
    /**
     * Start the main container only once this one reports healthy (needs `container.healthCheck`).
     * @default false
     * @example
     * ```ts
     * { startBeforeMain: true, container: { healthCheck: { command: ["CMD", "/healthcheck"] } } }
     * ```
     */
    startBeforeMain?: boolean;
    /**
     * The sidecar's own container settings: command, environment, secrets, health check, user.
     * @default {}
     * @example
     * ```ts
     * { container: { command: ["--config=/etc/ecs/ecs-default-config.yaml"] } }
     * ```
     */
    container?: ContainerArgs;
}
