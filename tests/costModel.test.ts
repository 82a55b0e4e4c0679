import * as assert from "node:assert/strict";
import { lcus } from "../analysis/costModel";
import { parseAssumptions } from "../plan/cli";
import type { PlanDocument } from "../plan/plan";
import { REFERENCE_WORKLOAD, projectRoot, stackDirectory } from "./planFixtures";

let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
});

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 0.01, `${what}: ${actual} ≠ ${expected}`);

/** The sum of the lines whose item starts with `prefix`. */
function total(plan: PlanDocument, prefix: string): number {
    return plan.cost.lines.filter((l) => l.item.startsWith(prefix)).reduce((sum, l) => sum + l.monthlyUsd, 0);
}

describe("cost estimate", () => {
    describe("a reference workload worked out by hand", () => {
        let plan: PlanDocument;
        before(async () => {
            plan = await planStack(stackDirectory("ref", REFERENCE_WORKLOAD), "ref");
        });

        // 730 hours. 2 tasks: 1 on the on-demand base, the other split evenly: 1.5 on-demand, 0.5 Spot.
        const hours = 730;
        const onDemand = 1.5 * hours * (0.5 * 0.04048 + 1 * 0.004445);
        const spot = 0.5 * hours * (0.5 * 0.04048 + 1 * 0.004445) * (1 - 0.7);

        it("prices Fargate on-demand and Spot by the strategy's split", () => {
            close(total(plan, "Fargate on-demand"), onDemand, "on-demand");
            close(total(plan, "Fargate Spot"), spot, "Spot");
        });

        it("prices the load balancer's hours and its capacity units from the traffic", () => {
            // 10 req/s of 50 KB: 1.72 GB an hour processed beats 0.4 new connections per 25.
            const lcu = (10 * 50 * 3600) / (1024 * 1024);
            close(total(plan, "Application Load Balancer hours"), hours * 0.0225, "ALB hours");
            close(total(plan, "Load balancer capacity units"), lcu * hours * 0.008, "LCUs");
        });

        it("prices one NAT gateway's hours and data", () => {
            close(total(plan, "NAT gateway hours"), hours * 0.045, "NAT hours");
            close(total(plan, "NAT gateway data"), 200 * 0.045, "NAT data");
        });

        it("prices public IPv4 addresses: two load balancer nodes and the NAT gateway's", () => {
            close(total(plan, "Public IPv4"), 3 * hours * 0.005, "IPv4");
        });

        it("prices log ingestion per task and storage by retention", () => {
            close(total(plan, "CloudWatch Logs ingestion"), 2 * 1 * 0.5, "ingestion");
            close(total(plan, "CloudWatch Logs storage"), 2 * (30 / 30.4) * 0.03, "storage");
        });

        it("prices the secret the task reads, and no repository for an image given by URI", () => {
            close(total(plan, "Secrets Manager"), 0.4, "secrets");
            assert.equal(total(plan, "ECR storage"), 0);
        });

        it("prices the dashboard and the alarms target tracking creates (two per policy)", () => {
            close(total(plan, "CloudWatch dashboards"), 3, "dashboard");
            close(total(plan, "CloudWatch alarms"), 2 * 0.1, "alarms of the CPU target-tracking policy");
        });

        // 10 req/s × 50 KB for 730 hours leave through the load balancer: 1,253 GB.
        const dataOut = (10 * 50 * 3600 * hours) / (1024 * 1024);

        it("prices the responses sent to the internet", () => {
            close(total(plan, "Internet data transfer out"), dataOut * 0.09, "data out");
        });

        it("takes each free tier off once, as its own line: data out, logs, alarms, dashboards", () => {
            close(total(plan, "Free tier of GB out"), -100 * 0.09, "100 GB out");
            close(total(plan, "Free tier of GB ingested"), -2 * 0.5, "the 2 GB of logs, under the 5 GB free");
            close(total(plan, "Free tier of standard-resolution alarm"), -2 * 0.1, "2 alarms, under the 10 free");
            close(total(plan, "Free tier of dashboard"), -3, "1 dashboard, under the 3 free");
        });

        it("adds up to the total", () => {
            const expected = onDemand + spot + hours * 0.0225 + ((10 * 50 * 3600) / (1024 * 1024)) * hours * 0.008 + hours * 0.045 + 200 * 0.045 + 3 * hours * 0.005 + 2 * (30 / 30.4) * 0.03 + 0.4 + (dataOut - 100) * 0.09;
            close(plan.cost.monthlyUsd, expected, "total");
        });

        it("charges the free tiers in full when the stack may use none of them", async () => {
            const none = await planStack(stackDirectory("ref", REFERENCE_WORKLOAD), "ref", { costAssumptions: { freeTierShare: 0 } });
            assert.equal(none.cost.lines.filter((l) => l.category === "Free tier").length, 0);
            close(none.cost.monthlyUsd - plan.cost.monthlyUsd, 100 * 0.09 + 1 + 0.2 + 3, "the free tiers' worth");
        });

        it("prints every assumption it used, with the stack's own values", () => {
            assert.equal(plan.cost.assumptions.requestsPerSecond, 10);
            assert.equal(plan.cost.assumptions.spotDiscount, 0.7);
            assert.equal(plan.cost.assumptions.hoursPerMonth, 730);
        });

        it("lets a caller change an assumption", async () => {
            const cheaperSpot = await planStack(stackDirectory("ref", REFERENCE_WORKLOAD), "ref", { costAssumptions: { spotDiscount: 0.5 } });
            close(total(cheaperSpot, "Fargate Spot"), (spot / 0.3) * 0.5, "Spot at 50%");
        });
    });

    describe("the project's stacks", () => {
        it("prices prod's three NAT gateways and the addresses they hold", async () => {
            const prod = await planStack(projectRoot, "prod");
            close(total(prod, "NAT gateway hours"), 3 * 730 * 0.045, "NAT hours");
            assert.ok(prod.cost.lines.some((l) => l.item.startsWith("Public IPv4") && l.item.includes("3 NAT")));
            // 12 metrics × (the cluster, 3 services, 4 task families), 10 of them free.
            close(total(prod, "Container Insights metrics"), 12 * 8 * 0.3, "Container Insights metrics");
            assert.ok(total(prod, "Container Insights performance logs") > 0);
            assert.ok(total(prod, "S3 access-log storage") > 0 && total(prod, "S3 access-log PUTs") > 0, "the access-log bucket is priced");
        });

        it("prices dev without NAT, and its public task addresses", async () => {
            const dev = await planStack(projectRoot, "dev");
            assert.equal(total(dev, "NAT gateway"), 0);
            assert.ok(dev.cost.lines.some((l) => l.item.startsWith("Public IPv4") && /\d+ task/.test(l.item) && !l.item.includes(" 0 task")));
            assert.ok(dev.cost.monthlyUsd < threeNatGateways(), "dev costs less than a prod NAT gateway alone");
        });
    });

    it("refuses --assume freeTierShare above 1: it is a share of the account's free tiers", () => {
        assert.throws(() => parseAssumptions(["freeTierShare=2"]), /--assume: freeTierShare: 2 is above the maximum of 1/);
        assert.deepEqual(parseAssumptions(["freeTierShare=0.25"]).cost, { freeTierShare: 0.25 });
    });

    it("takes the largest of the four capacity-unit dimensions", () => {
        assert.equal(lcus({ requestsPerSecond: 100, averageResponseKb: 1 }, 1), 4, "100 new connections a second");
        assert.ok(Math.abs(lcus({ requestsPerSecond: 1, averageResponseKb: 2048 }, 1) - 7.03) < 0.01, "7 GB an hour");
        assert.equal(lcus({ requestsPerSecond: 100, averageResponseKb: 0 }, 1010), 100, "rule evaluations beyond the 10 free");
        assert.equal(lcus({ requestsPerSecond: 10, averageResponseKb: 0, connectionSeconds: 3000 }, 1), 10, "30,000 connections open at once");
    });
});

/** Three NAT gateways alone cost this much a month: a bound no dev stack should reach. */
function threeNatGateways(): number {
    return 3 * 730 * 0.045;
}

describe("the price table and the assumptions", () => {
    it("gives every price a public source URL, a date and a unit", async () => {
        const prices = (await import("../analysis/data/awsPrices")).AWS_PRICES.prices as Record<string, { usd: number; url: string; date: string; unit: string }>;
        for (const [key, p] of Object.entries(prices)) {
            assert.match(p.url, /^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\//, key);
            assert.match(p.date, /^\d{4}(-\d{2}){0,2}$/, key);
            assert.ok(p.usd > 0 && p.unit.length > 0, key);
        }
    });

    it("accepts in a stack file exactly the assumptions the estimate uses", async () => {
        const { costAssumptionsSchema } = await import("../stacks/environmentSchema");
        const { DEFAULT_COST_ASSUMPTIONS, ASSUMPTION_NOTES } = await import("../analysis/costModel");
        assert.deepEqual(Object.keys(costAssumptionsSchema.shape).sort(), Object.keys(DEFAULT_COST_ASSUMPTIONS).sort());
        assert.deepEqual(Object.keys(ASSUMPTION_NOTES).sort(), Object.keys(DEFAULT_COST_ASSUMPTIONS).sort());
    });

    it("knows how to account for every resource type the project's stacks create", async () => {
        const { coverageOf } = await import("../analysis/costCoverage");
        for (const stack of ["dev", "prod"]) {
            const plan = await planStack(projectRoot, stack);
            const unknown = [...new Set(plan.resources.map((r) => r.type))].filter((t) => /no price model/.test((coverageOf(t) as { reason?: string }).reason ?? ""));
            assert.deepEqual(unknown, [], stack);
        }
        assert.match((coverageOf("aws:rds/instance:Instance") as { reason: string }).reason, /no price model/, "an unknown type is listed as not priced, never dropped");
        const { estimateCost } = await import("../analysis/costModel");
        const { StackGraph } = await import("../analysis/stackResources");
        const rds = { urn: "urn:db", type: "aws:rds/instance:Instance", name: "db", custom: true, inputs: {}, propertyDependencies: {}, dependencies: [], options: {} };
        assert.deepEqual(estimateCost(new StackGraph([rds])).notPriced.map((n) => n.item), ["aws:rds/instance:Instance (1)"]);
    });
});
