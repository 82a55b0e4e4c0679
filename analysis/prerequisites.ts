import { StackGraph, T } from "./stackResources";

/**
 * What the account must have before a deploy works, which no stack creates: settings shared by
 * every stack in an account and Region, read by AWS at run time. The offline plan cannot see the
 * account, so it names each one with the command that sets it and the page that says why.
 */
export interface Prerequisite {
    what: string;
    why: string;
    command: string;
    source: string;
}

const TASK_STARTERS = [T.service, T.schedule, T.eventTarget];

/** The prerequisites of a stack, from its resources. */
export function prerequisitesOf(graph: StackGraph, region: string): Prerequisite[] {
    const ipv6Subnets = new Set(graph.ofType(T.subnet).filter((s) => s.inputs.ipv6Native === true || s.inputs.assignIpv6AddressOnCreation === true).map((s) => s.urn));
    const ipv6Tasks = graph.ofType(...TASK_STARTERS).filter((r) => Object.values(r.propertyDependencies).some((urns) => urns.some((u) => ipv6Subnets.has(u))));
    if (ipv6Tasks.length === 0) return [];
    // An account-wide default: a stack that managed it (aws.ecs.AccountSettingDefault) would turn it
    // off for every other stack when destroyed, so it is set once, outside any stack.
    return [
        {
            what: `the ECS account setting dualStackIPv6 enabled in ${region}`,
            why: `${ipv6Tasks.map((t) => t.name).join(", ")} run${ipv6Tasks.length === 1 ? "s" : ""} in subnets with IPv6; ECS gives tasks IPv6 addresses only where the setting is on`,
            command: `aws ecs put-account-setting-default --name dualStackIPv6 --value enabled --region ${region}`,
            source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html",
        },
    ];
}
