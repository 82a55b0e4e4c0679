import { createHash } from "node:crypto";
import { ELB_ACCOUNT_BY_REGION } from "../core/aws/elbLogDelivery";

/**
 * What the offline engine answers for each resource and each provider call: placeholder IDs,
 * names and ARNs shaped like the real ones, so the program's outputs read naturally, every value
 * is stable between runs, and no two resources share one.
 */

export interface PlanContext {
    region: string;
    accountId: string;
    /** Availability Zones the offline engine pretends the region has. */
    availabilityZones: string[];
    /**
     * The images ECR holds, by repository name, tag and digest, for `aws.ecr.getImage`. When not
     * given, every tag of every repository is taken as pushed, with a placeholder digest: a plan
     * shows what a deploy would create once CI has pushed. Given, a tag missing from it fails the
     * lookup as ECR would (ImageNotFoundException; RepositoryNotFoundException for a repository
     * that is not listed).
     */
    images?: Record<string, Record<string, string>>;
}

export const PLACEHOLDER_ACCOUNT = "123456789012";

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The physical name AWS auto-naming would give: logical name, "-", 7 characters. */
function autoName(name: string, seed: string, lower = false): string {
    const base = `${name}-${hex(seed, 7)}`;
    return lower ? base.toLowerCase() : base;
}

type State = Record<string, unknown>;

/** Placeholder id and output state for a registered resource. */
export function resourceState(type: string, name: string, urn: string, inputs: State, ctx: PlanContext): { id: string; state: State } {
    const { region, accountId } = ctx;
    const arn = (service: string, resource: string, scope = `${region}:${accountId}`) => `arn:aws:${service}:${scope}:${resource}`;
    const physical = (inputs.name as string | undefined) ?? autoName(name, urn);
    switch (type) {
        case "aws:ecr/repository:Repository": {
            const repo = (inputs.name as string | undefined) ?? autoName(name, urn, true);
            return {
                id: repo,
                state: { ...inputs, name: repo, arn: arn("ecr", `repository/${repo}`), registryId: accountId, repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${repo}` },
            };
        }
        case "aws:ecs/cluster:Cluster":
            return { id: arn("ecs", `cluster/${physical}`), state: { ...inputs, name: physical, arn: arn("ecs", `cluster/${physical}`) } };
        case "aws:ecs/service:Service":
            return { id: arn("ecs", `service/${physical}`), state: { ...inputs, name: physical } };
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const family = inputs.family as string;
            return { id: family, state: { ...inputs, arn: arn("ecs", `task-definition/${family}:1`), arnWithoutRevision: arn("ecs", `task-definition/${family}`), revision: 1 } };
        }
        case "aws:cloudwatch/logGroup:LogGroup": {
            const group = (inputs.name as string | undefined) ?? `${(inputs.namePrefix as string | undefined) ?? `${name}-`}${hex(urn, 26)}`;
            return { id: group, state: { ...inputs, name: group, arn: arn("logs", `log-group:${group}`) } };
        }
        case "aws:iam/role:Role":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("iam", `role/${physical}`, `:${accountId}`), uniqueId: `AROA${hex(urn, 17).toUpperCase()}` } };
        case "aws:iam/policy:Policy":
            return { id: arn("iam", `policy/${physical}`, `:${accountId}`), state: { ...inputs, name: physical, arn: arn("iam", `policy/${physical}`, `:${accountId}`) } };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { id: `sg-${hex(urn, 17)}`, state: { ...inputs, name: physical, arn: arn("ec2", `security-group/sg-${hex(urn, 17)}`) } };
        case "aws:lb/loadBalancer:LoadBalancer": {
            const lbName = autoName(name, urn).slice(0, 32);
            const id = hex(urn, 16);
            return {
                id: arn("elasticloadbalancing", `loadbalancer/app/${lbName}/${id}`),
                state: {
                    ...inputs,
                    name: lbName,
                    arn: arn("elasticloadbalancing", `loadbalancer/app/${lbName}/${id}`),
                    arnSuffix: `app/${lbName}/${id}`,
                    dnsName: `${inputs.internal ? "internal-" : ""}${lbName}-${parseInt(hex(urn, 8), 16)}.${region}.elb.amazonaws.com`,
                    zoneId: "Z35SXDOTRQ7X7K",
                },
            };
        }
        case "aws:lb/targetGroup:TargetGroup": {
            const tgName = autoName(name, urn).slice(0, 32);
            const id = hex(urn, 16);
            return { id: arn("elasticloadbalancing", `targetgroup/${tgName}/${id}`), state: { ...inputs, name: tgName, arn: arn("elasticloadbalancing", `targetgroup/${tgName}/${id}`), arnSuffix: `targetgroup/${tgName}/${id}` } };
        }
        case "aws:lb/listener:Listener": {
            const listener = arn("elasticloadbalancing", `listener/app/${name}/${hex(urn, 16)}/${hex(`${urn}/l`, 16)}`);
            return { id: listener, state: { ...inputs, arn: listener } };
        }
        case "aws:lb/listenerRule:ListenerRule": {
            const rule = arn("elasticloadbalancing", `listener-rule/app/${name}/${hex(urn, 16)}`);
            return { id: rule, state: { ...inputs, arn: rule } };
        }
        case "aws:s3/bucket:Bucket": {
            const bucket = (inputs.bucket as string | undefined) ?? autoName(name, urn, true);
            return { id: bucket, state: { ...inputs, bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` } };
        }
        case "aws:acm/certificate:Certificate": {
            const certArn = arn("acm", `certificate/${hex(urn, 8)}-${hex(`${urn}1`, 4)}-${hex(`${urn}2`, 4)}-${hex(`${urn}3`, 4)}-${hex(`${urn}4`, 12)}`);
            // One option per name, as ACM answers; `*.example.com` shares the record of `example.com`.
            const names = [inputs.domainName as string, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
            const base = (n: string) => n.replace(/^\*\./, "");
            const domainValidationOptions = names.map((domainName) => ({
                domainName,
                resourceRecordName: `_${hex(`${urn}${base(domainName)}`, 32)}.${base(domainName)}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${hex(`${urn}v${base(domainName)}`, 32)}.acm-validations.aws.`,
            }));
            return { id: certArn, state: { ...inputs, arn: certArn, domainValidationOptions } };
        }
        case "aws:sqs/queue:Queue": {
            const queue = (inputs.name as string | undefined) ?? autoName(name, urn);
            return { id: `https://sqs.${region}.amazonaws.com/${accountId}/${queue}`, state: { ...inputs, name: queue, arn: arn("sqs", queue), url: `https://sqs.${region}.amazonaws.com/${accountId}/${queue}` } };
        }
        case "aws:sns/topic:Topic": {
            const topic = (inputs.name as string | undefined) ?? autoName(name, urn);
            return { id: arn("sns", topic), state: { ...inputs, name: topic, arn: arn("sns", topic) } };
        }
        case "aws:scheduler/schedule:Schedule":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("scheduler", `schedule/default/${physical}`) } };
        case "aws:cloudwatch/eventRule:EventRule":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("events", `rule/${physical}`) } };
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return { id: physical, state: { ...inputs, name: physical, arn: arn("cloudwatch", `alarm:${physical}`) } };
        case "aws:cloudwatch/dashboard:Dashboard":
            return { id: inputs.dashboardName as string, state: { ...inputs, dashboardArn: arn("cloudwatch", `dashboard/${inputs.dashboardName}`, `:${accountId}`) } };
        case "aws:route53/record:Record":
            return { id: `${inputs.zoneId}_${inputs.name}_${inputs.type}`, state: { ...inputs, fqdn: inputs.name } };
        case "docker-build:index:Image":
            return { id: hex(urn, 12), state: { ...inputs, digest: `sha256:${hex(urn, 64)}`, ref: `${(inputs.tags as string[] | undefined)?.[0] ?? name}@sha256:${hex(urn, 64)}` } };
        case "awsx:ec2:Vpc":
            return { id: "", state: awsxVpcState(urn, inputs, ctx) };
        case "aws:ec2/vpc:Vpc": {
            const id = `vpc-${hex(urn, 17)}`;
            // An Amazon-provided /56 looks like 2600:1f18:xxxx:xx00::/56 (the last 8 bits are the subnets').
            const ipv6 = inputs.assignGeneratedIpv6CidrBlock ? { ipv6CidrBlock: `2600:1f18:${parseInt(hex(urn, 4), 16).toString(16)}:${(parseInt(hex(`${urn}/6`, 2), 16) * 256).toString(16)}::/56`, ipv6AssociationId: `vpc-cidr-assoc-${hex(urn, 17)}` } : {};
            return { id, state: { ...inputs, ...ipv6, arn: arn("ec2", `vpc/${id}`) } };
        }
        case "aws:ec2/subnet:Subnet":
        case "aws:ec2/internetGateway:InternetGateway":
        case "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway":
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/natGateway:NatGateway":
        case "aws:ec2/eip:Eip": {
            const prefix = { subnet: "subnet", internetGateway: "igw", egressOnlyInternetGateway: "eigw", routeTable: "rtb", natGateway: "nat", eip: "eipalloc" }[type.split("/")[1].split(":")[0]];
            const id = `${prefix}-${hex(urn, 17)}`;
            return { id, state: { ...inputs, arn: arn("ec2", `${prefix === "eipalloc" ? "elastic-ip" : prefix}/${id}`) } };
        }
        default:
            // Any other resource: its inputs echoed, an id and, where AWS would give one, an ARN.
            return { id: `${name}-${hex(urn, 8)}`, state: { ...inputs, arn: arn(type.split(":")[1]?.split("/")[0] ?? "aws", `${name}-${hex(urn, 8)}`) } };
    }
}

/**
 * awsx's Vpc is a remote component: its children are created by the awsx plugin, which the
 * offline engine does not run. Its outputs are answered here, from its inputs.
 */
function awsxVpcState(urn: string, inputs: State, ctx: PlanContext): State {
    const zones = (inputs.availabilityZoneNames as string[] | undefined) ?? ctx.availabilityZones.slice(0, (inputs.numberOfAvailabilityZones as number | undefined) ?? 3);
    const subnets = (kind: string) => zones.map((zone) => `subnet-${hex(`${urn}/${kind}/${zone}`, 17)}`);
    const specs = (inputs.subnetSpecs as { type: string }[] | undefined) ?? [{ type: "Public" }, { type: "Private" }];
    const has = (kind: string) => specs.some((s) => s.type === kind);
    return {
        vpcId: `vpc-${hex(urn, 17)}`,
        publicSubnetIds: has("Public") ? subnets("public") : [],
        privateSubnetIds: has("Private") ? subnets("private") : [],
        isolatedSubnetIds: has("Isolated") ? subnets("isolated") : [],
    };
}

/** DescribeImages by tag, as the ecr getImage data source reads it. */
function ecrImage(inputs: State, ctx: PlanContext): State {
    const repositoryName = String(inputs.repositoryName);
    const tag = inputs.imageTag as string | undefined;
    const registryId = (inputs.registryId as string | undefined) ?? ctx.accountId;
    let digest: string | undefined;
    if (ctx.images === undefined) {
        digest = `sha256:${hex(`${repositoryName}:${tag ?? inputs.imageDigest}`, 64)}`;
    } else {
        const tags = ctx.images[repositoryName];
        // The provider's own wording, so that the program's handling of it is what runs for real.
        if (!tags) throw new Error(`reading ECR Images: RepositoryNotFoundException: The repository with name '${repositoryName}' does not exist in the registry with id '${registryId}'`);
        digest = tag !== undefined ? tags[tag] : Object.values(tags).find((d) => d === inputs.imageDigest);
        if (!digest) throw new Error(`reading ECR Images: ImageNotFoundException: The image with imageId {imageTag:'${tag}'} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`);
    }
    return {
        id: digest,
        imageDigest: digest,
        imageTag: tag,
        imageTags: tag ? [tag] : [],
        imageUri: `${registryId}.dkr.ecr.${ctx.region}.amazonaws.com/${repositoryName}@${digest}`,
        repositoryName,
        registryId,
        region: ctx.region,
        imagePushedAt: 0,
        imageSizeInBytes: 0,
    };
}

/** Answers to provider functions (invokes) the programs call. */
export function invokeResult(token: string, inputs: State, ctx: PlanContext): State {
    const { region, accountId } = ctx;
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId, arn: `arn:aws:iam::${accountId}:user/offline-plan`, id: accountId, userId: "AIDAOFFLINEPLAN" };
        case "aws:index/getRegion:getRegion":
            return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: ctx.availabilityZones, zoneIds: ctx.availabilityZones.map((_, i) => `use1-az${i + 1}`), id: region };
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return { userName: "AWS", password: "offline-placeholder", authorizationToken: "offline-placeholder", proxyEndpoint: `https://${accountId}.dkr.ecr.${region}.amazonaws.com`, id: region };
        case "aws:ecr/getImage:getImage":
            return ecrImage(inputs, ctx);
        case "aws:elb/getServiceAccount:getServiceAccount": {
            // As the provider answers: from its fixed table, and an error for any other Region.
            const asked = String(inputs.region ?? region);
            const account = ELB_ACCOUNT_BY_REGION[asked];
            if (!account) throw new Error(`reading ELB Service Account: unsupported AWS Region: ${asked}`);
            return { arn: `arn:aws:iam::${account}:root`, id: account, region: asked };
        }
        case "aws:ec2/getVpc:getVpc":
            return { id: "vpc-default0000000000", cidrBlock: "172.31.0.0/16", default: true, arn: `arn:aws:ec2:${region}:${accountId}:vpc/vpc-default0000000000` };
        case "aws:ec2/getSubnets:getSubnets":
            return { ids: ctx.availabilityZones.map((zone) => `subnet-default-${zone}`), id: region };
        case "aws:route53/getZone:getZone": {
            const zoneName = String(inputs.name ?? "example.com").replace(/\.$/, "");
            return { zoneId: (inputs.zoneId as string | undefined) ?? `Z${hex(zoneName, 13).toUpperCase()}`, name: zoneName, id: `Z${hex(zoneName, 13).toUpperCase()}` };
        }
        default:
            throw new Error(`the offline plan cannot answer the provider function ${token}`);
    }
}
