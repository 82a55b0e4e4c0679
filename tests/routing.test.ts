import * as assert from "node:assert/strict";
import fc from "fast-check";
import { LISTENER_RULE_LIMITS, RouteClaim, RouteRule, hostHeaderProblem, pathPatternProblem, routingConflicts, ruleProblems } from "../core/routing";

/**
 * Listener rules judged directly (core/routing.ts), with AWS's limits:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html and
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
 */

const messages = (claims: RouteClaim[]) => routingConflicts(claims).map((c) => `${c.claim.owner} ${c.field}: ${c.message}`);

describe("routing: one path pattern or host", () => {
    it("accepts paths that start with / in the characters a path condition takes", () => {
        for (const p of ["/", "/*", "/api/v1/*", "/a-b_c.d$e~f\"g'h@i:j+k&l?", "/" + "a".repeat(127)]) assert.equal(pathPatternProblem(p), undefined, p);
    });

    it("refuses an empty or too long path, one without a leading /, and other characters", () => {
        assert.equal(pathPatternProblem(""), '"" must have 1 to 128 characters');
        assert.equal(pathPatternProblem("/" + "a".repeat(128)), `${JSON.stringify("/" + "a".repeat(128))} must have 1 to 128 characters`);
        assert.equal(pathPatternProblem("api/*"), '"api/*" must start with "/" (a request path always does, so this rule would never match); write "/api/*"');
        assert.equal(pathPatternProblem("/a b"), '"/a b" has characters a path condition refuses; allowed: letters, digits, _ - . $ / ~ " \' @ : + & and the wildcards * and ?');
        assert.match(pathPatternProblem("/a#b") ?? "", /^"\/a#b" has characters a path condition refuses/);
    });

    it("accepts host names with a top-level domain, wildcards included", () => {
        for (const h of ["api.example.com", "*.example.com", "API.Example.COM", "a-b.c?.io", `${"a".repeat(124)}.com`]) assert.equal(hostHeaderProblem(h), undefined, h);
    });

    it("refuses an empty or too long host, other characters, no dot, and a top-level domain that is not letters", () => {
        assert.equal(hostHeaderProblem(""), '"" must have 1 to 128 characters');
        assert.equal(hostHeaderProblem("a".repeat(126) + ".io"), `${JSON.stringify("a".repeat(126) + ".io")} must have 1 to 128 characters`);
        assert.equal(hostHeaderProblem("api_1.example.com"), '"api_1.example.com" has characters a host condition refuses; allowed: letters, digits, - . and the wildcards * and ?');
        // AWS asks for at least one "." and letters after the last: a leading "." meets both.
        assert.equal(hostHeaderProblem(".com"), undefined);
        assert.equal(hostHeaderProblem("localhost"), '"localhost" needs at least one "." (a host name such as api.example.com)');
        assert.equal(hostHeaderProblem("api.example.c0m"), '"api.example.c0m" must end in letters after its last "." (a top-level domain such as .com)');
        assert.equal(hostHeaderProblem("api.example."), '"api.example." must end in letters after its last "." (a top-level domain such as .com)');
    });
});

describe("routing: one rule", () => {
    it("accepts a rule with a priority in range and up to five condition values and wildcards", () => {
        assert.deepEqual(ruleProblems({ priority: 1, pathPatterns: ["/a*", "/b*"], hostHeaders: ["*.example.com", "a?.example.com", "b.example.com"] }), []);
        assert.deepEqual(ruleProblems({ priority: 50000, pathPatterns: ["/"] }), []);
    });

    it("refuses a priority outside 1 to 50000 or not a whole number", () => {
        for (const priority of [0, 50001, 1.5]) {
            assert.deepEqual(ruleProblems({ priority, pathPatterns: ["/"] }), [{ field: "priority", message: `${priority} is not a rule priority (an integer from 1 to 50000)` }]);
        }
    });

    it("refuses a rule without conditions", () => {
        assert.deepEqual(ruleProblems({ priority: 1 }), [{ field: "", message: "needs hostHeaders or pathPatterns: a rule without conditions is not allowed" }]);
        assert.deepEqual(ruleProblems({ priority: 1, hostHeaders: [], pathPatterns: [] }).length, 1);
    });

    it("refuses more than five condition values, counting hosts and paths together", () => {
        assert.deepEqual(ruleProblems({ hostHeaders: ["a.example.com", "b.example.com"], pathPatterns: ["/1", "/2", "/3", "/4"] }), [
            { field: "", message: "has 6 condition values (2 hosts, 4 paths); a listener rule allows 5 in total: split it into several rules" },
        ]);
    });

    it("refuses more than five wildcards over all values", () => {
        assert.deepEqual(ruleProblems({ pathPatterns: ["/a*?*", "/b*?*"] }), [{ field: "", message: "has 6 wildcards (* and ?); a listener rule allows 5 in total" }]);
        assert.deepEqual(ruleProblems({ pathPatterns: ["/a*?*", "/b*?"] }), []);
    });

    it("judges only the text values of a list (the schema reports the others)", () => {
        const rule = { priority: 1, pathPatterns: [42, "/a"], hostHeaders: [null, "a.example.com"] } as unknown as RouteRule;
        assert.deepEqual(ruleProblems(rule), []);
        assert.deepEqual(ruleProblems({ priority: 1, pathPatterns: [7] } as unknown as RouteRule), [{ field: "", message: "needs hostHeaders or pathPatterns: a rule without conditions is not allowed" }]);
    });

    it("names the bad value by its index", () => {
        assert.deepEqual(ruleProblems({ pathPatterns: ["/ok", "bad"], hostHeaders: ["ok.example.com", "bad"] }).map((p) => p.field), ["pathPatterns[1]", "hostHeaders[1]"]);
    });

    it("counts condition values exactly (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), (hostCount, pathCount) => {
                const rule = { hostHeaders: Array.from({ length: hostCount }, (_, i) => `h${i}.example.com`), pathPatterns: Array.from({ length: pathCount }, (_, i) => `/p${i}`) };
                const problems = ruleProblems(rule).map((p) => p.message);
                const total = hostCount + pathCount;
                return problems.some((m) => m.startsWith("needs hostHeaders")) === (total === 0) && problems.some((m) => m.startsWith(`has ${total} condition values`)) === total > LISTENER_RULE_LIMITS.conditionValues;
            }),
        );
    });
});

describe("routing: rules on one listener", () => {
    const claim = (owner: string, rule: RouteClaim["rule"]): RouteClaim => ({ owner, rule });

    it("accepts rules that route different hosts or different paths", () => {
        assert.deepEqual(messages([claim("api", { priority: 1, pathPatterns: ["/api/*"] }), claim("web", { priority: 2, pathPatterns: ["/web/*"] })]), []);
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: ["a.example.com"] }), claim("b", { priority: 2, hostHeaders: ["b.example.com"] })]), []);
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: ["a.example.com"], pathPatterns: ["/x"] }), claim("b", { priority: 2, hostHeaders: ["a.example.com"], pathPatterns: ["/y"] })]), []);
    });

    it("refuses a priority used twice, naming who has it", () => {
        assert.deepEqual(messages([claim("api", { priority: 5, pathPatterns: ["/a"] }), claim("web", { priority: 5, pathPatterns: ["/b"] })]), ["web priority: 5 is already used by api; priorities are unique on a listener"]);
    });

    it("refuses the same path, and the same host in any case", () => {
        assert.deepEqual(messages([claim("api", { priority: 1, pathPatterns: ["/api/*"] }), claim("v2", { priority: 2, pathPatterns: ["/api/*", "/v2/*"] })]), [
            "v2 : routes path /api/* like api: one of them would never receive those requests",
        ]);
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: ["API.example.com"] }), claim("b", { priority: 2, hostHeaders: ["api.EXAMPLE.com"] })]), [
            "b : routes host api.example.com like a: one of them would never receive those requests",
        ]);
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: ["a.example.com"], pathPatterns: ["/x"] }), claim("b", { priority: 2, hostHeaders: ["a.example.com"], pathPatterns: ["/x"] })]), [
            "b : routes host a.example.com and path /x like a: one of them would never receive those requests",
        ]);
    });

    it("refuses a catch-all ahead of other rules, whichever comes first in the list", () => {
        assert.deepEqual(messages([claim("all", { priority: 5, pathPatterns: ["/*"] }), claim("b", { priority: 10, pathPatterns: ["/b"] })]), [
            "b priority: b (priority 10) is shadowed by all (priority 5), which takes every path first; give the catch-all a higher priority number than the other rules",
        ]);
        assert.deepEqual(messages([claim("b", { priority: 10, pathPatterns: ["/b"] }), claim("all", { priority: 5, pathPatterns: ["*"] })]), [
            "all priority: b (priority 10) is shadowed by all (priority 5), which takes every path first; give the catch-all a higher priority number than the other rules",
        ]);
        assert.deepEqual(messages([claim("b", { priority: 5, pathPatterns: ["/b"] }), claim("all", { priority: 10, pathPatterns: ["/*"] })]), []);
    });

    it("refuses a host's catch-all ahead of a rule for the same host, and not for another host", () => {
        const hostAll = claim("site", { priority: 1, hostHeaders: ["a.example.com"], pathPatterns: ["/*"] });
        assert.deepEqual(messages([hostAll, claim("api", { priority: 2, hostHeaders: ["A.example.com"], pathPatterns: ["/api"] })]), [
            "api priority: api (priority 2) is shadowed by site (priority 1), which takes every path of a.example.com first; give the catch-all a higher priority number than the other rules",
        ]);
        assert.deepEqual(messages([hostAll, claim("other", { priority: 2, hostHeaders: ["b.example.com"], pathPatterns: ["/api"] })]), []);
        assert.deepEqual(messages([hostAll, claim("any", { priority: 2, pathPatterns: ["/api"] })]), []);
    });

    it("refuses a rule without hosts ahead of a rule for some hosts on the same paths, and not behind it", () => {
        const anyHost = (priority: number) => claim("any", { priority, pathPatterns: ["/api/*", "/v2/*"] });
        const oneHost = (priority: number) => claim("site", { priority, hostHeaders: ["a.example.com"], pathPatterns: ["/api/*"] });
        const shadowed = "site priority: site (priority 2) is shadowed by any (priority 1), which takes path /api/* of every host first; give the rule without hosts a higher priority number";
        assert.deepEqual(messages([anyHost(1), oneHost(2)]), [shadowed]);
        assert.deepEqual(messages([oneHost(2), anyHost(1)]), [shadowed.replace(/^site/, "any")]);
        // Behind the host's rule, the rule without hosts still takes /api/* of every other host.
        assert.deepEqual(messages([anyHost(2), oneHost(1)]), []);
        // A path the rule without hosts does not route is left to the host's rule.
        assert.deepEqual(messages([anyHost(1), claim("site", { priority: 2, hostHeaders: ["a.example.com"], pathPatterns: ["/api/*", "/web/*"] })]), []);
        // A host's rule without paths takes the other paths of that host.
        assert.deepEqual(messages([anyHost(1), claim("site", { priority: 2, hostHeaders: ["a.example.com"] })]), []);
        // Every path of the host's rule is named.
        assert.deepEqual(messages([anyHost(1), claim("site", { priority: 2, hostHeaders: ["a.example.com"], pathPatterns: ["/api/*", "/v2/*"] })]), [
            "site priority: site (priority 2) is shadowed by any (priority 1), which takes path /api/*, /v2/* of every host first; give the rule without hosts a higher priority number",
        ]);
        // Rules for different hosts on the same path each keep their host.
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: ["a.example.com"], pathPatterns: ["/api/*"] }), claim("b", { priority: 2, hostHeaders: ["b.example.com"], pathPatterns: ["/api/*"] })]), []);
    });

    it("refuses a host's rule without paths ahead of another rule for that host: it takes every path", () => {
        assert.deepEqual(messages([claim("site", { priority: 1, hostHeaders: ["a.example.com"] }), claim("api", { priority: 2, hostHeaders: ["a.example.com"], pathPatterns: ["/api"] })]), [
            "api priority: api (priority 2) is shadowed by site (priority 1), which takes every path of a.example.com first; give the catch-all a higher priority number than the other rules",
        ]);
    });

    it("counts a rule as a catch-all when any one of its paths is /*", () => {
        assert.deepEqual(messages([claim("all", { priority: 1, pathPatterns: ["/x", "/*"] }), claim("b", { priority: 2, pathPatterns: ["/b"] })]), [
            "b priority: b (priority 2) is shadowed by all (priority 1), which takes every path first; give the catch-all a higher priority number than the other rules",
        ]);
    });

    it("leaves a rule that also serves a host the catch-all does not take", () => {
        const siteAll = claim("site", { priority: 1, hostHeaders: ["a.example.com"], pathPatterns: ["/*"] });
        assert.deepEqual(messages([siteAll, claim("api", { priority: 2, hostHeaders: ["a.example.com", "c.example.com"], pathPatterns: ["/api"] })]), []);
    });

    it("names every shared host and path, and every host of a catch-all", () => {
        const hosts = ["a.example.com", "b.example.com"];
        assert.deepEqual(messages([claim("a", { priority: 1, hostHeaders: hosts, pathPatterns: ["/x", "/y"] }), claim("b", { priority: 2, hostHeaders: hosts, pathPatterns: ["/x", "/y"] })]), [
            "b : routes host a.example.com, b.example.com and path /x, /y like a: one of them would never receive those requests",
        ]);
        assert.deepEqual(messages([claim("site", { priority: 1, hostHeaders: hosts, pathPatterns: ["/*"] }), claim("api", { priority: 2, hostHeaders: ["b.example.com"], pathPatterns: ["/api"] })]), [
            "api priority: api (priority 2) is shadowed by site (priority 1), which takes every path of a.example.com, b.example.com first; give the catch-all a higher priority number than the other rules",
        ]);
    });

    it("says two rules without conditions route the same requests", () => {
        assert.deepEqual(messages([claim("a", { priority: 1 }), claim("b", { priority: 2 })]), ["b : routes the same requests like a: one of them would never receive those requests"]);
    });

    it("does not call two missing priorities (which the schema reports) a clash", () => {
        assert.deepEqual(messages([claim("a", { pathPatterns: ["/a"] }), claim("b", { pathPatterns: ["/b"] })]), []);
    });

    it("lets a deployment's test rule share its production rule's routes: it matches only requests with its header", () => {
        const production = claim("api", { priority: 10, pathPatterns: ["/api/*"] });
        const test = claim("api (test traffic)", { priority: 9, pathPatterns: ["/api/*"], httpHeader: "x-test" });
        assert.deepEqual(messages([production, test]), []);
        assert.deepEqual(messages([test, production]), []);
        // A test rule still takes a priority of its own.
        assert.deepEqual(messages([production, { ...test, rule: { ...test.rule, priority: 10 } }]), ["api (test traffic) priority: 10 is already used by api; priorities are unique on a listener"]);
    });

    it("refuses rule 101 on one load balancer", () => {
        const claims = Array.from({ length: 101 }, (_, i) => claim(`s${i}`, { priority: i + 1, pathPatterns: [`/s${i}`] }));
        assert.deepEqual(messages(claims), ['s100 : is rule 101 on one load balancer; AWS allows 100 (quota "Rules per Application Load Balancer"): use another load balancer or ask AWS for more']);
        assert.deepEqual(messages(claims.slice(0, 100)), []);
    });
});
