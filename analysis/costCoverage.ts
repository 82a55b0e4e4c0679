import { AWS_PRICES as priceData } from "./data/awsPrices";
import { isComponentType } from "../components/componentType";

/**
 * For every resource type a stack can hold, how the estimate accounts for it: priced (by which
 * lines), free (AWS charges nothing for the resource itself), or not priced, with the reason. A
 * type missing here is reported as not priced, so the estimate never drops a resource silently.
 */

export type Coverage = { kind: "priced"; by: string } | { kind: "free"; reason: string } | { kind: "notPriced"; reason: string };

const priced = (by: string): Coverage => ({ kind: "priced", by });
const free = (reason: string): Coverage => ({ kind: "free", reason });
const notPriced = (reason: string): Coverage => ({ kind: "notPriced", reason });

const IAM = "IAM is free (https://aws.amazon.com/iam/faqs/)";
const CONFIG = "configuration of a priced resource, not billed itself";
/** Of a VPC, only NAT gateways, endpoints and public IPv4 addresses are billed; IPv6 addresses are free. */
const VPC = "VPCs, subnets, route tables, internet and egress-only gateways and IPv6 addresses are free (https://aws.amazon.com/vpc/pricing/)";

export const COST_COVERAGE: Record<string, Coverage> = {
    "aws:ecs/service:Service": priced("Fargate vCPU and memory hours of its tasks (on Managed Instances, its capacity provider's instances)"),
    "aws:ecs/taskDefinition:TaskDefinition": free("a task definition is billed only through the tasks that run it"),
    "aws:ecs/cluster:Cluster": priced("Container Insights, when on; the cluster itself is free (https://aws.amazon.com/ecs/pricing/)"),
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": free(CONFIG),
    "aws:ecs/capacityProvider:CapacityProvider": priced("the EC2 hours of the Managed Instances it launches, when its requirements name one priced instance type; its management fee and volumes are listed as not priced"),
    "aws:iam/instanceProfile:InstanceProfile": free(IAM),
    "aws:ecr/repository:Repository": priced("ECR storage"),
    "aws:efs/fileSystem:FileSystem": priced("EFS Standard storage (efsGbPerFileSystem) and its backups; elastic throughput listed as not priced"),
    "aws:efs/mountTarget:MountTarget": free("mount targets are free (https://aws.amazon.com/efs/pricing/): the file system's storage and throughput are billed"),
    "aws:efs/accessPoint:AccessPoint": free("access points are free (https://aws.amazon.com/efs/pricing/)"),
    "aws:efs/fileSystemPolicy:FileSystemPolicy": free(CONFIG),
    "aws:efs/backupPolicy:BackupPolicy": priced("the backups' warm storage, on the file system's line"),
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": free(CONFIG),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": free(CONFIG),
    "aws:lb/loadBalancer:LoadBalancer": priced("load balancer hours, LCUs, its public IPv4 addresses and the data it sends to the internet"),
    "aws:lb/listener:Listener": free(CONFIG),
    "aws:lb/listenerRule:ListenerRule": priced("rule evaluations beyond 10, in the LCUs"),
    "aws:lb/targetGroup:TargetGroup": free(CONFIG),
    "aws:ec2/securityGroup:SecurityGroup": free("security groups are free"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": free("security group rules are free"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": free("security group rules are free"),
    "aws:ec2/securityGroupRule:SecurityGroupRule": free("security group rules are free"),
    "aws:cloudwatch/logGroup:LogGroup": priced("CloudWatch Logs ingestion and storage"),
    "aws:iam/role:Role": free(IAM),
    "aws:iam/rolePolicy:RolePolicy": free(IAM),
    "aws:iam/policy:Policy": free(IAM),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": free(IAM),
    "aws:iam/policyAttachment:PolicyAttachment": free(IAM),
    "aws:appautoscaling/target:Target": free("Application Auto Scaling is free (https://aws.amazon.com/autoscaling/pricing/)"),
    "aws:appautoscaling/policy:Policy": priced("the two alarms each target-tracking policy creates"),
    "aws:appautoscaling/scheduledAction:ScheduledAction": priced("the hours its service runs"),
    "aws:ec2/natGateway:NatGateway": priced("NAT gateway hours, data and its public IPv4 address"),
    "aws:ec2/eip:Eip": priced("public IPv4 address hours"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": priced("interface endpoint hours per zone and data; gateway endpoints (S3) are free"),
    "aws:ec2/vpc:Vpc": free(VPC),
    "aws:ec2/subnet:Subnet": free(VPC),
    "aws:ec2/internetGateway:InternetGateway": free(VPC),
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": free(`${VPC}; data out through it is priced like any internet data out`),
    "aws:ec2/routeTable:RouteTable": free(VPC),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": free(VPC),
    "awsx:ec2:Vpc": priced("its NAT gateways and their addresses; the VPC, subnets, route tables and internet gateway are free (https://aws.amazon.com/vpc/pricing/)"),
    "aws:s3/bucket:Bucket": priced("access-log storage and PUT requests"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": free(CONFIG),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": free(CONFIG),
    "aws:s3/bucketPolicy:BucketPolicy": free(CONFIG),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": free(CONFIG),
    "aws:acm/certificate:Certificate": free("public ACM certificates are free (https://aws.amazon.com/certificate-manager/pricing/)"),
    "aws:acm/certificateValidation:CertificateValidation": free("a wait for validation, no resource"),
    "aws:route53/record:Record": notPriced(priceData.notPriced.route53Queries),
    "docker-build:index:Image": notPriced(priceData.notPriced.imageBuild),
    "aws:sqs/queue:Queue": priced("SQS requests"),
    "aws:sqs/queuePolicy:QueuePolicy": free(CONFIG),
    "aws:scheduler/schedule:Schedule": priced("Scheduler invocations and the Fargate time of each run"),
    "aws:cloudwatch/eventRule:EventRule": priced("custom events; events from AWS services are free"),
    "aws:cloudwatch/eventTarget:EventTarget": priced("the Fargate time of each run"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": priced("CloudWatch alarms"),
    "aws:cloudwatch/dashboard:Dashboard": priced("CloudWatch dashboards"),
    "aws:sns/topic:Topic": priced("SNS publishes"),
    "aws:sns/topicPolicy:TopicPolicy": free(CONFIG),
    "aws:sns/topicSubscription:TopicSubscription": priced("e-mail notifications"),
    "aws:servicediscovery/httpNamespace:HttpNamespace": notPriced(priceData.notPriced.serviceConnect),
};

/** How the estimate accounts for a resource type; components and Pulumi's own resources are free. */
export function coverageOf(type: string): Coverage {
    const known = COST_COVERAGE[type];
    if (known) return known;
    if (type.startsWith("pulumi:") || isComponentType(type)) return free("a component groups resources; it is not a cloud resource");
    return notPriced("the estimate has no price model for this resource type");
}
