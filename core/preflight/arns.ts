import { parseArn, secretSource } from "../arns";
import { ResourceRule, RuleViolation, jsonValue } from "./types";

/** ARNs the project passes between resources: each must name the kind of resource the API expects. */

const ELB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";

/** A check that `key` (when a known string) is an ARN of `service` whose resource starts with `resource`. */
function arnViolation(inputs: Record<string, any>, key: string, service: string, resource: RegExp, what: string): RuleViolation[] {
    const value = key.split(".").reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), inputs);
    if (typeof value !== "string") return [];
    const arn = parseArn(value);
    return arn && arn.service === service && resource.test(arn.resource) ? [] : [{ key, message: `${JSON.stringify(value)} is not the ARN of ${what}` }];
}

export const ARN_RULES: ResourceRule[] = [
    {
        id: "elbv2.listener.arns",
        type: "aws:lb/listener:Listener",
        title: "the certificate is an ACM certificate (or an IAM server certificate); the load balancer is an ELB load balancer ARN",
        sources: [`${ELB}/API_CreateListener.html`, `${ELB}/API_Certificate.html`],
        check(r) {
            const cert = r.inputs.certificateArn;
            const out = arnViolation(r.inputs, "loadBalancerArn", "elasticloadbalancing", /^loadbalancer\//, "a load balancer");
            if (typeof cert === "string") {
                const arn = parseArn(cert);
                const ok = arn && ((arn.service === "acm" && arn.resource.startsWith("certificate/")) || (arn.service === "iam" && arn.resource.startsWith("server-certificate/")));
                if (!ok) out.push({ key: "certificateArn", message: `${JSON.stringify(cert)} is not the ARN of an ACM certificate or an IAM server certificate` });
            }
            return out;
        },
    },
    {
        id: "elbv2.listenerRule.arns",
        type: "aws:lb/listenerRule:ListenerRule",
        title: "the listener is an ELB listener ARN; forwarded target groups are target group ARNs",
        sources: [`${ELB}/API_CreateRule.html`, `${ELB}/API_Action.html`],
        check(r) {
            const out = arnViolation(r.inputs, "listenerArn", "elasticloadbalancing", /^listener\//, "a load balancer listener");
            // Stryker disable next-line ArrayDeclaration: equivalent, an item that is not an object has no targetGroupArn to judge
            (Array.isArray(r.inputs.actions) ? r.inputs.actions : []).forEach((a: Record<string, any>, i: number) => {
                out.push(...arnViolation(a, "targetGroupArn", "elasticloadbalancing", /^targetgroup\//, "a target group").map((v) => ({ ...v, key: `actions[${i}].targetGroupArn` })));
            });
            return out;
        },
    },
    {
        id: "ecs.taskDefinition.secretArns",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: "container secrets come from a Secrets Manager secret or an SSM parameter ARN",
        sources: ["https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Secret.html", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"],
        check(r) {
            const containers = jsonValue<{ secrets?: { name: string; valueFrom: unknown }[] }[]>(r.inputs.containerDefinitions);
            if (!Array.isArray(containers)) return [];
            // The key names each secret by its position in the container's list, so the index is taken before filtering.
            // A container or a secret that is not an object (null, text) has no ARN to judge: ecs.taskDefinition.containers names it.
            return containers.flatMap((c, i) => {
                const secrets: unknown = c?.secrets;
                if (!Array.isArray(secrets)) return [];
                return secrets.flatMap((s: { name?: unknown; valueFrom?: unknown } | null, j) =>
                    typeof s?.valueFrom === "string" && !secretSource(s.valueFrom)
                        ? [{ key: `containerDefinitions[${i}].secrets[${j}].valueFrom`, message: `${JSON.stringify(s.valueFrom)} (${s.name}) is not the ARN of a Secrets Manager secret or an SSM parameter` }]
                        : [],
                );
            });
        },
    },
];
