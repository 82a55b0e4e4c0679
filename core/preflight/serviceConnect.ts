import {
    CLIENT_ALIAS_DNS_NAME,
    CLIENT_ALIAS_DNS_NAME_RULE,
    CLIENT_ALIAS_PORT,
    DISCOVERY_NAME,
    DISCOVERY_NAME_RULE,
    MAX_CLIENT_ALIASES,
    MAX_TASKS_WITH_SERVICE_CONNECT,
    SERVICE_CONNECT_SOURCES as S,
    namespaceNameProblem,
    privateCaArnProblem,
} from "../serviceConnect";
import { ResourceRule, RuleViolation, isUnknown, jsonValue, rangeViolation } from "./types";

/**
 * ECS Service Connect on the resources themselves: whatever built them (this package's components,
 * a transform, a program of the user's own), what AWS would refuse in a service's
 * serviceConnectConfiguration, a task definition's port names and a namespace's name.
 */

interface PublishedService {
    portName?: string;
    discoveryName?: string;
    clientAlias?: { dnsName?: string; port?: number }[];
    ingressPortOverride?: number;
    tls?: { issuerCertAuthority?: { awsPcaAuthorityArn?: string } };
}

const SERVICE = "aws:ecs/service:Service";

export const SERVICE_CONNECT_RULES: ResourceRule[] = [
    {
        id: "ecs.service.serviceConnect.names",
        type: SERVICE,
        title: `Service Connect names: discoveryName and portName ${DISCOVERY_NAME_RULE}; a client alias's dnsName ${CLIENT_ALIAS_DNS_NAME_RULE}; one client alias per service, each discoveryName once`,
        sources: [S.service, S.clientAlias, S.terraform],
        check(r) {
            const published = (r.inputs.serviceConnectConfiguration?.services as PublishedService[] | undefined) ?? [];
            const out: RuleViolation[] = [];
            const seen = new Set<string>();
            published.forEach((s, i) => {
                const at = `serviceConnectConfiguration.services[${i}]`;
                for (const key of ["discoveryName", "portName"] as const) {
                    const value = s?.[key];
                    if (typeof value === "string" && !DISCOVERY_NAME.test(value)) out.push({ key: `${at}.${key}`, message: `${JSON.stringify(value)}: ${DISCOVERY_NAME_RULE}` });
                }
                if (typeof s?.discoveryName === "string") {
                    if (seen.has(s.discoveryName)) out.push({ key: `${at}.discoveryName`, message: `"${s.discoveryName}" is used twice; each must be unique in the namespace` });
                    seen.add(s.discoveryName);
                }
                const aliases = s?.clientAlias ?? [];
                if (aliases.length > MAX_CLIENT_ALIASES) out.push({ key: `${at}.clientAlias`, message: `has ${aliases.length} aliases; ECS allows ${MAX_CLIENT_ALIASES}` });
                aliases.forEach((a, j) => {
                    if (typeof a?.dnsName === "string" && !CLIENT_ALIAS_DNS_NAME.test(a.dnsName)) out.push({ key: `${at}.clientAlias[${j}].dnsName`, message: `${JSON.stringify(a.dnsName)}: ${CLIENT_ALIAS_DNS_NAME_RULE}` });
                });
            });
            return out;
        },
    },
    {
        id: "ecs.service.serviceConnect.ports",
        type: SERVICE,
        title: `Service Connect ports: a client alias's port and the ingress port override ${CLIENT_ALIAS_PORT.min}–${CLIENT_ALIAS_PORT.max}`,
        sources: [S.clientAlias, S.service, S.terraform],
        check(r) {
            const published = (r.inputs.serviceConnectConfiguration?.services as PublishedService[] | undefined) ?? [];
            return published.flatMap((s, i) => [
                ...(s?.clientAlias ?? []).flatMap((a, j) => rangeViolation(a ?? {}, "port", CLIENT_ALIAS_PORT.min, CLIENT_ALIAS_PORT.max).map((v) => ({ ...v, key: `serviceConnectConfiguration.services[${i}].clientAlias[${j}].port` }))),
                ...rangeViolation(s ?? {}, "ingressPortOverride", CLIENT_ALIAS_PORT.min, CLIENT_ALIAS_PORT.max).map((v) => ({ ...v, key: `serviceConnectConfiguration.services[${i}].ingressPortOverride` })),
            ]);
        },
    },
    {
        id: "ecs.service.serviceConnect.tls",
        type: SERVICE,
        title: "Service Connect TLS: the issuer is an AWS Private CA (arn:…:acm-pca:…:certificate-authority/<uuid>)",
        sources: [S.tls, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectTlsCertificateAuthority.html"],
        check(r) {
            const published = (r.inputs.serviceConnectConfiguration?.services as PublishedService[] | undefined) ?? [];
            return published.flatMap((s, i) => {
                const arn = s?.tls?.issuerCertAuthority?.awsPcaAuthorityArn;
                const problem = typeof arn === "string" ? privateCaArnProblem(arn) : undefined;
                return problem ? [{ key: `serviceConnectConfiguration.services[${i}].tls.issuerCertAuthority.awsPcaAuthorityArn`, message: problem }] : [];
            });
        },
    },
    {
        id: "ecs.service.serviceConnect.tasks",
        type: SERVICE,
        title: `a service with Service Connect runs at most ${MAX_TASKS_WITH_SERVICE_CONNECT} tasks`,
        sources: [S.quotas],
        check(r) {
            if (r.inputs.serviceConnectConfiguration?.enabled !== true || isUnknown(r.inputs, "desiredCount")) return [];
            const count = r.inputs.desiredCount;
            return typeof count === "number" && count > MAX_TASKS_WITH_SERVICE_CONNECT ? [{ key: "desiredCount", message: `${count} is over ${MAX_TASKS_WITH_SERVICE_CONNECT} with Service Connect` }] : [];
        },
    },
    {
        id: "ecs.taskDefinition.portNames",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: `port mapping names (what Service Connect publishes) ${DISCOVERY_NAME_RULE}, each once in the task; appProtocol http, http2 or grpc`,
        sources: [S.portMapping],
        check(r) {
            const containers = jsonValue<{ portMappings?: { name?: unknown; appProtocol?: unknown }[] }[]>(r.inputs.containerDefinitions);
            if (!Array.isArray(containers)) return [];
            const out: RuleViolation[] = [];
            const seen = new Set<string>();
            containers.forEach((c, i) =>
                (c?.portMappings ?? []).forEach((m, j) => {
                    const at = `containerDefinitions[${i}].portMappings[${j}]`;
                    if (typeof m?.name === "string") {
                        if (!DISCOVERY_NAME.test(m.name)) out.push({ key: `${at}.name`, message: `${JSON.stringify(m.name)}: ${DISCOVERY_NAME_RULE}` });
                        else if (seen.has(m.name)) out.push({ key: `${at}.name`, message: `"${m.name}" names another port mapping of the task` });
                        seen.add(m.name);
                    }
                    if (m?.appProtocol !== undefined && !["http", "http2", "grpc"].includes(m.appProtocol as string)) out.push({ key: `${at}.appProtocol`, message: `${JSON.stringify(m.appProtocol)} is not http, http2 or grpc` });
                }),
            );
            return out;
        },
    },
    {
        id: "servicediscovery.httpNamespace.name",
        type: "aws:servicediscovery/httpNamespace:HttpNamespace",
        title: "an HTTP namespace's name: 1–1024 printable characters without spaces, not an ARN, no > < \" / (for a cluster's Service Connect default)",
        sources: [S.namespace, S.configuration],
        check(r) {
            const name = r.inputs.name;
            const problem = typeof name === "string" ? namespaceNameProblem(name) : undefined;
            return problem ? [{ key: "name", message: problem }] : [];
        },
    },
];
