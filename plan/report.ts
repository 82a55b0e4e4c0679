import Table from "cli-table3";
import { createColors } from "picocolors";
import { ASSUMPTION_NOTES, CostAssumptions, priceSource } from "../analysis/costModel";
import { PACKAGE_NAME } from "../components/componentType";
import { describeFinding } from "../core/preflight";
import type { PlanDocument } from "./plan";
import { settingsSummary } from "./settings";

/** The plan as a person reads it in a terminal. */

/**
 * Colours only for a person at a terminal (or when FORCE_COLOR asks). picocolors' own default also
 * colours whenever CI is set, which puts escape codes into CI logs and into the text that tests and
 * scripts read; NO_COLOR always wins (https://no-color.org).
 */
const pc = createColors(!process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || Boolean(process.stdout.isTTY)));

const usd = (n: number) => `$${n.toFixed(2)}`;

/** A table without lines between rows: compact enough for a terminal. */
function table(head: string[], colAligns?: ("left" | "right")[]): Table.Table {
    return new Table({
        head,
        colAligns,
        style: { head: [], border: [], compact: true },
        chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    });
}

export function duration(seconds: number): string {
    const s = Math.round(seconds);
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function shortType(type: string): string {
    // "aws:ecs/service:Service" → "ecs:Service"; our components by class name.
    const [pkg, module, name] = type.split(":");
    if (pkg === PACKAGE_NAME) return name;
    if (pkg === "pulumi") return name;
    return `${module?.split("/")[0] ?? pkg}:${name}`;
}

export function renderResources(plan: PlanDocument): string {
    const lines: string[] = [];
    const children = new Map<string | undefined, PlanDocument["resources"]>();
    for (const r of plan.resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const walk = (parent: string | undefined, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            const settings = settingsSummary(r.type, r.inputs);
            const flags = [r.protect ? "protected" : "", r.retainOnDelete ? "retained on delete" : "", r.ignoreChanges ? `deploys leave ${r.ignoreChanges.join(", ")}` : ""].filter(Boolean).join(", ");
            lines.push(`${prefix}${branch}${pc.bold(shortType(r.type))} ${r.name}${settings ? pc.dim(`  ${settings}`) : ""}${flags ? pc.yellow(`  [${flags}]`) : ""}`);
            walk(r.urn, parent === undefined ? prefix : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "  ");
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const byType = table(["type", "count"], ["left", "right"]);
    for (const [type, count] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) byType.push([type, count]);
    const custom = plan.resources.filter((r) => !r.type.startsWith("pulumi")).length;
    return [`${pc.bold("RESOURCES")}  ${plan.resources.length} (${custom} cloud resources)`, ...lines, "", byType.toString()].join("\n");
}

export function renderCost(plan: PlanDocument): string {
    const { cost } = plan;
    const lines = table(["item", "for", "quantity", "unit price", "per month"], ["left", "left", "right", "right", "right"]);
    for (const line of cost.lines) {
        lines.push([line.item, line.resource ?? "", `${line.quantity} ${line.unit}`, `$${+line.unitPriceUsd.toFixed(6)}`, usd(line.monthlyUsd)]);
    }
    lines.push([{ colSpan: 4, content: pc.bold("total") }, pc.bold(usd(cost.monthlyUsd))]);
    const budget = cost.budgetUsd !== undefined ? `  budget ${usd(cost.budgetUsd)}` : "";
    const assumptions = Object.entries(cost.assumptions).map(
        ([key, value]) => `  ${key} = ${value}${pc.dim(`  ${ASSUMPTION_NOTES[key as keyof CostAssumptions] ?? ""}`)}`,
    );
    const sources = [...new Set(cost.lines.map((l) => l.priceKey))].map((key) => {
        const { url, source, date } = priceSource(key);
        return pc.dim(`  ${key}: ${url} — ${source} (${date})`);
    });
    const free = cost.free.map((f) => `${f.type.split(":").pop()} ×${f.count}`).join(", ");
    return [
        `${pc.bold("MONTHLY COST")}  ${pc.bold(usd(cost.monthlyUsd))}${budget}  ${pc.dim(`(${cost.prices.region} prices, at the assumptions below)`)}`,
        lines.toString(),
        ...cost.notPriced.map((n) => pc.dim(`  not priced: ${n.item}: ${n.reason}`)),
        ...(free ? [pc.dim(`  no charge: ${free}`)] : []),
        "  Assumptions (change with --assume key=value, or costAssumptions in the stack file):",
        ...assumptions,
        "  Prices:",
        ...sources,
    ].join("\n");
}

export function renderCheaperOptions(plan: PlanDocument): string {
    const rows = plan.cheaperOptions.map((o) => `  ${pc.bold(`-${usd(o.monthlyUsd)}`.padStart(10))}  ${o.option}\n${" ".repeat(14)}${pc.dim(`set ${o.setting}`)}\n${" ".repeat(14)}${pc.yellow(`gives up ${o.givesUp.kind}: ${o.givesUp.what}`)}`);
    const egress = plan.egress;
    const choice = egress
        ? [`  Egress from private subnets: NAT ${usd(egress.natUsd)} a month, or interface endpoints ${usd(egress.endpointsUsd)} (now: ${egress.chosen}).`, pc.dim(`  ${egress.note}`)]
        : [];
    return [`${pc.bold("CHEAPER OPTIONS")}  ${plan.cheaperOptions.length ? "a month, at the assumptions above" : "none above $0.50 a month"}`, ...rows, ...choice].join("\n");
}

const STATUS = {
    pass: pc.green("pass"),
    fail: pc.red("FAIL"),
    waived: pc.yellow("waived"),
    "not-applicable": pc.dim("n/a"),
};

export function renderControls(plan: PlanDocument): string {
    const count = (status: string) => plan.controls.filter((c) => c.status === status).length;
    const lines = plan.controls.map((c) => {
        let detail = "";
        if (c.status === "fail") detail = pc.red(`  ${c.resource ? `${c.resource}: ` : ""}${c.reason}`);
        if (c.expiredWaiver) detail += pc.red(`  (its waiver expired on ${c.waiverExpires}: renew it or fix the stack)`);
        if (c.status === "waived") detail = pc.yellow(`  waived until ${c.waiverExpires}, approved by ${c.waiverApprovedBy}: ${c.waiver}`) + pc.dim(`  (${c.reason})`);
        if (c.unusedWaiver) detail = pc.dim("  a waiver is declared but not needed");
        return `  ${STATUS[c.status].padEnd(16)} ${c.id.padEnd(20)} ${pc.dim(c.title)}${detail ? `\n${" ".repeat(40)}${detail}` : ""}`;
    });
    return [
        `${pc.bold("CONTROLS")}  ${count("pass")} pass · ${count("fail")} fail · ${count("waived")} waived · ${count("not-applicable")} not applicable  ${pc.dim(plan.preset ? `(${plan.enforcement} in ${plan.preset})` : `(${plan.enforcement}: the program is not an environment with a preset)`)}`,
        ...lines,
    ].join("\n");
}

export function renderPreflight(plan: PlanDocument): string {
    const { rules, findings } = plan.preflight;
    const head = `${pc.bold("AWS PREFLIGHT")}  ${rules} rules · ${findings.length === 0 ? pc.green("every resource passes") : pc.red(`${findings.length} resource setting${findings.length === 1 ? "" : "s"} AWS would refuse`)}`;
    return [head, ...findings.map((f) => pc.red(`  ${describeFinding(f)}`))].join("\n");
}

export function renderPrerequisites(plan: PlanDocument): string {
    return [
        `${pc.bold("PREREQUISITES")}  account settings no stack creates; the offline plan cannot see the account`,
        ...plan.prerequisites.flatMap((p) => [`  ${p.what}`, pc.dim(`    ${p.why}: ${p.command} (${p.source})`)]),
    ].join("\n");
}

export function renderImages(plan: PlanDocument): string {
    const head = `${pc.bold("IMAGES")}  read by tag at deploy, to be pushed first; tasks run the digest each tag names`;
    return [head, ...plan.images.map((i) => `  ${i.repository}:${i.tag}${i.registryId ? ` (account ${i.registryId})` : ""}`)].join("\n");
}

const STRATEGY_LABEL: Record<string, string> = { BLUE_GREEN: "blue/green", LINEAR: "linear", CANARY: "canary" };

export function renderDeploy(plan: PlanDocument): string {
    const { deploy } = plan;
    const path = deploy.criticalPath.map((s) => `${s.name} ${shortType(s.type)} ${duration(s.seconds)}`).join(pc.dim(" → "));
    const updates = deploy.rollingUpdates.map((u) => {
        const w = u.wave;
        const steady = `${deploy.assumptions.steadyStateCheckSeconds} s steady state`;
        const how =
            u.strategy === "ROLLING"
                ? `${u.waves} wave${u.waves === 1 ? "" : "s"} of ${u.batch} × (${w.taskStart} s start + ${w.appStart} s app + ${w.healthy} s health + ${w.drain} s drain + ${w.appStop} s stop)${u.waits.alarms ? ` + ${u.waits.alarms} s alarm bake` : ""} + ${steady}`
                : `${STRATEGY_LABEL[u.strategy] ?? u.strategy}: ${u.batch} new tasks (${w.taskStart} s start + ${w.appStart} s app + ${w.healthy} s health)${u.waits.shifting ? ` + ${u.waits.detail}` : ""} + ${u.waits.bake} s bake + ${w.drain} s drain + ${w.appStop} s stop + ${steady}`;
        const extra = u.extraTasks.count > 0 ? `; ${u.extraTasks.count} extra task${u.extraTasks.count === 1 ? "" : "s"} for ${duration(u.extraTasks.seconds)} per deploy (not in the monthly cost)` : "";
        return [`  ${u.service.padEnd(24)} ${duration(u.seconds).padStart(10)}  ${pc.dim(how + extra)}`, ...renderLevers(u, deploy.assumptions.steadyStateCheckSeconds)].join("\n");
    });
    return [
        `${pc.bold("DEPLOY TIME")}  first deploy ≈ ${duration(deploy.firstDeploySeconds)}${deploy.rollingUpdateTargetMinutes === undefined ? "" : `; rolling update target ${deploy.rollingUpdateTargetMinutes} min`}`,
        `  critical path: ${path}`,
        "  update of each service:",
        ...updates,
        ...imageStartNote(deploy.rollingUpdates),
        pc.dim(`  ${deploy.formula}`),
    ].join("\n");
}

/** The image-start lever, once for all services: what AWS measured, and why the plan does not count it. */
function imageStartNote(updates: PlanDocument["deploy"]["rollingUpdates"]): string[] {
    const image = updates.flatMap((u) => u.levers).find((l) => l.id === "image-start");
    if (!image) return [];
    return [pc.dim(`  image start, every service: ${image.change}, up to −${Math.max(...updates.flatMap((u) => u.levers.filter((l) => l.id === "image-start").map((l) => l.seconds)))} s a deploy; ${image.note}`)];
}

/** What each lever would still buy on an update, and, with deployment alarms, how much of it is the alarms' bake. */
function renderLevers(u: PlanDocument["deploy"]["rollingUpdates"][number], steady: number): string[] {
    const pad = " ".repeat(37);
    const lines: string[] = [];
    if (u.waits.alarms > 0) {
        lines.push(
            `${pad}${pc.dim(`rollout ${duration(u.rolloutSeconds + steady)} with its steady-state check, then ${duration(u.waits.alarms)} of alarm bake: ECS watches the deployment alarms that long after the update, and ALB metrics come in 60 s datapoints, so no alarm on them bakes less than 60 s`)}`,
        );
    }
    // An "up to" lever (the image's compression) is the same for every service: said once, under the list.
    const levers = u.levers.filter((l) => l.seconds > 0 && !l.upTo);
    if (levers.length > 0) {
        const text = levers.map((l) => `${l.change} −${l.seconds} s${l.safe ? "" : " (not taken: weakens the gate)"}`).join(" · ");
        lines.push(`${pad}${pc.dim(`levers: ${text}`)}`);
    }
    return lines;
}

/** What the plan could not judge: a cost missing from the total, a deploy time guessed. */
export function renderUnrecognised(plan: PlanDocument): string {
    if (plan.unrecognised.length === 0) return `${pc.bold("NOT RECOGNISED")}  none: every resource type is known to the cost and deploy models`;
    return [
        `${pc.bold("NOT RECOGNISED")}  ${plan.unrecognised.length} resource type${plan.unrecognised.length === 1 ? "" : "s"} the plan does not know`,
        ...plan.unrecognised.map((u) => {
            const gaps = [u.notPriced ? "not in the cost" : "", u.defaultDeployTime ? "deploy time at the default" : ""].filter(Boolean).join("; ");
            return `  ${u.type.padEnd(40)} ${u.resources.join(", ")}  ${pc.yellow(gaps)}`;
        }),
    ].join("\n");
}

export function renderText(plan: PlanDocument): string {
    return [
        `${pc.bold(`${plan.project} · ${plan.stack}`)}  ${plan.preset ? `preset ${plan.preset}` : `program ${plan.program}`} · ${plan.region}`,
        pc.dim(plan.note),
        "",
        renderResources(plan),
        "",
        renderCost(plan),
        "",
        renderCheaperOptions(plan),
        "",
        renderControls(plan),
        "",
        renderPreflight(plan),
        "",
        ...(plan.prerequisites.length > 0 ? [renderPrerequisites(plan), ""] : []),
        ...(plan.images.length > 0 ? [renderImages(plan), ""] : []),
        renderDeploy(plan),
        "",
        renderUnrecognised(plan),
        "",
        pc.dim("Diagram: --format mermaid prints it; --svg <file> draws it."),
    ].join("\n");
}
