import { secretSource } from "../core/arns";
import type { EnvironmentSpec, ServiceSpec } from "./environment";

/**
 * Which AWS services the tasks of an environment call, and so which interface VPC endpoints they
 * need when they sit in private subnets without a NAT gateway. Each endpoint costs per hour in each
 * Availability Zone, so only what the environment uses is created. Service names per
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html (ECR, Logs,
 * Secrets Manager, SSM, ECS Exec) and https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-internetwork-traffic-privacy.html.
 */
export interface EndpointUse {
    /** Queue workers receive from SQS. */
    queueWorkers: boolean;
    /** Some container reads a Secrets Manager secret at start. */
    secretsManagerSecrets: boolean;
    /** Some container reads an SSM parameter at start. */
    ssmParameters: boolean;
    /** ECS Exec is on for some workload: its agent opens channels through SSM Messages. */
    ecsExec: boolean;
}

/** Every task pulls its image (ECR's API and registry) and writes its logs. */
export const ALWAYS_NEEDED_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs"] as const;

/** The interface endpoints (service name after `com.amazonaws.<region>.`) for this use. */
export function interfaceEndpointServices(use: EndpointUse): string[] {
    return [
        ...ALWAYS_NEEDED_ENDPOINTS,
        ...(use.secretsManagerSecrets ? ["secretsmanager"] : []),
        ...(use.ssmParameters ? ["ssm"] : []),
        ...(use.ecsExec ? ["ssmmessages"] : []),
        ...(use.queueWorkers ? ["sqs"] : []),
    ];
}

/** What the workloads of an environment use, read from its resolved spec. */
export function endpointUseOf(env: Pick<EnvironmentSpec, "services" | "queueWorkers" | "scheduledTasks" | "eventTasks">): EndpointUse {
    const workloads: ServiceSpec[] = [env.services, env.queueWorkers, env.scheduledTasks, env.eventTasks].flatMap((group) => Object.values(group));
    const secretArns = workloads
        .flatMap((w) => [w.container?.secrets, ...((w.sidecars as { container?: { secrets?: unknown } }[] | undefined) ?? []).map((s) => s.container?.secrets)])
        .flatMap((secrets) => Object.values((secrets ?? {}) as Record<string, string>));
    return {
        queueWorkers: Object.keys(env.queueWorkers).length > 0,
        secretsManagerSecrets: secretArns.some((arn) => secretSource(arn) === "secretsmanager"),
        ssmParameters: secretArns.some((arn) => secretSource(arn) === "ssm"),
        ecsExec: workloads.some((w) => w.enableExecuteCommand === true),
    };
}
