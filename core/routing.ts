/**
 * Listener rules as Application Load Balancers take them: what one rule may say (priorities,
 * condition values, path patterns, host names) and how several rules on one listener conflict.
 * Pure: the component and stack-file schemas, the listener claims of services composed in
 * TypeScript and the preflight of a plan all judge rules here.
 */

export const ELB_SOURCES = {
    limits: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
    conditions: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html",
    createRule: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html",
    listenerRules: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html",
    terraformListenerRule: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/elbv2/listener_rule.go",
} as const;

/** AWS's numbers for listener rules (the quotas are the defaults of a new account). */
export const LISTENER_RULE_LIMITS = {
    /** Condition values per rule, over all its conditions. */
    conditionValues: 5,
    /** `*` and `?` per rule, over all its condition values. */
    wildcards: 5,
    /** Rules per load balancer, not counting the listeners' default rules. */
    rulesPerLoadBalancer: 100,
    priorityMin: 1,
    priorityMax: 50000,
    /** Characters in one path pattern or host name. */
    valueLength: 128,
} as const;

/** The priority of the rule of a service that takes all of a listener's traffic: the last one, so any other rule is matched first. */
export const CATCH_ALL_PRIORITY = LISTENER_RULE_LIMITS.priorityMax;

/** What a service's rule says: the same shape in a stack file and in component arguments. */
export interface RouteRule {
    priority?: number;
    /** A header the rule also matches (a deployment's test rule): it takes a subset of the routes it shares. */
    httpHeader?: string;
    hostHeaders?: string[];
    pathPatterns?: string[];
}

export interface RuleProblem {
    /** The key below the rule: `priority`, `pathPatterns`, `pathPatterns[0]`, or "" for the rule. */
    field: string;
    message: string;
}

// Path conditions: A–Z, a–z, 0–9, _ - . $ / ~ " ' @ : + & and the wildcards * and ?.
const PATH_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;
// Host conditions: A–Z, a–z, 0–9, - . and the wildcards * and ?.
const HOST_CHARS = /^[A-Za-z0-9\-.*?]+$/;

/** What is wrong with a path pattern, or undefined. */
export function pathPatternProblem(pattern: string): string | undefined {
    if (pattern.length === 0 || pattern.length > LISTENER_RULE_LIMITS.valueLength) {
        return `${JSON.stringify(pattern)} must have 1 to ${LISTENER_RULE_LIMITS.valueLength} characters`;
    }
    // The pattern is matched against the URL's path, which always starts with "/": without it, the rule never matches.
    if (!pattern.startsWith("/")) return `${JSON.stringify(pattern)} must start with "/" (a request path always does, so this rule would never match); write "/${pattern}"`;
    if (!PATH_CHARS.test(pattern)) {
        return `${JSON.stringify(pattern)} has characters a path condition refuses; allowed: letters, digits, _ - . $ / ~ " ' @ : + & and the wildcards * and ?`;
    }
    return undefined;
}

/** What is wrong with a host-header value, or undefined. */
export function hostHeaderProblem(host: string): string | undefined {
    if (host.length === 0 || host.length > LISTENER_RULE_LIMITS.valueLength) {
        return `${JSON.stringify(host)} must have 1 to ${LISTENER_RULE_LIMITS.valueLength} characters`;
    }
    if (!HOST_CHARS.test(host)) return `${JSON.stringify(host)} has characters a host condition refuses; allowed: letters, digits, - . and the wildcards * and ?`;
    const last = host.lastIndexOf(".");
    if (last < 0) return `${JSON.stringify(host)} needs at least one "." (a host name such as api.example.com)`;
    if (!/^[A-Za-z]+$/.test(host.slice(last + 1))) return `${JSON.stringify(host)} must end in letters after its last "." (a top-level domain such as .com)`;
    return undefined;
}

/** The strings of a list; anything else (a value the schema refuses on its own) counts as none. */
const strings = (values: unknown): string[] => (Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : []);

/** Everything wrong with one rule taken alone. */
export function ruleProblems(rule: RouteRule): RuleProblem[] {
    const problems: RuleProblem[] = [];
    const hosts = strings(rule.hostHeaders);
    const paths = strings(rule.pathPatterns);
    const { priorityMin, priorityMax, conditionValues, wildcards } = LISTENER_RULE_LIMITS;
    if (rule.priority !== undefined && (!Number.isInteger(rule.priority) || rule.priority < priorityMin || rule.priority > priorityMax)) {
        problems.push({ field: "priority", message: `${rule.priority} is not a rule priority (an integer from ${priorityMin} to ${priorityMax})` });
    }
    if (hosts.length + paths.length === 0) problems.push({ field: "", message: "needs hostHeaders or pathPatterns: a rule without conditions is not allowed" });
    if (hosts.length + paths.length > conditionValues) {
        problems.push({
            field: "",
            message: `has ${hosts.length + paths.length} condition values (${hosts.length} hosts, ${paths.length} paths); a listener rule allows ${conditionValues} in total: split it into several rules`,
        });
    }
    // Stryker disable next-line StringLiteral: only * and ? are counted, and the separator holds neither
    const values = [...hosts, ...paths].join("");
    const wildcardCount = values.replace(/[^*?]/g, "").length;
    if (wildcardCount > wildcards) problems.push({ field: "", message: `has ${wildcardCount} wildcards (* and ?); a listener rule allows ${wildcards} in total` });
    paths.forEach((p, i) => {
        const problem = pathPatternProblem(p);
        if (problem) problems.push({ field: `pathPatterns[${i}]`, message: problem });
    });
    hosts.forEach((h, i) => {
        const problem = hostHeaderProblem(h);
        if (problem) problems.push({ field: `hostHeaders[${i}]`, message: problem });
    });
    return problems;
}

/** A rule some service puts on a listener. */
export interface RouteClaim {
    /** Who claims it, for messages: `service api`, `FargateService "web"`. */
    owner: string;
    rule: RouteRule;
}

export interface RouteConflict {
    /** The claim the problem is reported on (the later one). */
    claim: RouteClaim;
    field: string;
    message: string;
}

const lower = (values: unknown) => strings(values).map((v) => v.toLowerCase());
const matchesEveryPath = (rule: RouteRule) => strings(rule.pathPatterns).length === 0 || strings(rule.pathPatterns).some((p) => p === "/*" || p === "*");

/** The values two rules share in one condition; undefined when neither has that condition (both match anything there). */
function shared(a: string[], b: string[]): string[] | undefined {
    if (a.length === 0 && b.length === 0) return undefined;
    return a.filter((v) => b.includes(v));
}

/**
 * Conflicts between the rules of one listener: a priority used twice, the same host and path in
 * two rules (hosts compared without case, as ALB does), a rule that takes every path of its hosts,
 * or every host of some paths, ahead of rules it leaves nothing to, and more rules than a load
 * balancer may have.
 */
export function routingConflicts(claims: readonly RouteClaim[]): RouteConflict[] {
    const conflicts: RouteConflict[] = [];
    const { rulesPerLoadBalancer } = LISTENER_RULE_LIMITS;
    if (claims.length > rulesPerLoadBalancer) {
        conflicts.push({
            claim: claims[rulesPerLoadBalancer],
            field: "",
            message: `is rule ${rulesPerLoadBalancer + 1} on one load balancer; AWS allows ${rulesPerLoadBalancer} (quota "Rules per Application Load Balancer"): use another load balancer or ask AWS for more`,
        });
    }
    claims.forEach((later, j) => {
        for (const earlier of claims.slice(0, j)) {
            const a = earlier.rule;
            const b = later.rule;
            if (a.priority !== undefined && a.priority === b.priority) {
                conflicts.push({ claim: later, field: "priority", message: `${b.priority} is already used by ${earlier.owner}; priorities are unique on a listener` });
                continue;
            }
            // A rule on a header matches only the requests that carry it: it starves no other rule, and none starves it by design.
            if (a.httpHeader !== undefined || b.httpHeader !== undefined) continue;
            const hosts = shared(lower(a.hostHeaders), lower(b.hostHeaders));
            const paths = shared(strings(a.pathPatterns), strings(b.pathPatterns));
            if ((hosts === undefined || hosts.length > 0) && (paths === undefined || paths.length > 0)) {
                const what = [hosts?.length ? `host ${hosts.join(", ")}` : "", paths?.length ? `path ${paths.join(", ")}` : ""].filter(Boolean).join(" and ");
                conflicts.push({ claim: later, field: "", message: `routes ${what || "the same requests"} like ${earlier.owner}: one of them would never receive those requests` });
                continue;
            }
            // The rule evaluated first (lower priority number) takes every path of its hosts: what is left for the other?
            const [first, second, firstClaim, secondClaim] = (a.priority ?? 0) <= (b.priority ?? 0) ? [a, b, earlier, later] : [b, a, later, earlier];
            const firstHosts = lower(first.hostHeaders);
            const coversHosts = firstHosts.length === 0 || (lower(second.hostHeaders).length > 0 && lower(second.hostHeaders).every((h) => firstHosts.includes(h)));
            if (matchesEveryPath(first) && coversHosts) {
                conflicts.push({
                    claim: later,
                    field: "priority",
                    message: `${secondClaim.owner} (priority ${second.priority}) is shadowed by ${firstClaim.owner} (priority ${first.priority}), which takes every path${firstHosts.length ? ` of ${firstHosts.join(", ")}` : ""} first; give the catch-all a higher priority number than the other rules`,
                });
                continue;
            }
            // A rule without a host condition matches every host: ahead of a rule for some hosts on
            // no other paths than its own, it leaves that rule nothing.
            const secondPaths = strings(second.pathPatterns);
            if (firstHosts.length === 0 && secondPaths.length > 0 && secondPaths.every((p) => strings(first.pathPatterns).includes(p))) {
                conflicts.push({
                    claim: later,
                    field: "priority",
                    message: `${secondClaim.owner} (priority ${second.priority}) is shadowed by ${firstClaim.owner} (priority ${first.priority}), which takes path ${secondPaths.join(", ")} of every host first; give the rule without hosts a higher priority number`,
                });
            }
        }
    });
    return conflicts;
}
