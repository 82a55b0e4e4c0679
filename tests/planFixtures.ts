import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const projectRoot = path.join(__dirname, "..");

/** A project directory holding the real Pulumi.yaml and one stack file with the given YAML body. */
export function stackDirectory(stack: string, configYaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-${stack}-`));
    fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `config:\n${configYaml.replace(/^/gm, "  ")}\n`);
    return dir;
}

/**
 * A reference workload whose monthly cost the cost tests work out by hand: one web service of
 * 2 tasks (0.5 vCPU, 1 GB; one on-demand base, the rest split evenly with Spot) behind a load
 * balancer, one NAT gateway, two Availability Zones, one Secrets Manager secret.
 */
export const REFERENCE_WORKLOAD = `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:network:
  availabilityZones: 2
  natGateways: single
  taskSubnets: private
fargate-service:services:
  web:
    image:
      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27
    cpu: 512
    memory: 1024
    desiredCount: 2
    capacity:
      fargateBase: 1
      fargateWeight: 1
      spotWeight: 1
    scaling:
      min: 2
      max: 4
    logs:
      retentionDays: 30
    container:
      secrets:
        DB_PASSWORD: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf
fargate-service:costAssumptions:
  requestsPerSecond: 10
  averageResponseKb: 50
  natDataGbPerMonth: 200
  logGbPerTaskMonth: 1
  spotDiscount: 0.7`;
