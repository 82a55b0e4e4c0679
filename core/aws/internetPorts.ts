/**
 * Which ports Security Hub lets a security group open to the whole internet (0.0.0.0/0 or ::/0):
 * the controls judge a stack's groups with these lists (analysis/controls/securityHub.ts), and a
 * Network Load Balancer's listener ports are checked against them before anything is created
 * (core/networkLoadBalancer.ts). Source: Security Hub EC2 controls,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html (EC2.18, EC2.19).
 */

/** Ports Security Hub EC2.18 allows open to the internet by default (`authorizedTcpPorts`). */
export const AUTHORIZED_PORTS: readonly number[] = [80, 443];

/** Ports Security Hub EC2.19 never allows open to the internet. */
export const HIGH_RISK_PORTS: readonly number[] = [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300];

/** Whether a CIDR block is the whole internet, over IPv4 or IPv6. */
export function isWholeInternet(cidr: string): boolean {
    return cidr === "0.0.0.0/0" || cidr === "::/0";
}
