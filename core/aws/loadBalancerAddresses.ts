import { IpAddressType } from "../enums";

/**
 * AWS's rules for a load balancer's IP address type
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html):
 * internal load balancers must use ipv4; dualstack-without-public-ipv4 is for Application Load
 * Balancers that are internet-facing; both dual-stack types need subnets with IPv6 CIDR blocks.
 */
export function ipAddressTypeProblem(ipAddressType: string | undefined, internal: boolean | undefined): string | undefined {
    if (ipAddressType === undefined || ipAddressType === IpAddressType.Ipv4) return undefined;
    if (internal) return `"${ipAddressType}" is for internet-facing load balancers: an internal one must use "ipv4"`;
    return undefined;
}

/** The networks a load balancer admits when none are given: IPv4 everywhere, and IPv6 too when it has IPv6 addresses. */
export function defaultAllowedCidrs(ipAddressType: string | undefined): string[] {
    return ipAddressType === undefined || ipAddressType === IpAddressType.Ipv4 ? ["0.0.0.0/0"] : ["0.0.0.0/0", "::/0"];
}
