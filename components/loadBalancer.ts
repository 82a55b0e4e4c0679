import * as pulumi from "@pulumi/pulumi";
import { serviceLoadBalancerArgsSchema } from "../core/componentSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { Listener } from "@pulumi/aws/lb/listener";
import { LoadBalancer } from "@pulumi/aws/lb/loadBalancer";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { input as inputs } from "@pulumi/aws/types";
import { certificateNameProblems, isCertificateName } from "../core/aws/certificateNames";
import { ec2Description } from "../core/aws/ec2Rules";
import { defaultAllowedCidrs, ipAddressTypeProblem } from "../core/aws/loadBalancerAddresses";
import { IpAddressType } from "../core/enums";
import { awsName } from "../core/names";
import { DEFAULT_SSL_POLICY } from "../core/tlsPolicies";
import { ValidationError } from "../core/validationError";
import { accountContext } from "./accountContext";
import { AccessLogsBucket, createAccessLogsBucket } from "./accessLogsBucket";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { DomainArgs, DomainCertificate, createAliasRecords, createDomainCertificate, zoneIdOf } from "./domain";

/** A new Application Load Balancer. */
export interface ServiceLoadBalancerArgs {
    /**
     * Subnets for the load balancer, in at least two Availability Zones (AWS requires two;
     * Security Hub ELB.13 checks it). Public subnets for an internet-facing one.
     * @default none (required for a new load balancer)
     * @example
     * ```ts
     * { subnetIds: vpc.publicSubnetIds }
     * ```
     */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Reachable only from inside the VPC (and networks connected to it).
     * @default false
     * @example
     * ```ts
     * { internal: true }
     * ```
     */
    internal?: boolean;
    /**
     * Networks allowed to reach ports 80 and 443, as IPv4 or IPv6 CIDR blocks.
     * @default ["0.0.0.0/0"], and "::/0" too with a dual-stack `ipAddressType`
     * @example
     * ```ts
     * { allowedCidrs: ["203.0.113.0/24"] }
     * ```
     */
    allowedCidrs?: string[];
    /**
     * An ACM certificate for HTTPS. With it, port 443 serves HTTPS and port 80 redirects there
     * (Security Hub ELB.1).
     * @default none (HTTP only)
     * @example
     * ```ts
     * { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-..." }
     * ```
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * A domain name in a Route 53 zone: a DNS-validated ACM certificate is created for it (unless
     * `certificateArn` is given) and the name points to the load balancer. HTTPS follows.
     * @default none
     * @example
     * ```ts
     * { domain: { name: "api.example.com", zoneName: "example.com" } }
     * ```
     */
    domain?: DomainArgs;
    /**
     * Serve HTTPS. Requires `certificateArn` or `domain`: asking for HTTPS without a certificate is
     * an error, never a silent fallback to HTTP.
     * @default true when `certificateArn` or `domain` is set
     * @example
     * ```ts
     * { https: true, certificateArn: cert.arn }
     * ```
     */
    https?: boolean;
    /**
     * The TLS policy of the HTTPS listener (Security Hub ELB.17). Set explicitly because an unset
     * policy means ELBSecurityPolicy-2016-08, which still allows TLS 1.0.
     * @default "ELBSecurityPolicy-TLS13-1-2-2021-06"
     * @example
     * ```ts
     * { sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }
     * ```
     */
    sslPolicy?: string;
    /**
     * Access logs to S3 (Security Hub ELB.5). Without `bucket`, a private bucket is created.
     * @default off
     * @example
     * ```ts
     * { accessLogs: { enabled: true, expireAfterDays: 90 } }
     * ```
     */
    accessLogs?: AccessLogsArgs;
    /**
     * Refuse deletion of the load balancer until this is turned off (Security Hub ELB.6). Turn
     * it off before destroying the environment.
     * @default false
     * @example
     * ```ts
     * { deletionProtection: true }
     * ```
     */
    deletionProtection?: boolean;
    /**
     * Seconds a connection may sit idle (1 to 4000). Raise for long polling or streaming.
     * @default 60
     * @example
     * ```ts
     * { idleTimeout: 300 }
     * ```
     */
    idleTimeout?: number;
    /**
     * The load balancer's IP addresses. `"dualstack"` adds IPv6; `"dualstack-without-public-ipv4"`
     * drops the public IPv4 addresses (about $3.65 a month each, one per Availability Zone), so
     * clients reach it over IPv6 or through a CDN. Both dual-stack types need subnets with IPv6 CIDR
     * blocks; an internal load balancer must use `"ipv4"`
     * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html).
     * Load balancer authentication (OIDC, Cognito) needs a public IPv4 address.
     * @default "ipv4"
     * @example
     * ```ts
     * { ipAddressType: "dualstack" }
     * ```
     */
    ipAddressType?: IpAddressType;
}

/** Load balancer access logs. */
export interface AccessLogsArgs {
    /**
     * Write access logs.
     * @default true
     * @example
     * ```ts
     * { enabled: true }
     * ```
     */
    enabled?: boolean;
    /**
     * An existing bucket that already lets Elastic Load Balancing write to it.
     * @default a new private bucket
     * @example
     * ```ts
     * { bucket: "my-org-alb-logs" }
     * ```
     */
    bucket?: pulumi.Input<string>;
    /**
     * The key prefix of the log files.
     * @default ""
     * @example
     * ```ts
     * { prefix: "prod/web" }
     * ```
     */
    prefix?: string;
    /**
     * Days after which log files in a created bucket are deleted.
     * @default 90
     * @example
     * ```ts
     * { expireAfterDays: 400 }
     * ```
     */
    expireAfterDays?: number;
}

export interface ServiceLoadBalancerComponentArgs extends ServiceLoadBalancerArgs {
    /**
     * Subnets for the load balancer, in at least two Availability Zones (AWS requires two;
     * Security Hub ELB.13 checks it). Public subnets for an internet-facing one. Required here,
     * where the component creates the load balancer; a FargateService may borrow its own subnets.
     * @example
     * ```ts
     * { subnetIds: vpc.publicSubnetIds }
     * ```
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The VPC of the load balancer.
     * @example
     * ```ts
     * { vpcId: vpc.vpcId }
     * ```
     */
    vpcId: pulumi.Input<string>;
    /**
     * A target group that receives every request no rule claims.
     * @default none: unclaimed requests get 404, and services add listener rules
     * @example
     * ```ts
     * { defaultTargetGroupArn: targetGroup.arn }
     * ```
     */
    defaultTargetGroupArn?: pulumi.Input<string>;
    /**
     * Protect a created access-log bucket from deletion and keep it if removed from the program.
     * @default false
     * @example
     * ```ts
     * { protectStatefulResources: true }
     * ```
     */
    protectStatefulResources?: boolean;
    /**
     * Tags for every child.
     * @default {}
     * @example
     * ```ts
     * { tags: { environment: "prod" } }
     * ```
     */
    tags?: Record<string, string>;
}

export const LOAD_BALANCER_DEFAULTS = { idleTimeout: 60, accessLogExpiryDays: 90 } as const;

/**
 * An Application Load Balancer with its own security group, hardened defaults (invalid headers
 * dropped, desync mitigation, TLS 1.3 policy, HSTS) and HTTP redirected to HTTPS when a
 * certificate is given. Services attach to `listenerArn` with rules, or one service takes all
 * traffic through `defaultTargetGroupArn`.
 */
export class ServiceLoadBalancer extends pulumi.ComponentResource {
    public readonly securityGroup: SecurityGroup;
    public readonly ingressRules: SecurityGroupIngressRule[];
    public readonly loadBalancer: LoadBalancer;
    public readonly httpListener: Listener;
    public readonly httpsListener?: Listener;
    public readonly accessLogs?: AccessLogsBucket;
    public readonly certificate?: DomainCertificate;
    /** The listener services add their rules to: HTTPS when there is a certificate, else HTTP. */
    public readonly listenerArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    public readonly zoneId: pulumi.Output<string>;
    public readonly arnSuffix: pulumi.Output<string>;
    /** `https://` or `http://` and the DNS name. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ServiceLoadBalancerComponentArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(serviceLoadBalancerArgsSchema, args, `ServiceLoadBalancer "${name}"`, "args");
        const addressProblem = ipAddressTypeProblem(args.ipAddressType, args.internal);
        if (addressProblem) throw new ValidationError(`ServiceLoadBalancer "${name}"`, [{ path: "args.ipAddressType", message: addressProblem }], "args");
        // ACM and Route 53 refuse these only mid-deploy: refuse them before anything is registered.
        if (args.domain) {
            const { name: domainName, alternativeNames = [], zoneName } = args.domain;
            const problems = [
                ...(isCertificateName(domainName) ? [] : [{ path: "args.domain.name", message: `"${domainName}" is not a lower-case DNS name such as api.example.com, or a wildcard such as "*.example.com"` }]),
                ...certificateNameProblems(domainName, alternativeNames, zoneName).map((p) => ({
                    path: p.host === undefined ? "args.domain" : `args.domain.alternativeNames[${p.host}]`,
                    message: p.message,
                })),
            ];
            if (problems.length > 0) throw new ValidationError(`ServiceLoadBalancer "${name}"`, problems, "args");
        }
        super(componentType("ServiceLoadBalancer"), name, args, withPreflight(withFormerTypeAlias("ServiceLoadBalancer", opts)));
        const https = args.https ?? (args.certificateArn !== undefined || args.domain !== undefined);
        const tags = args.tags;
        const zoneId = args.domain ? zoneIdOf(args.domain, this) : undefined;
        if (args.domain && zoneId && args.certificateArn === undefined) {
            this.certificate = createDomainCertificate(name, args.domain, zoneId, this, tags);
        }
        const certificateArn = args.certificateArn ?? this.certificate?.arn;

        this.securityGroup = new SecurityGroup(
            awsName("securityGroup", `${name}-lb`),
            { vpcId: args.vpcId, description: "Load balancer: HTTP(S) in from the allowed networks, out to the tasks of its services only", tags },
            { parent: this },
        );
        const ports = https ? [80, 443] : [80];
        this.ingressRules = (args.allowedCidrs ?? defaultAllowedCidrs(args.ipAddressType)).flatMap((cidr, i) =>
            ports.map(
                (port) =>
                    new SecurityGroupIngressRule(
                        `${name}-${port}-${i}`,
                        {
                            securityGroupId: this.securityGroup.id,
                            description: ec2Description(`HTTP${port === 443 ? "S" : ""} from ${cidr}`),
                            ipProtocol: "tcp",
                            fromPort: port,
                            toPort: port,
                            ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                            tags,
                        },
                        { parent: this },
                    ),
            ),
        );

        const logs = args.accessLogs && args.accessLogs.enabled !== false ? args.accessLogs : undefined;
        if (logs && logs.bucket === undefined) {
            this.accessLogs = createAccessLogsBucket(
                `${name}-access-logs`,
                {
                    prefix: logs.prefix ?? "",
                    expireAfterDays: logs.expireAfterDays ?? LOAD_BALANCER_DEFAULTS.accessLogExpiryDays,
                    protect: args.protectStatefulResources ?? false,
                    tags,
                },
                accountContext(this),
                this,
            );
        }
        this.loadBalancer = new LoadBalancer(
            awsName("loadBalancer", name),
            {
                loadBalancerType: "application",
                internal: args.internal ?? false,
                // Always sent: the provider keeps a computed value when the input is left out, so a
                // load balancer set back to ipv4 after dualstack would stay dual-stack.
                ipAddressType: args.ipAddressType ?? IpAddressType.Ipv4,
                securityGroups: [this.securityGroup.id],
                subnets: args.subnetIds,
                idleTimeout: args.idleTimeout ?? LOAD_BALANCER_DEFAULTS.idleTimeout,
                enableDeletionProtection: args.deletionProtection ?? false,
                // Security Hub ELB.4 and ELB.12: AWS leaves header dropping off by default.
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                accessLogs: logs
                    ? { enabled: true, bucket: logs.bucket ?? this.accessLogs!.bucket.id, prefix: logs.prefix }
                    : undefined,
                tags,
            },
            // The bucket policy must exist before the load balancer checks that it may write there.
            { parent: this, dependsOn: this.accessLogs ? [this.accessLogs.policy] : [] },
        );

        const forward: inputs.lb.ListenerDefaultAction = args.defaultTargetGroupArn
            ? { type: "forward", targetGroupArn: args.defaultTargetGroupArn }
            : { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };
        if (https) {
            this.httpsListener = new Listener(
                `${name}-https`,
                {
                    loadBalancerArn: this.loadBalancer.arn,
                    port: 443,
                    protocol: "HTTPS",
                    certificateArn,
                    sslPolicy: args.sslPolicy ?? DEFAULT_SSL_POLICY,
                    defaultActions: [forward],
                    // Browsers that once saw HTTPS never fall back to HTTP for a year.
                    routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000",
                    routingHttpResponseXContentTypeOptionsHeaderValue: "nosniff",
                    tags,
                },
                { parent: this },
            );
        }
        this.httpListener = new Listener(
            `${name}-http`,
            {
                loadBalancerArn: this.loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [
                    https ? { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } : forward,
                ],
                tags,
            },
            { parent: this },
        );

        this.listenerArn = (this.httpsListener ?? this.httpListener).arn;
        this.securityGroupId = this.securityGroup.id;
        this.dnsName = this.loadBalancer.dnsName;
        this.zoneId = this.loadBalancer.zoneId;
        this.arnSuffix = this.loadBalancer.arnSuffix;
        if (args.domain && zoneId) {
            createAliasRecords(name, args.domain, zoneId, { dnsName: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId }, this, (args.ipAddressType ?? IpAddressType.Ipv4) !== IpAddressType.Ipv4);
        }
        const host = args.domain ? pulumi.output(args.domain.name) : this.loadBalancer.dnsName;
        this.url = pulumi.interpolate`${https ? "https" : "http"}://${host}`;
        this.registerOutputs({ listenerArn: this.listenerArn, securityGroupId: this.securityGroupId, dnsName: this.dnsName, url: this.url });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const serviceLoadBalancerComponentArgsChecked: EveryArgumentChecked<ServiceLoadBalancerComponentArgs, typeof serviceLoadBalancerArgsSchema.shape> = true;
