import * as pulumi from "@pulumi/pulumi";
import type { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { HttpNamespace } from "@pulumi/aws/servicediscovery/httpNamespace";
import { SecurityGroupEgressRule } from "@pulumi/aws/vpc/securityGroupEgressRule";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { ServiceArgs } from "@pulumi/aws/ecs/service";
import { ecsServiceTrustPolicy } from "../core/iamDocuments";
import { awsName } from "../core/names";
import { portMappingName } from "../core/containerDefinitions";
import { AppProtocol, SERVICE_CONNECT_TLS_POLICY_ARN } from "../core/serviceConnect";
import { MAIN_CONTAINER } from "../core/serviceSchema";
import { OutboundTraffic } from "../core/enums";

/** How a service takes part in ECS Service Connect: what it publishes, and whom it calls. */
export interface ServiceConnectArgs {
    /**
     * The Cloud Map namespace the service joins, by ARN: the environment's (a `FargateCluster`
     * with `serviceConnect` gives it as `serviceConnectNamespaceArn`).
     * @example
     * ```ts
     * { namespace: cluster.serviceConnectNamespaceArn }
     * ```
     */
    namespace: pulumi.Input<string>;
    /**
     * The name other services call this one by: its Cloud Map service (discoveryName) and its client
     * alias, so callers dial `http://<name>:<port>`. Without it the service only calls others (a
     * Service Connect client) and publishes nothing. Up to 64 lower-case letters, digits, `_` and `-`.
     * @default none: a client only
     * @example
     * ```ts
     * { name: "payments" }
     * ```
     */
    name?: string;
    /**
     * The port callers dial (the client alias's port). The proxy forwards to the container's port.
     * @default the container's port
     * @example
     * ```ts
     * { port: 80 }
     * ```
     */
    port?: number;
    /**
     * The protocol of the container's port, so the proxy reports per-protocol metrics (HTTP 5xx,
     * gRPC status) and balances requests rather than connections. Leave it out for other TCP
     * protocols: the proxy then passes bytes through.
     * @default none (TCP)
     * @example
     * ```ts
     * { appProtocol: "grpc" }
     * ```
     */
    appProtocol?: AppProtocol;
    /**
     * The services this one calls: each callee's security group admits this service's tasks on its
     * port, and nothing else is opened. Give another `FargateService`'s `serviceConnectEndpoint`.
     * @default []
     * @example
     * ```ts
     * { calls: [payments.serviceConnectEndpoint!] }
     * ```
     */
    calls?: ServiceConnectEndpoint[];
    /**
     * TLS between the proxies, with certificates ECS issues from your AWS Private CA and rotates.
     * Applies to this service's own endpoint (needs `name`). A `FargateCluster` with
     * `serviceConnect.tls` gives the whole object as `serviceConnectTls`.
     * @default none: plain TCP inside the VPC, admitted by security group only
     * @example
     * ```ts
     * { tls: cluster.serviceConnectTls }
     * ```
     */
    tls?: ServiceConnectTlsArgs;
}

/** A Service Connect server as its callers see it. */
export interface ServiceConnectEndpoint {
    /**
     * The callee's Service Connect name.
     * @example
     * ```ts
     * { name: "payments" }
     * ```
     */
    name: string;
    /**
     * The callee's task security group, which will admit the caller.
     * @example
     * ```ts
     * { securityGroupId: payments.securityGroup.id }
     * ```
     */
    securityGroupId: pulumi.Input<string>;
    /**
     * The callee's container port: where the caller's proxy connects.
     * @example
     * ```ts
     * { port: 8080 }
     * ```
     */
    port: number;
}

/** Service Connect TLS: the Private CA that signs, the role ECS issues with, the key that wraps. */
export interface ServiceConnectTlsArgs {
    /**
     * The AWS Private CA (in short-lived certificate mode for the lowest price) that signs the
     * certificates: `arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>`.
     * @example
     * ```ts
     * { privateCaArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" }
     * ```
     */
    privateCaArn: pulumi.Input<string>;
    /**
     * The role ECS assumes to issue the certificates (AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity).
     * @example
     * ```ts
     * { roleArn: cluster.serviceConnectTls!.roleArn }
     * ```
     */
    roleArn: pulumi.Input<string>;
    /**
     * A customer managed KMS key for the certificates' private keys, which ECS keeps in Secrets Manager.
     * @default the AWS managed key
     * @example
     * ```ts
     * { kmsKeyArn: key.arn }
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
}

/** The environment's namespace: an HTTP namespace (API discovery only; Service Connect needs no DNS zone). */
export function createNamespace(name: string, namespaceName: string, parent: pulumi.Resource, tags?: Record<string, string>): HttpNamespace {
    return new HttpNamespace(
        name,
        { name: namespaceName, description: `ECS Service Connect namespace of ${namespaceName}`, tags },
        // Services register their endpoints in it: it goes after them, not before.
        { parent },
    );
}

/** The infrastructure role ECS assumes to issue, rotate and store Service Connect's certificates. */
export function createTlsRole(name: string, parent: pulumi.Resource, tags?: Record<string, string>): { role: Role; attachment: RolePolicyAttachment } {
    const role = new Role(awsName("iamRole", name), { assumeRolePolicy: JSON.stringify(ecsServiceTrustPolicy()), description: "ECS Service Connect TLS: certificates from the Private CA", tags }, { parent });
    const attachment = new RolePolicyAttachment(name, { role: role.name, policyArn: SERVICE_CONNECT_TLS_POLICY_ARN }, { parent });
    return { role, attachment };
}

/** What createEcsService puts in `serviceConnectConfiguration`. */
export function serviceConnectConfiguration(
    args: ServiceConnectArgs,
    containerPort: number | undefined,
    logGroupName: pulumi.Input<string>,
    region: pulumi.Input<string>,
): ServiceArgs["serviceConnectConfiguration"] {
    const server = args.name !== undefined && containerPort !== undefined;
    return {
        enabled: true,
        namespace: args.namespace,
        // The proxy's own log lines go to the service's log group, beside the application's.
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": "service-connect" },
        },
        services: server
            ? [
                  {
                      portName: portMappingName(MAIN_CONTAINER, containerPort),
                      discoveryName: args.name,
                      clientAlias: [{ dnsName: args.name, port: args.port ?? containerPort }],
                      tls: args.tls
                          ? { issuerCertAuthority: { awsPcaAuthorityArn: args.tls.privateCaArn }, roleArn: args.tls.roleArn, kmsKey: args.tls.kmsKeyArn }
                          : undefined,
                  },
              ]
            : undefined,
    };
}

/**
 * One caller → callee edge: the callee's tasks admit the caller's security group on the callee's
 * port, and nothing wider; a caller whose outbound traffic is limited to HTTPS gets a way out to
 * that port of that group only.
 */
export function allowServiceConnectCall(
    name: string,
    caller: { securityGroup: SecurityGroup; name: string; outboundTraffic?: OutboundTraffic },
    callee: ServiceConnectEndpoint,
    parent: pulumi.Resource,
    tags?: Record<string, string>,
): { ingress: SecurityGroupIngressRule; egress?: SecurityGroupEgressRule } {
    const ingress = new SecurityGroupIngressRule(
        `${name}-in`,
        {
            securityGroupId: callee.securityGroupId,
            referencedSecurityGroupId: caller.securityGroup.id,
            ipProtocol: "tcp",
            fromPort: callee.port,
            toPort: callee.port,
            description: `Service Connect: ${caller.name} calls ${callee.name}`,
            tags,
        },
        { parent },
    );
    const egress =
        caller.outboundTraffic === OutboundTraffic.Https
            ? new SecurityGroupEgressRule(
                  `${name}-out`,
                  {
                      securityGroupId: caller.securityGroup.id,
                      referencedSecurityGroupId: callee.securityGroupId,
                      ipProtocol: "tcp",
                      fromPort: callee.port,
                      toPort: callee.port,
                      description: `Service Connect: ${caller.name} calls ${callee.name}`,
                      tags,
                  },
                  { parent },
              )
            : undefined;
    return { ingress, egress };
}
