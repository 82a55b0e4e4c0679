import { isTimeZone, scheduleExpressionProblem } from "../scheduleExpressions";
import { ResourceRule, RuleViolation, jsonValue, rangeViolation, textViolation } from "./types";

/** What runs on a clock or on events: EventBridge rules and targets, EventBridge Scheduler, Application Auto Scaling. */

const SCHEDULER = "https://docs.aws.amazon.com/scheduler/latest/APIReference";
const EVENTS = "https://docs.aws.amazon.com/eventbridge/latest/APIReference";
const AAS = "https://docs.aws.amazon.com/autoscaling/application/APIReference";

function timeZoneViolation(inputs: Record<string, any>, key: string): RuleViolation[] {
    const zone = inputs[key];
    return typeof zone === "string" && !isTimeZone(zone) ? [{ key, message: `${JSON.stringify(zone)} is not an IANA time zone name such as Europe/Paris or Asia/Kolkata (abbreviations such as IST are refused)` }] : [];
}

function expressionViolation(inputs: Record<string, any>, key: string): RuleViolation[] {
    const expression = inputs[key];
    const problem = typeof expression === "string" ? scheduleExpressionProblem(expression) : undefined;
    return problem ? [{ key, message: problem }] : [];
}

const retry = (policy: Record<string, any> | undefined, key: string): RuleViolation[] =>
    policy
        ? [...rangeViolation(policy, "maximumRetryAttempts", 0, 185), ...rangeViolation(policy, "maximumEventAgeInSeconds", 60, 86400, " s")].map((v) => ({ ...v, key: `${key}.${v.key}` }))
        : [];

export const SCHEDULE_RULES: ResourceRule[] = [
    {
        id: "scheduler.schedule.settings",
        type: "aws:scheduler/schedule:Schedule",
        title: "a cron, rate or at expression; an IANA time zone; a flexible window of 1–1440 minutes only in FLEXIBLE mode; retries 0–185 within 60–86400 s",
        sources: [`${SCHEDULER}/API_CreateSchedule.html`, `${SCHEDULER}/API_FlexibleTimeWindow.html`, `${SCHEDULER}/API_RetryPolicy.html`, "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/scheduler/schedule.go"],
        check(r) {
            const out = [...expressionViolation(r.inputs, "scheduleExpression"), ...timeZoneViolation(r.inputs, "scheduleExpressionTimezone"), ...retry(r.inputs.target?.retryPolicy, "target.retryPolicy")];
            const window = r.inputs.flexibleTimeWindow;
            if (window?.mode === "FLEXIBLE") out.push(...rangeViolation(window, "maximumWindowInMinutes", 1, 1440, " min").map((v) => ({ ...v, key: "flexibleTimeWindow.maximumWindowInMinutes" })));
            else if (window?.mode === "OFF" && window.maximumWindowInMinutes !== undefined) out.push({ key: "flexibleTimeWindow.maximumWindowInMinutes", message: "is only for mode FLEXIBLE" });
            else if (window && window.mode !== undefined && window.mode !== "OFF") out.push({ key: "flexibleTimeWindow.mode", message: `${JSON.stringify(window.mode)} is not OFF or FLEXIBLE` });
            return out;
        },
    },
    {
        id: "cloudwatch.eventRule.settings",
        type: "aws:cloudwatch/eventRule:EventRule",
        title: "a description of at most 512 characters; an event pattern that is a JSON object of at most 4096 characters, or a schedule expression",
        sources: [`${EVENTS}/API_PutRule.html`, "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/events/rule.go"],
        check(r) {
            const out = textViolation(r.inputs, "description", 512);
            const pattern = r.inputs.eventPattern;
            if (typeof pattern === "string") {
                const parsed = jsonValue<unknown>(pattern);
                if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) out.push({ key: "eventPattern", message: "is not a JSON object" });
                else if (pattern.length > 4096) out.push({ key: "eventPattern", message: `has ${pattern.length} characters; EventBridge allows 4096` });
            }
            if (!("eventPattern" in r.inputs) && !("scheduleExpression" in r.inputs)) out.push({ key: "eventPattern", message: "or scheduleExpression is required" });
            return out;
        },
    },
    {
        id: "cloudwatch.eventTarget.retry",
        type: "aws:cloudwatch/eventTarget:EventTarget",
        title: "retries 0–185 within 60–86400 s",
        sources: [`${EVENTS}/API_RetryPolicy.html`],
        check: (r) => retry(r.inputs.retryPolicy, "retryPolicy"),
    },
    {
        id: "appautoscaling.scheduledAction.settings",
        type: "aws:appautoscaling/scheduledAction:ScheduledAction",
        title: "a cron, rate or at expression; an IANA time zone; min at most max",
        sources: [`${AAS}/API_PutScheduledAction.html`, "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/appautoscaling/scheduled_action.go"],
        check(r) {
            const out = [...expressionViolation(r.inputs, "schedule"), ...timeZoneViolation(r.inputs, "timezone")];
            const action = r.inputs.scalableTargetAction ?? {};
            if (typeof action.minCapacity === "number" && typeof action.maxCapacity === "number" && action.minCapacity > action.maxCapacity) {
                out.push({ key: "scalableTargetAction.minCapacity", message: `${action.minCapacity} is above maxCapacity (${action.maxCapacity})` });
            }
            return out;
        },
    },
    {
        id: "appautoscaling.target.capacity",
        type: "aws:appautoscaling/target:Target",
        title: "minimum capacity at most maximum capacity",
        sources: [`${AAS}/API_RegisterScalableTarget.html`],
        check: (r) =>
            typeof r.inputs.minCapacity === "number" && typeof r.inputs.maxCapacity === "number" && r.inputs.minCapacity > r.inputs.maxCapacity
                ? [{ key: "minCapacity", message: `${r.inputs.minCapacity} is above maxCapacity (${r.inputs.maxCapacity})` }]
                : [],
    },
];
