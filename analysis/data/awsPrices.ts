/**
 * The prices the cost model reads: one file of record, each price with its public source URL and
 * the date it was read. A TypeScript module rather than JSON so that the published declarations
 * (`PriceKey` is derived from it) compile in a project without `resolveJsonModule`.
 */
export const AWS_PRICES = {
  "region": "us-east-1",
  "currency": "USD",
  "hoursPerMonth": 730,
  "note": "AWS renders its price tables dynamically; each figure is transcribed from the AWS page at `url` (its worked examples) or, where the page showed no figure, from the third-party summaries named in `source`. Cross-check against the AWS Price List API before relying on them.",
  "prices": {
    "fargate.x86.vcpuHour": { "usd": 0.04048, "unit": "vCPU-hour", "url": "https://aws.amazon.com/fargate/pricing/", "source": "AWS Fargate pricing page example ($0.000011244 per vCPU-second); also Vantage, cloudburn", "date": "2026-09-20" },
    "fargate.x86.gbHour": { "usd": 0.004445, "unit": "GB-hour", "url": "https://aws.amazon.com/fargate/pricing/", "source": "[3P] Vantage; wring; cloudburn (the AWS page's table renders dynamically)", "date": "2026-03" },
    "fargate.arm.vcpuHour": { "usd": 0.03238, "unit": "vCPU-hour", "url": "https://aws.amazon.com/fargate/pricing/", "source": "[3P] Vantage; factualminds (about 20% below x86)", "date": "2026-06" },
    "fargate.arm.gbHour": { "usd": 0.00356, "unit": "GB-hour", "url": "https://aws.amazon.com/fargate/pricing/", "source": "[3P] Vantage; factualminds", "date": "2026-06" },
    "alb.hour": { "usd": 0.0225, "unit": "load balancer-hour", "url": "https://aws.amazon.com/elasticloadbalancing/pricing/", "source": "AWS Elastic Load Balancing pricing page example", "date": "2026-09-20" },
    "alb.lcuHour": {
      "usd": 0.008, "unit": "LCU-hour", "url": "https://aws.amazon.com/elasticloadbalancing/pricing/", "source": "AWS Elastic Load Balancing pricing page example", "date": "2026-09-20",
      "lcu": { "newConnectionsPerSecond": 25, "activeConnectionsPerMinute": 3000, "processedGbPerHour": 1, "ruleEvaluationsPerSecond": 1000, "freeRules": 10 }
    },
    "nlb.hour": { "usd": 0.0225, "unit": "load balancer-hour", "url": "https://aws.amazon.com/elasticloadbalancing/pricing/", "source": "[3P] awsnegotiations.com 'Elastic Load Balancer Cost' and clustercost.com 'AWS Network Load Balancer Pricing (US-East-1 2025 Guide)' (the AWS page's Network Load Balancer table renders dynamically); the same hourly rate as an Application Load Balancer", "date": "2026-11-23" },
    "nlb.nlcuHour": {
      "usd": 0.006, "unit": "NLCU-hour", "url": "https://aws.amazon.com/elasticloadbalancing/pricing/", "source": "[3P] awsnegotiations.com 'Elastic Load Balancer Cost' (NLCU-hour rate and the TCP and TLS dimensions); the dimensions as the AWS page names them", "date": "2026-11-23",
      "nlcu": {
        "tcp": { "newFlowsPerSecond": 800, "activeFlows": 100000, "processedGbPerHour": 1 },
        "tls": { "newFlowsPerSecond": 50, "activeFlows": 3000, "processedGbPerHour": 1 }
      }
    },
    "nat.hour": { "usd": 0.045, "unit": "NAT gateway-hour", "url": "https://aws.amazon.com/vpc/pricing/", "source": "AWS VPC pricing page example (US East); also sst.dev, fck-nat", "date": "2026-09-20" },
    "nat.gb": { "usd": 0.045, "unit": "GB processed", "url": "https://aws.amazon.com/vpc/pricing/", "source": "AWS VPC pricing page example (US East)", "date": "2026-09-20" },
    "vpcEndpoint.azHour": { "usd": 0.01, "unit": "endpoint-AZ-hour", "url": "https://aws.amazon.com/privatelink/pricing/", "source": "[3P] c3x (the hourly figure was not visible on the AWS page)", "date": "2026-06" },
    "vpcEndpoint.gb": { "usd": 0.01, "unit": "GB processed (first PB)", "url": "https://aws.amazon.com/privatelink/pricing/", "source": "AWS PrivateLink pricing page", "date": "2026-09-20" },
    "publicIpv4.hour": { "usd": 0.005, "unit": "public IPv4 address-hour", "url": "https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/", "source": "AWS networking blog 'Identify and optimize public IPv4 address usage on AWS' (in effect since 2024-02-01)", "date": "2026-09-20" },
    "dataTransfer.internetOutGb": { "usd": 0.09, "unit": "GB out to the internet (first 10 TB, after 100 GB free a month per account)", "url": "https://aws.amazon.com/ec2/pricing/on-demand/", "source": "[3P] several 2026 pricing summaries (the AWS page's data-transfer table renders dynamically); the 100 GB free from https://aws.amazon.com/free/", "date": "2026-06", "freePerMonth": 100 },
    "logs.ingestGb": { "usd": 0.5, "unit": "GB ingested (standard, after 5 GB free a month per account)", "url": "https://aws.amazon.com/cloudwatch/pricing/", "source": "[3P] c3x; hykell; cloudburn; the 5 GB free tier from the AWS page", "date": "2026-06", "freePerMonth": 5 },
    "logs.storageGbMonth": { "usd": 0.03, "unit": "GB-month stored", "url": "https://aws.amazon.com/cloudwatch/pricing/", "source": "[3P] c3x; hykell; cloudburn", "date": "2026-06" },
    "cloudwatch.metricMonth": { "usd": 0.3, "unit": "custom metric-month (first 10,000; after 10 free a month per account)", "url": "https://aws.amazon.com/cloudwatch/pricing/", "source": "[3P] pricing summaries (2026); the 10 free metrics from the AWS page", "date": "2026-06", "freePerMonth": 10 },
    "cloudwatch.alarmMonth": { "usd": 0.1, "unit": "standard-resolution alarm-month (after 10 free a month per account)", "url": "https://aws.amazon.com/cloudwatch/pricing/", "source": "[3P] c3x 'aws_cloudwatch_metric_alarm cost estimation'; the 10 free alarms from the AWS page", "date": "2026", "freePerMonth": 10 },
    "cloudwatch.dashboardMonth": { "usd": 3.0, "unit": "dashboard-month (after 3 free a month per account)", "url": "https://aws.amazon.com/cloudwatch/pricing/", "source": "[3P] factualminds 'Amazon CloudWatch Pricing' ('dashboards at $3 each'); the 3 free dashboards from the AWS page", "date": "2026-06-13", "freePerMonth": 3 },
    "efs.standardGbMonth": { "usd": 0.3, "unit": "GB-month stored (EFS Standard)", "url": "https://aws.amazon.com/efs/pricing/", "source": "AWS EFS pricing page ($0.30/GB-month); [3P] factualminds 'Amazon EFS Pricing' (us-east-1, June 2026)", "date": "2026-06" },
    "backup.efsWarmGbMonth": { "usd": 0.05, "unit": "GB-month of EFS backup (warm storage)", "url": "https://aws.amazon.com/backup/pricing/", "source": "[3P] factualminds 'AWS Backup Pricing' (us-east-1, EFS warm storage $0.05/GB-month, June 2026)", "date": "2026-06" },
    "ecr.storageGbMonth": { "usd": 0.1, "unit": "GB-month stored", "url": "https://aws.amazon.com/ecr/pricing/", "source": "[3P] cloudburn; wring; finops.com.py", "date": "2026-03" },
    "s3.storageGbMonth": { "usd": 0.023, "unit": "GB-month stored (S3 Standard, first 50 TB)", "url": "https://aws.amazon.com/s3/pricing/", "source": "[3P] 2026 pricing summaries", "date": "2026-06" },
    "s3.thousandPuts": { "usd": 0.005, "unit": "1,000 PUT requests (S3 Standard)", "url": "https://aws.amazon.com/s3/pricing/", "source": "[3P] 2026 pricing summaries", "date": "2026-06" },
    "secretsManager.secretMonth": { "usd": 0.4, "unit": "secret-month", "url": "https://aws.amazon.com/secrets-manager/pricing/", "source": "AWS Secrets Manager pricing page example", "date": "2026-09-20" },
    "sqs.millionRequests": { "usd": 0.4, "unit": "million requests (standard queue, after 1 million free a month per account)", "url": "https://aws.amazon.com/sqs/pricing/", "source": "[3P] cloudburn 'Amazon SQS Pricing' (us-east-1)", "date": "2026-03-14", "freePerMonth": 1000000 },
    "scheduler.millionInvocations": { "usd": 1.0, "unit": "million invocations (after 14 million free a month per account)", "url": "https://aws.amazon.com/eventbridge/pricing/", "source": "[3P] cloudburn 'Amazon EventBridge Pricing' (us-east-1)", "date": "2026-03-13", "freePerMonth": 14000000 },
    "eventbridge.millionCustomEvents": { "usd": 1.0, "unit": "million custom events (AWS service events are free)", "url": "https://aws.amazon.com/eventbridge/pricing/", "source": "[3P] cloudburn; wring 'AWS EventBridge pricing guide'", "date": "2026-03-13" },
    "sns.millionPublishes": { "usd": 0.5, "unit": "million publishes (after 1 million free a month per account)", "url": "https://aws.amazon.com/sns/pricing/", "source": "[3P] factualminds 'Amazon SNS Pricing'", "date": "2026-06-13", "freePerMonth": 1000000 },
    "ec2.g4dn.xlarge.hour": { "usd": 0.526, "unit": "instance-hour (Linux, on-demand)", "url": "https://aws.amazon.com/ec2/pricing/on-demand/", "source": "AWS EC2 on-demand price list for us-east-1 as published since 2019; the page renders its table dynamically and no stored copy here shows it: cross-check", "date": "2026-11-23" },
    "ec2.g5.xlarge.hour": { "usd": 1.006, "unit": "instance-hour (Linux, on-demand)", "url": "https://aws.amazon.com/ec2/pricing/on-demand/", "source": "[3P] factualminds 'Amazon EC2 On-Demand Pricing' (us-east-1, a GPU g5.xlarge at $1.006/hr)", "date": "2026-06-17" },
    "ec2.g6.xlarge.hour": { "usd": 0.8048, "unit": "instance-hour (Linux, on-demand)", "url": "https://aws.amazon.com/ec2/pricing/on-demand/", "source": "AWS EC2 on-demand price list for us-east-1 as published since 2024; the page renders its table dynamically and no stored copy here shows it: cross-check", "date": "2026-11-23" },
    "privateCa.shortLivedMonth": { "usd": 50.0, "unit": "private CA-month (short-lived certificate mode: certificates valid 7 days at most)", "url": "https://aws.amazon.com/private-ca/pricing/", "source": "AWS Private CA pricing page ('$50 per private CA per month for short-lived certificate mode'; prorated; the first CA of an account and Region is free for 30 days)", "date": "2026-11-23" },
    "privateCa.generalPurposeMonth": { "usd": 400.0, "unit": "private CA-month (general-purpose mode)", "url": "https://aws.amazon.com/private-ca/pricing/", "source": "AWS Private CA pricing page ('$400 per private CA per month for general-purpose mode')", "date": "2026-11-23" },
    "sns.emailThousand": { "usd": 0.02, "unit": "1,000 e-mail notifications (after 1,000 free a month per account)", "url": "https://aws.amazon.com/sns/pricing/", "source": "[3P] factualminds 'Amazon SNS Pricing' ($2 per 100,000)", "date": "2026-06-13", "freePerMonth": 1000 }
  },
  "notPriced": {
    "containerInsightsEnhanced": "enhanced observability is billed per observation, a tier no source we hold gives a rate for; its standard part (custom metrics and performance logs) is priced above",
    "route53Queries": "DNS queries to alias records of AWS resources are free; other queries cost per million (https://aws.amazon.com/route53/pricing/) and depend on client caching",
    "secretsManagerApiCalls": "each task start reads its secrets once ($0.05 per 10,000 calls, https://aws.amazon.com/secrets-manager/pricing/): cents at any deploy rate",
    "imageBuild": "images are built by Docker where `pulumi up` runs, not in AWS",
    "managedInstancesFee": "ECS Managed Instances adds a management charge to each instance's EC2 price, per second, at a rate that depends on the instance type (https://aws.amazon.com/ecs/pricing/); no source held here gives the rates",
    "managedInstancesStorage": "each instance's task volume (managedInstances.storageGiB, 30 GiB by default) is an EBS volume billed per GB-month (https://aws.amazon.com/ebs/pricing/); its volume type is AWS's choice, so no rate is assumed",
    "managedInstancesUnresolved": "the requirements allow more than one instance type, and ECS picks among them at launch: name exactly one type in managedInstances.instanceTypes (g4dn.xlarge, g5.xlarge or g6.xlarge are priced) to have the instances priced",
    "serviceConnect": "Service Connect has no charge of its own (https://aws.amazon.com/ecs/pricing/): its proxy runs inside each task, in the task's vCPU and memory. The HTTP namespace is Cloud Map's (https://aws.amazon.com/cloud-map/pricing/), which bills registered instances and DiscoverInstances calls; ECS registers the tasks and hands the proxies their endpoints itself, so the application makes no discovery calls, and no source we hold gives a rate for the instances ECS registers for Service Connect",
    "privateCa": "the Private CA is brought, not created here: it is billed to the account that owns it, often shared by several environments, so it is not added to this stack. Service Connect's certificates last 7 days and rotate every 5 (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-tls.html), so a CA in short-lived certificate mode is enough; each certificate ECS issues is billed too, at a rate no source we hold gives"
  }
};
