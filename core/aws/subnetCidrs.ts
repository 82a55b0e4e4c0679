/**
 * Subnet blocks carved from a VPC's blocks, as Terraform's cidrsubnet() does: the VPC's prefix
 * plus `newBits`, numbered from 0. IPv6 subnets are always /64 out of the VPC's Amazon-provided
 * /56 (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#vpc-sizing-ipv6), so
 * a VPC holds 256 of them.
 */

/** The `index`-th IPv4 block of prefix length `prefix + newBits` in `cidr`. */
export function ipv4Subnet(cidr: string, newBits: number, index: number): string {
    const [address, length] = cidr.split("/");
    const prefix = Number(length);
    const size = prefix + newBits;
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** newBits || size > 32) throw new RangeError(`${cidr} has no subnet ${index} of /${size}`);
    const base = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
    const start = base + index * 2 ** (32 - size);
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
    return `${octets.join(".")}/${size}`;
}

/** The `index`-th /64 of an IPv6 /56 such as `2600:1f18:abcd:ef00::/56`. */
export function ipv6Subnet(cidr: string, index: number): string {
    const [address, length] = cidr.split("/");
    if (Number(length) !== 56) throw new RangeError(`${cidr} is not a /56: AWS gives a VPC an IPv6 /56`);
    if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`a /56 holds /64s 0 to 255, not ${index}`);
    const [head, tail = ""] = address.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const hextets = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right].map((h) => parseInt(h, 16));
    hextets[3] = (hextets[3] & 0xff00) | index;
    return `${hextets.slice(0, 4).map((h) => h.toString(16)).join(":")}::/64`;
}

/** Bits to add to a VPC's prefix so `count` subnets fit. */
export function subnetBits(count: number): number {
    return Math.max(1, Math.ceil(Math.log2(Math.max(count, 1))));
}

/** The smallest subnet an Application Load Balancer accepts (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer). */
export const ALB_MIN_SUBNET_PREFIX = 27;
