import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ipv4Subnet, ipv6Subnet, subnetBits } from "../core/aws/subnetCidrs";

/** Edges of the subnet arithmetic (core/aws/subnetCidrs.ts) the environment's VPC is carved with. */
describe("subnet blocks at their edges", () => {
    it("refuses an IPv4 subnet number outside 0 to 2^newBits - 1, naming the block and the size asked for", () => {
        assert.equal(ipv4Subnet("10.0.0.0/16", 2, 3), "10.0.192.0/18");
        assert.throws(() => ipv4Subnet("10.0.0.0/16", 2, 4), { name: "RangeError", message: "10.0.0.0/16 has no subnet 4 of /18" });
        assert.throws(() => ipv4Subnet("10.0.0.0/16", 2, -1), { name: "RangeError", message: "10.0.0.0/16 has no subnet -1 of /18" });
        assert.throws(() => ipv4Subnet("10.0.0.0/16", 2, 1.5), { name: "RangeError", message: "10.0.0.0/16 has no subnet 1.5 of /18" });
    });

    it("carves down to a /32 and no further", () => {
        assert.equal(ipv4Subnet("10.0.0.0/31", 1, 1), "10.0.0.1/32");
        assert.throws(() => ipv4Subnet("10.0.0.0/32", 1, 0), { name: "RangeError", message: "10.0.0.0/32 has no subnet 0 of /33" });
    });

    it("refuses an IPv6 /64 number that is negative, fractional or past 255", () => {
        assert.equal(ipv6Subnet("2600:1f18:abcd:ef00::/56", 255), "2600:1f18:abcd:efff::/64");
        for (const index of [-1, 0.5, 256]) assert.throws(() => ipv6Subnet("2600:1f18:abcd:ef00::/56", index), { name: "RangeError", message: `a /56 holds /64s 0 to 255, not ${index}` });
    });

    it("reads a /56 written in full, with leading zeros compressed, or with zeros compressed in the middle", () => {
        assert.equal(ipv6Subnet("2600:1f18:abcd:ef00:0:0:0:0/56", 1), "2600:1f18:abcd:ef01::/64");
        assert.equal(ipv6Subnet("::/56", 1), "0:0:0:1::/64");
        assert.equal(ipv6Subnet("2600::abcd:ef00:0:0:0:0/56", 2), "2600:0:abcd:ef02::/64");
    });

    it("gives the same /64 for every textual form of the same /56", () => {
        fc.assert(
            fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 255 }), (head, high, index) => {
                const hextets = [...head, high << 8].map((h) => h.toString(16));
                const full = `${[...hextets, "0", "0", "0", "0"].join(":")}/56`;
                const compressed = `${hextets.join(":")}::/56`;
                assert.equal(ipv6Subnet(full, index), ipv6Subnet(compressed, index));
            }),
        );
    });

    it("adds at least one bit, and enough bits for the subnets asked for", () => {
        assert.equal(subnetBits(0), 1);
        assert.equal(subnetBits(1), 1);
        assert.equal(subnetBits(3), 2);
        fc.assert(fc.property(fc.integer({ min: 1, max: 4096 }), (count) => assert.ok(2 ** subnetBits(count) >= count && (subnetBits(count) === 1 || 2 ** (subnetBits(count) - 1) < count))));
    });
});
