/**
 * Schedule expressions as EventBridge Scheduler and Application Auto Scaling read them:
 * `cron(minutes hours day-of-month month day-of-week year)`, `rate(5 minutes)` and
 * `at(2026-12-24T18:00:00)`. Checked here so a typo fails before deploy, not in the AWS API.
 *
 * Why our own parser: the general cron libraries (cron-parser, croner) read Unix cron, five or six
 * fields with seconds first, and not AWS's six fields with a year last, its `?` rule between
 * day-of-month and day-of-week, nor `rate()` and `at()`. The one library written for AWS's syntax,
 * aws-cron-parser, has had no release since August 2021, reads neither `rate()` nor `at()`, finds
 * occurrences in UTC only (schedules here run in a time zone; see cronCalendar.ts), and its errors
 * do not name the field that is wrong, which the messages here must.
 */

interface CronField {
    name: string;
    min: number;
    max: number;
    names?: string[];
    /** Extra tokens the field accepts. */
    special?: RegExp;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const CRON_FIELDS: CronField[] = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31, special: /^(L|LW|\d{1,2}W)$/ },
    { name: "month", min: 1, max: 12, names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, names: DAYS, special: /^([1-7]|[A-Z]{3})(L|#[1-5])$|^L$/ },
    { name: "year", min: 1970, max: 2199 },
];

/** The kind and the text between the parentheses, or undefined when it is none of the three forms. */
function parse(expression: string): { kind: string; body: string } | undefined {
    const match = /^(cron|rate|at)\((.*)\)$/.exec(expression.trim());
    return match ? { kind: match[1], body: match[2] } : undefined;
}

/** Returns what is wrong with the expression, or undefined when it is valid. */
export function scheduleExpressionProblem(expression: string): string | undefined {
    const parsed = parse(expression);
    if (!parsed) return `"${expression}" is not a schedule expression; use cron(...), rate(...) or at(...)`;
    const { kind, body } = parsed;
    if (kind === "rate") return rateProblem(body);
    if (kind === "at") return atProblem(body);
    return cronProblem(body);
}

function rateProblem(body: string): string | undefined {
    const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
    if (!match) return `rate(${body}) must be rate(<number> <minutes|hours|days>)`;
    const value = Number(match[1]);
    if (value < 1) return `rate(${body}) must be at least 1`;
    const plural = match[2].endsWith("s");
    if (value === 1 && plural) return `rate(${body}): write "1 ${match[2].slice(0, -1)}" (singular for 1)`;
    if (value > 1 && !plural) return `rate(${body}): write "${value} ${match[2]}s" (plural above 1)`;
    return undefined;
}

function atProblem(body: string): string | undefined {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(body) || Number.isNaN(Date.parse(`${body}Z`))) {
        return `at(${body}) must be at(yyyy-mm-ddThh:mm:ss)`;
    }
    return undefined;
}

function cronProblem(body: string): string | undefined {
    const fields = body.trim().split(/\s+/);
    if (fields.length !== 6) {
        return `cron(${body}) has ${fields.length} fields; AWS cron has 6: minutes hours day-of-month month day-of-week year`;
    }
    for (let i = 0; i < 6; i++) {
        const problem = cronFieldProblem(fields[i], CRON_FIELDS[i]);
        if (problem) return `cron(${body}): ${problem}`;
    }
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
        return `cron(${body}): exactly one of day-of-month and day-of-week must be "?"`;
    }
    return undefined;
}

function cronFieldProblem(field: string, spec: CronField): string | undefined {
    if (field === "*" || (field === "?" && (spec.name === "day-of-month" || spec.name === "day-of-week"))) return undefined;
    for (const part of field.split(",")) {
        if (spec.special?.test(part.toUpperCase())) continue;
        const [range, step] = part.split("/");
        // A step of 0 would never advance: refused here rather than looping when the schedule is counted.
        if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `${spec.name} step "${step}" is not a whole number of at least 1`;
        if (range === "*" && step !== undefined) continue;
        const bounds = range.split("-");
        if (bounds.length > 2) return `${spec.name} "${part}" is not a value or range`;
        for (const bound of bounds) {
            const value = cronValue(bound, spec);
            if (value === undefined) return `${spec.name} "${bound}" is not between ${spec.min} and ${spec.max}`;
        }
    }
    return undefined;
}

function cronValue(token: string, spec: CronField): number | undefined {
    // Stryker disable next-line Regex: a token that is not all digits gives NaN, which fails the range check either way
    if (/^\d+$/.test(token)) {
        const value = Number(token);
        return value >= spec.min && value <= spec.max ? value : undefined;
    }
    const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
    return index >= 0 ? index + spec.min : undefined;
}

// IANA tz database names: an area and a location ("Europe/Paris", "America/Argentina/Buenos_Aires"),
// the Etc zones, or UTC. Intl alone also takes abbreviations ("IST", "EST"), lower-case spellings
// and old links, which EventBridge Scheduler and Application Auto Scaling refuse.
const IANA_NAME = /^(?:UTC|Etc\/(?:UTC|GMT(?:[+-](?:[0-9]|1[0-4]))?)|(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)(?:\/[A-Z][A-Za-z0-9_+-]*){1,2})$/;

/**
 * Whether the time zone is an IANA tz database name the runtime knows (such as "Europe/Paris").
 * Application Auto Scaling takes "the canonical names of the IANA time zones"
 * (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html),
 * EventBridge Scheduler a time zone of the tz database
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#time-zones).
 */
export function isTimeZone(zone: string): boolean {
    if (!IANA_NAME.test(zone)) return false;
    try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

const MINUTES_PER_MONTH = 730 * 60;

/** How many values a cron field takes (e.g. "0,30" → 2, "MON-FRI" → 5, "*\/15" over minutes → 4). */
function fieldCount(field: string, spec: CronField): number {
    const values = new Set<number | string>();
    for (const part of field.toUpperCase().split(",")) {
        if (spec.special?.test(part)) {
            values.add(part); // L, W, # and the like: one day each
            continue;
        }
        const [range, step] = part.split("/");
        // "*" has no value of its own: it starts at the minimum and, below, runs to the maximum.
        const [from, to] = range.split("-").map((b) => cronValue(b, spec) ?? spec.min);
        const last = range.includes("-") || range === "*" || step !== undefined ? (to ?? spec.max) : from;
        for (let v = from; v <= last; v += Number(step ?? 1)) values.add(v);
    }
    return values.size;
}

/**
 * Roughly how many times a schedule fires in a month (730 hours): exact for rate(), an average
 * for cron() (days of the week count 52/12 times a month), 0 for a one-off at().
 */
export function runsPerMonth(expression: string): number {
    if (scheduleExpressionProblem(expression)) return 0;
    const { kind, body } = parse(expression)!;
    if (kind === "at") return 0;
    if (kind === "rate") {
        const [value, unit] = body.trim().split(" ");
        const minutes = Number(value) * (unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 1440);
        return MINUTES_PER_MONTH / minutes;
    }
    const [minutes, hours, dayOfMonth, month, dayOfWeek] = body.trim().split(/\s+/);
    const [minuteSpec, hourSpec, domSpec, monthSpec, dowSpec] = CRON_FIELDS;
    const days = dayOfMonth === "?" ? fieldCount(dayOfWeek, dowSpec) * (52 / 12) : dayOfMonth === "*" ? 730 / 24 : fieldCount(dayOfMonth, domSpec);
    return fieldCount(minutes, minuteSpec) * fieldCount(hours, hourSpec) * days * (fieldCount(month, monthSpec) / 12);
}
