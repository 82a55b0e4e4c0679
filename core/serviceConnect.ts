/**
 * ECS Service Connect: AWS's rules on its names, ports and ARNs, and who calls whom in an
 * environment. Pure: the component schemas, the stack-file checks, the preflight and the plan
 * all read them from here.
 *
 * A service that others call is a Service Connect *server*: its named port mapping is published
 * in the environment's Cloud Map namespace under the service's name, and clients reach it at
 * `http://<name>:<port>` through the proxy ECS adds to every task. A service that only calls is a
 * *client*: it joins the namespace and publishes nothing.
 */

/** The ECS API reference pages the rules below come from. */
export const SERVICE_CONNECT_SOURCES = {
    service: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html",
    clientAlias: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectClientAlias.html",
    portMapping: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    configuration: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html",
    namespace: "https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateHttpNamespace.html",
    tls: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html",
    quotas: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html",
    terraform: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs/service.go",
} as const;

/**
 * discoveryName (the Cloud Map service ECS creates) and a port mapping's name: up to 64 lower-case
 * letters, digits, underscores and hyphens, not starting with a hyphen (ServiceConnectService,
 * PortMapping in the ECS API reference).
 */
export const DISCOVERY_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
export const DISCOVERY_NAME_RULE = "up to 64 lower-case letters, digits, _ and -, not starting with -";

/**
 * A client alias's dnsName: a DNS name that need not be fully qualified, up to 127 lower-case
 * letters, digits, underscores, hyphens and periods, not starting with a hyphen
 * (ServiceConnectClientAlias in the ECS API reference).
 */
export const CLIENT_ALIAS_DNS_NAME = /^[a-z0-9_.][a-z0-9_.-]{0,126}$/;
export const CLIENT_ALIAS_DNS_NAME_RULE = "up to 127 lower-case letters, digits, _, - and ., not starting with -";

/**
 * A client alias's port and the proxy's ingress port: 0 to 65535 (ServiceConnectClientAlias; the
 * Terraform provider's `validation.IntBetween(0, 65535)` on client_alias.port and
 * ingress_port_override). 0 is in the API's range, but a client cannot dial port 0: we ask for 1 or more.
 */
export const CLIENT_ALIAS_PORT = { min: 1, max: 65535 } as const;

/** One client alias per Service Connect service (ServiceConnectService.clientAliases; Terraform MaxItems 1). */
export const MAX_CLIENT_ALIASES = 1;

/**
 * The most tasks one service may run with Service Connect on: 1,000, below ECS's 5,000 tasks per
 * service (the ECS service quotas page, "Tasks per service" with Service Connect).
 */
export const MAX_TASKS_WITH_SERVICE_CONNECT = 1000;

/**
 * An HTTP namespace's name: 1 to 1,024 printable ASCII characters without spaces, not an ARN
 * (CreateHttpNamespace, `^(?!arn:)[!-~]{1,1024}$`); a cluster's serviceConnectDefaults also refuses
 * > < " and / in it (ClusterServiceConnectDefaultsRequest).
 */
export const NAMESPACE_NAME = /^(?!arn:)[!-~]{1,1024}$/;
export const NAMESPACE_FORBIDDEN = /[<>"/]/;

/** Layer-7 protocols a port mapping may declare for Service Connect's proxy (PortMapping.appProtocol). */
export const AppProtocol = {
    /** HTTP/1.1: the proxy balances requests and reports HTTP status codes. */
    http: "http",
    /** HTTP/2, cleartext. */
    http2: "http2",
    /** gRPC: the proxy reports gRPC status codes. */
    grpc: "grpc",
} as const;
export type AppProtocol = (typeof AppProtocol)[keyof typeof AppProtocol];

/**
 * An AWS Private CA's ARN: `arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`,
 * the id a UUID (https://docs.aws.amazon.com/privateca/latest/APIReference/API_CertificateAuthority.html,
 * and the resource type `certificate-authority` in
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsprivatecertificateauthority.html).
 */
export const PRIVATE_CA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate-authority\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const PRIVATE_CA_ARN_FORM = "arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>";

/**
 * The role ECS assumes to issue Service Connect's certificates from the Private CA and keep their
 * keys in Secrets Manager: trusted by `ecs.amazonaws.com`, with the AWS managed policy below
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity.html).
 */
export const SERVICE_CONNECT_TLS_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity";
export const ECS_SERVICE_PRINCIPAL = "ecs.amazonaws.com";

/** What a client dials to reach a server: `http://payments:8080`. */
export function clientAliasUrl(name: string, port: number): string {
    return `http://${name}:${port}`;
}

/** What is wrong with a discovery name, or undefined. */
export function discoveryNameProblem(name: string): string | undefined {
    return DISCOVERY_NAME.test(name) ? undefined : `${JSON.stringify(name)} cannot name a Service Connect service: ${DISCOVERY_NAME_RULE} (${SERVICE_CONNECT_SOURCES.service})`;
}

/** What is wrong with a Private CA ARN, or undefined. */
export function privateCaArnProblem(arn: string): string | undefined {
    return PRIVATE_CA_ARN.test(arn) ? undefined : `${JSON.stringify(arn)} is not an AWS Private CA ARN (${PRIVATE_CA_ARN_FORM})`;
}

/** What is wrong with a namespace name, or undefined. */
export function namespaceNameProblem(name: string): string | undefined {
    if (!NAMESPACE_NAME.test(name)) return `${JSON.stringify(name)} cannot name a Cloud Map HTTP namespace: 1 to 1024 printable characters without spaces, not an ARN (${SERVICE_CONNECT_SOURCES.namespace})`;
    if (NAMESPACE_FORBIDDEN.test(name)) return `${JSON.stringify(name)} cannot be a cluster's Service Connect namespace: no > < " or / (${SERVICE_CONNECT_SOURCES.configuration})`;
    return undefined;
}

/** One caller → callee edge of an environment. */
export interface ServiceConnectEdge {
    caller: string;
    callee: string;
}

/** A problem with a `calls` list, at the index of the entry it is about. */
export interface CallProblem {
    caller: string;
    index: number;
    message: string;
}

/**
 * Who calls whom in an environment, from each service's `calls`: the edges, in the order written,
 * once each. A service may call itself, and two services may call each other: ECS Service Connect
 * gives every task of the namespace every endpoint, its own included, and a security group may
 * admit itself.
 */
export function serviceConnectEdges(calls: Record<string, readonly string[] | undefined>): ServiceConnectEdge[] {
    const seen = new Set<string>();
    const edges: ServiceConnectEdge[] = [];
    for (const [caller, callees] of Object.entries(calls)) {
        for (const callee of callees ?? []) {
            const key = `${caller}\u0000${callee}`;
            if (seen.has(key)) continue;
            seen.add(key);
            edges.push({ caller, callee });
        }
    }
    return edges;
}

/**
 * What is wrong with the `calls` lists of an environment's services: a name that is not one of its
 * services (with the names it could be), a name given twice, and a callee with no container port
 * for the proxy to route to.
 */
export function callProblems(services: Record<string, { calls?: readonly unknown[]; port?: number }>): CallProblem[] {
    const names = Object.keys(services);
    const problems: CallProblem[] = [];
    for (const [caller, service] of Object.entries(services)) {
        const seen = new Set<unknown>();
        (service.calls ?? []).forEach((callee, index) => {
            if (typeof callee !== "string" || !(callee in services)) {
                problems.push({ caller, index, message: `${JSON.stringify(callee)} is not a service of this environment; the services are ${names.map((n) => JSON.stringify(n)).join(", ")}` });
            } else if (seen.has(callee)) {
                problems.push({ caller, index, message: `"${callee}" is listed twice` });
            } else if (services[callee].port === undefined) {
                problems.push({ caller, index, message: `"${callee}" has no container.port: give it one, so Service Connect knows where to send ${caller}'s calls` });
            }
            seen.add(callee);
        });
    }
    return problems;
}

/**
 * The order to create an environment's services in: every callee before its callers, since ECS
 * gives a task only the endpoints that exist when it starts
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
 * Services keep their written order where no call constrains them. A call that closes a cycle (a
 * service calling itself, two services calling each other) cannot wait for its callee: it is
 * returned in `deferred`, and its caller reaches the callee from the caller's next deployment on.
 */
export function creationOrder(names: readonly string[], edges: readonly ServiceConnectEdge[]): { order: string[]; deferred: ServiceConnectEdge[] } {
    const order: string[] = [];
    const deferred: ServiceConnectEdge[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string) => {
        state.set(name, "visiting");
        for (const edge of edges.filter((e) => e.caller === name)) {
            const seen = state.get(edge.callee);
            if (seen === "visiting") deferred.push(edge);
            else if (seen === undefined) visit(edge.callee);
        }
        state.set(name, "done");
        order.push(name);
    };
    for (const name of names) if (!state.has(name)) visit(name);
    return { order, deferred };
}
