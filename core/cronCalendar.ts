/**
 * When a cron() schedule fires, minute by minute, in its own time zone: what the cost estimate needs
 * to know how many hours a scheduled-scaling service runs. Fields as Application Auto Scaling reads
 * them (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html):
 * minutes, hours, day-of-month, month, day-of-week (1 = SUN … 7 = SAT), year; `?` and `*` match all.
 * Our own, not a library: see the reasons in scheduleExpressions.ts.
 */

export interface LocalTime {
    year: number;
    /** 1–12 */
    month: number;
    /** 1–31 */
    day: number;
    hour: number;
    minute: number;
    /** 1 = Sunday … 7 = Saturday, as cron counts. */
    weekday: number;
    /** Days in this month: for `L`. */
    daysInMonth: number;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type FieldTest = (value: number, t: LocalTime) => boolean;

function token(text: string, names?: string[], first = 0): number {
    const index = names?.indexOf(text.toUpperCase()) ?? -1;
    return index >= 0 ? index + first : Number(text);
}

/** A test for one field: lists, ranges, steps and names; `L` and `#` where cron allows them. */
function field(text: string, min: number, max: number, names?: string[], dayOfWeek = false): FieldTest {
    if (text === "*" || text === "?") return () => true;
    const parts = text.split(",").map((part): FieldTest => {
        if (part === "L") return dayOfWeek ? (v) => v === 7 : (v, t) => v === t.daysInMonth;
        const nth = /^(\w+)#([1-5])$/.exec(part);
        if (nth) {
            const day = token(nth[1], names, 1);
            return (v, t) => v === day && Math.ceil(t.day / 7) === Number(nth[2]);
        }
        const lastOf = /^(\w+)L$/.exec(part);
        if (lastOf && dayOfWeek) {
            const day = token(lastOf[1], names, 1);
            return (v, t) => v === day && t.day + 7 > t.daysInMonth;
        }
        const [range, step] = part.split("/");
        const [from, to] = range === "*" ? [min, max] : range.split("-").map((b) => token(b, names, min));
        const last = range === "*" || range.includes("-") ? (to ?? max) : step !== undefined ? max : from;
        const every = Number(step ?? 1);
        return (v) => v >= from && v <= last && (v - from) % every === 0;
    });
    return (v, t) => parts.some((test) => test(v, t));
}

/**
 * Whether a cron() expression fires at a local minute; undefined for rate() and at() expressions.
 * `firesAtMinute` tests the minutes field alone: a minute it refuses never matches, whatever the
 * hour and day, so a caller walking a month minute by minute can skip the other fields there.
 */
export type CronMatcher = ((t: LocalTime) => boolean) & { firesAtMinute(minute: number): boolean };

export function cronMatcher(expression: string): CronMatcher | undefined {
    const body = /^cron\((.*)\)$/.exec(expression.trim())?.[1];
    if (!body) return undefined;
    const [minutes, hours, dom, month, dow, year = "*"] = body.trim().split(/\s+/);
    const tests: [FieldTest, keyof LocalTime][] = [
        [field(minutes, 0, 59), "minute"],
        [field(hours, 0, 23), "hour"],
        [field(dom, 1, 31), "day"],
        [field(month, 1, 12, MONTHS), "month"],
        [field(dow, 1, 7, DAYS, true), "weekday"],
        [field(year, 1970, 2199), "year"],
    ];
    const matches = (t: LocalTime) => tests.every(([test, key]) => test(t[key], t));
    // A minutes field with L or # (which AWS refuses there) would read the day: never skip on it.
    const minuteAlone = /[L#]/.test(minutes) ? undefined : tests[0][0];
    return Object.assign(matches, { firesAtMinute: (minute: number) => minuteAlone?.(minute, {} as LocalTime) ?? true });
}

/** One formatter per zone: making one costs far more than using it, and the cost estimate asks once an hour of five weeks. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function newFormatter(zone: string): Intl.DateTimeFormat {
    const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", weekday: "short" });
    formatters.set(zone, format);
    return format;
}

/** The wall-clock time in `zone` at a UTC instant. */
export function localTime(utcMs: number, zone: string): LocalTime {
    const format = formatters.get(zone) ?? newFormatter(zone);
    const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
    const year = Number(parts.year);
    const month = Number(parts.month);
    return {
        year,
        month,
        day: Number(parts.day),
        hour: Number(parts.hour),
        minute: Number(parts.minute),
        weekday: DAYS.indexOf(String(parts.weekday).toUpperCase()) + 1,
        daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
    };
}
