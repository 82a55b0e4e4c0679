import * as assert from "node:assert/strict";
import fc from "fast-check";
import { cronMatcher, localTime } from "../core/cronCalendar";
import { queueWorkerRunningTime, scheduledRunningTime } from "../analysis/runningHours";

const weekdays = (zone: string, stop: number, start: number) => [
    { schedule: `cron(0 ${stop} ? * MON-FRI *)`, timezone: zone, min: 0, max: 0 },
    { schedule: `cron(0 ${start} ? * MON-FRI *)`, timezone: zone, min: 1, max: 2 },
];

describe("hours a service runs", () => {
    it("runs a service stopped at 20:00 and started at 07:00 on weekdays 13 hours a day, 5 days a week", () => {
        const time = scheduledRunningTime(1, { min: 1, max: 2 }, weekdays("Europe/Paris", 20, 7), 730);
        assert.ok(Math.abs(time.taskHours - (65 * 730) / 168) < 0.01, String(time.taskHours));
        assert.equal(time.taskHours, time.runningHours);
    });

    it("reads schedules at half past the hour in a zone half an hour off UTC: 07:30 to 20:30 in Kolkata is 13 hours a weekday", () => {
        const actions = [
            { schedule: "cron(30 20 ? * MON-FRI *)", timezone: "Asia/Kolkata", min: 0, max: 0 },
            { schedule: "cron(30 7 ? * MON-FRI *)", timezone: "Asia/Kolkata", min: 1, max: 2 },
        ];
        const time = scheduledRunningTime(1, { min: 1, max: 2 }, actions, 730);
        assert.ok(Math.abs(time.taskHours - (65 * 730) / 168) < 0.01, String(time.taskHours));
    });

    it("reads each schedule in its own time zone: a Tokyo night crosses midnight UTC and still gives 13 hours a day", () => {
        // 08:00–21:00 in Tokyo is 23:00–12:00 UTC: the UTC days differ from the local ones.
        const tokyo = scheduledRunningTime(1, { min: 1, max: 2 }, weekdays("Asia/Tokyo", 21, 8), 730);
        assert.ok(Math.abs(tokyo.taskHours - (65 * 730) / 168) < 0.01, String(tokyo.taskHours));
    });

    it("keeps a service stopped over the weekend after Friday's stop", () => {
        const stopsFriday = [
            { schedule: "cron(0 18 ? * FRI *)", timezone: "UTC", min: 0, max: 0 },
            { schedule: "cron(0 6 ? * MON *)", timezone: "UTC", min: 2, max: 4 },
        ];
        // Off from Friday 18:00 to Monday 06:00: 60 of 168 hours, 2 tasks the rest.
        const time = scheduledRunningTime(2, { min: 2, max: 4 }, stopsFriday, 730);
        assert.ok(Math.abs(time.taskHours - (2 * 108 * 730) / 168) < 0.01, String(time.taskHours));
        assert.ok(Math.abs(time.runningHours - (108 * 730) / 168) < 0.01);
    });

    it("runs a service without schedules all month", () => {
        assert.deepEqual(scheduledRunningTime(3, { min: 3, max: 6 }, [], 730), { taskHours: 3 * 730, runningHours: 730 });
    });

    it("runs a queue worker at zero longer as messages come more often, never more than all month", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10 }), (messages, more, idle, tasks) => {
                const fewer = queueWorkerRunningTime(messages, idle, tasks, 730);
                const busier = queueWorkerRunningTime(messages + more, idle, tasks, 730);
                return busier.taskHours >= fewer.taskHours && busier.runningHours <= 730 && busier.taskHours <= 730 * tasks + 1e-9;
            }),
        );
    });

    it("runs a queue worker at zero no hours without messages, and about a minute-long window per rare message", () => {
        assert.equal(queueWorkerRunningTime(0, 15, 2, 730).taskHours, 0);
        // 100 messages a month, 15 idle minutes each: about 25 hours, hardly overlapping.
        const rare = queueWorkerRunningTime(100, 15, 1, 730);
        assert.ok(rare.runningHours > 24 && rare.runningHours < 25, String(rare.runningHours));
    });
});

describe("hours a service runs: the edges of the schedule simulation", () => {
    // The model measures four weeks from Monday 2026-01-05 00:00 UTC; a one-off stop on 31 January
    // at 12:30 local time ends the running hours at a point that depends on the zone.
    const stopJan31 = (timezone?: string) => [{ schedule: "cron(30 12 31 1 ? *)", ...(timezone ? { timezone } : {}), min: 0, max: 0 }];
    const measuredHours = (hours: number) => (hours * 730) / 672;

    it("reads a schedule without a time zone in UTC", () => {
        const time = scheduledRunningTime(1, { min: 1, max: 1 }, stopJan31(), 730);
        // 26 days and 12.5 hours.
        assert.ok(Math.abs(time.runningHours - measuredHours(26 * 24 + 12.5)) < 1e-6, String(time.runningHours));
        assert.deepEqual(time, scheduledRunningTime(1, { min: 1, max: 1 }, stopJan31("UTC"), 730));
    });

    it("reads a schedule in a zone 5:45 ahead of UTC at its own local minute", () => {
        // 12:30 in Kathmandu is 06:45 UTC.
        const time = scheduledRunningTime(1, { min: 1, max: 1 }, stopJan31("Asia/Kathmandu"), 730);
        assert.ok(Math.abs(time.runningHours - measuredHours(26 * 24 + 6.75)) < 1e-6, String(time.runningHours));
    });

    it("clamps the desired count into the starting range before the first action", () => {
        const never = [{ schedule: "cron(30 12 31 1 ? 2199)" }];
        assert.ok(Math.abs(scheduledRunningTime(5, { min: 1, max: 3 }, never, 730).taskHours - 3 * 730) < 1e-6);
        assert.ok(Math.abs(scheduledRunningTime(0, { min: 1, max: 3 }, never, 730).taskHours - 730) < 1e-6);
    });

    it("ignores actions that are not cron schedules (a one-off at() or a rate())", () => {
        const others = [{ schedule: "at(2026-01-10T00:00:00)", min: 0, max: 0 }, { schedule: "rate(1 day)", min: 0, max: 0 }];
        assert.deepEqual(scheduledRunningTime(2, { min: 1, max: 3 }, others, 730), { taskHours: 2 * 730, runningHours: 730 });
    });

    it("counts no running hours for a service of zero tasks", () => {
        assert.deepEqual(scheduledRunningTime(0, { min: 0, max: 2 }, [], 730), { taskHours: 0, runningHours: 0 });
    });

    it("says in its note how many hours the schedules leave", () => {
        const time = scheduledRunningTime(1, { min: 1, max: 2 }, weekdays("Europe/Paris", 20, 7), 730);
        assert.equal(time.note, "282 h of 730 by its schedules");
    });

    it("runs each of a queue worker's tasks for its running hours, and says why in its note", () => {
        const time = queueWorkerRunningTime(100, 15, 3, 730);
        assert.ok(Math.abs(time.taskHours - 3 * time.runningHours) < 1e-9);
        assert.equal(time.note, "25 h of 730: 100 messages a month at random, stops after 15 idle min");
    });
});

describe("cron schedules in local time", () => {
    const at = (iso: string, zone: string) => localTime(Date.parse(iso), zone);

    it("fires a weekday schedule on Monday morning in Paris and not on Saturday", () => {
        const weekday = cronMatcher("cron(0 7 ? * MON-FRI *)")!;
        assert.ok(weekday(at("2026-01-05T06:00:00Z", "Europe/Paris")), "Monday 07:00 in Paris (06:00 UTC)");
        assert.ok(!weekday(at("2026-01-10T06:00:00Z", "Europe/Paris")), "Saturday");
        assert.ok(!weekday(at("2026-01-05T07:00:00Z", "Europe/Paris")), "08:00 in Paris");
    });

    it("follows daylight saving: 07:00 in Paris is 05:00 UTC in July", () => {
        assert.ok(cronMatcher("cron(0 7 ? * * *)")!(at("2026-07-06T05:00:00Z", "Europe/Paris")));
    });

    it("reads steps, lists, the last day of the month and the nth weekday", () => {
        assert.ok(cronMatcher("cron(*/15 9,17 * * ? *)")!(at("2026-03-03T17:45:00Z", "UTC")));
        assert.ok(!cronMatcher("cron(*/15 9,17 * * ? *)")!(at("2026-03-03T17:40:00Z", "UTC")));
        assert.ok(cronMatcher("cron(0 0 L * ? *)")!(at("2026-02-28T00:00:00Z", "UTC")));
        assert.ok(cronMatcher("cron(0 0 ? * MON#2 *)")!(at("2026-01-12T00:00:00Z", "UTC")), "the second Monday of January 2026");
        assert.ok(!cronMatcher("cron(0 0 ? * MON#2 *)")!(at("2026-01-05T00:00:00Z", "UTC")));
        assert.equal(cronMatcher("rate(5 minutes)"), undefined);
    });

    it("refuses by the minutes field alone only minutes the whole expression never fires at, whatever the day", () => {
        const part = fc.oneof(
            fc.integer({ min: 0, max: 59 }).map(String),
            fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
            fc.tuple(fc.constantFrom("*", "0", "7", "10-40"), fc.integer({ min: 1, max: 30 })).map(([from, step]) => `${from}/${step}`),
        );
        const minutes = fc.oneof(fc.constant("*"), fc.array(part, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(",")));
        const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => ms - (ms % 60_000));
        fc.assert(
            fc.property(minutes, fc.constantFrom("*", "7", "9-17"), instant, fc.constantFrom("UTC", "Europe/Paris", "Asia/Kolkata", "Asia/Kathmandu"), (m, hours, utc, zone) => {
                const matcher = cronMatcher(`cron(${m} ${hours} * * ? *)`)!;
                const t = localTime(utc, zone);
                if (!matcher.firesAtMinute(t.minute)) assert.equal(matcher(t), false);
                if (hours === "*") assert.equal(matcher(t), matcher.firesAtMinute(t.minute));
            }),
            { numRuns: 300 },
        );
    });

    /** The LocalTime of a UTC date read as wall-clock time (the zone's offset already added). */
    const wall = (iso: string) => at(iso, "UTC");

    it("reads month and weekday names from the first, JAN and SUN, to the last", () => {
        const january = cronMatcher("cron(0 0 1 JAN ? *)")!;
        assert.ok(january(wall("2026-01-01T00:00:00Z")));
        assert.ok(!january(wall("2026-02-01T00:00:00Z")));
        const sunday = cronMatcher("cron(0 0 ? * SUN *)")!;
        assert.ok(sunday(wall("2026-01-04T00:00:00Z")), "Sunday 4 January 2026");
        assert.ok(!sunday(wall("2026-01-05T00:00:00Z")), "Monday");
        assert.ok(cronMatcher("cron(0 0 ? * sat *)")!(wall("2026-01-10T00:00:00Z")), "names in any case");
        assert.ok(cronMatcher("cron(0 0 31 DEC ? *)")!(wall("2026-12-31T00:00:00Z")));
    });

    it("reads the year field: a schedule for 2027 never fires in 2026", () => {
        const nextYear = cronMatcher("cron(0 0 1 1 ? 2027)")!;
        assert.ok(nextYear(wall("2027-01-01T00:00:00Z")));
        assert.ok(!nextYear(wall("2026-01-01T00:00:00Z")));
    });

    it("fires a schedule of * and ? in every field at every minute of any year, and a list holding * at every minute", () => {
        const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2400, 0, 1) });
        fc.assert(
            fc.property(instant, fc.constantFrom("cron(* * * * ? *)", "cron(* * ? * * *)", "cron(5,* * * * ? *)", "cron(* *,3 * * ? *)"), (utc, expression) => {
                const matcher = cronMatcher(expression)!;
                const t = localTime(utc, "UTC");
                assert.equal(matcher(t), true, `${expression} at ${new Date(utc).toISOString()}`);
                assert.equal(matcher.firesAtMinute(t.minute), true);
            }),
            { numRuns: 200 },
        );
    });

    it("fires L in the day of month on the month's last day only, and L in the day of week on Saturdays", () => {
        const lastDay = cronMatcher("cron(0 0 L * ? *)")!;
        assert.ok(lastDay(wall("2026-02-28T00:00:00Z")));
        assert.ok(lastDay(wall("2028-02-29T00:00:00Z")), "a leap year's February");
        assert.ok(!lastDay(wall("2026-02-27T00:00:00Z")));
        assert.ok(!lastDay(wall("2028-02-28T00:00:00Z")));
        const saturday = cronMatcher("cron(0 0 ? * L *)")!;
        assert.ok(saturday(wall("2026-01-10T00:00:00Z")), "Saturday 10 January 2026");
        assert.ok(!saturday(wall("2026-01-09T00:00:00Z")), "Friday 9 January");
    });

    it("fires the last weekday of a month (6L or FRIL, the last Friday) on the month's last such day only", () => {
        for (const dow of ["6L", "FRIL"]) {
            const lastFriday = cronMatcher(`cron(0 0 ? * ${dow} *)`)!;
            assert.ok(lastFriday(wall("2026-01-30T00:00:00Z")), `${dow}: Friday 30 January 2026`);
            assert.ok(!lastFriday(wall("2026-01-23T00:00:00Z")), `${dow}: the Friday before`);
            assert.ok(!lastFriday(wall("2026-01-31T00:00:00Z")), `${dow}: the Saturday after`);
        }
        // April 2026 has 30 days: Thursday the 23rd is a week before the last Thursday, the 30th.
        const lastThursday = cronMatcher("cron(0 0 ? * 5L *)")!;
        assert.ok(lastThursday(wall("2026-04-30T00:00:00Z")));
        assert.ok(!lastThursday(wall("2026-04-23T00:00:00Z")));
    });

    it("fires the nth weekday on that weekday of that week only", () => {
        const secondMonday = cronMatcher("cron(0 0 ? * 2#2 *)")!;
        assert.ok(secondMonday(wall("2026-01-12T00:00:00Z")), "Monday 12 January 2026");
        assert.ok(!secondMonday(wall("2026-01-13T00:00:00Z")), "the Tuesday of the same week");
        assert.ok(!secondMonday(wall("2026-01-19T00:00:00Z")), "the third Monday");
    });

    it("counts a step from its start: 5/20 in the minutes fires at 5, 25 and 45", () => {
        const matcher = cronMatcher("cron(5/20 * * * ? *)")!;
        assert.deepEqual(
            Array.from({ length: 60 }, (_, minute) => minute).filter((minute) => matcher.firesAtMinute(minute)),
            [5, 25, 45],
        );
        assert.ok(matcher(wall("2026-01-05T10:25:00Z")));
        assert.ok(!matcher(wall("2026-01-05T10:20:00Z")));
    });

    it("reads an expression with spaces around and between its fields, and one without the year field", () => {
        for (const expression of [" cron(0 7 ? * MON-FRI *) ", "cron( 0 7 ? * MON-FRI * )", "cron(0  7 ?\t* MON-FRI *)", "cron(0 7 ? * MON-FRI)"]) {
            const matcher = cronMatcher(expression);
            assert.ok(matcher, expression);
            assert.ok(matcher(wall("2026-01-05T07:00:00Z")), expression);
            assert.ok(!matcher(wall("2026-01-05T08:00:00Z")), expression);
        }
    });

    it("reads only a whole cron(...) expression: text before or after it is none", () => {
        for (const expression of ["xcron(0 7 * * ? *)", "cron(0 7 * * ? *)x", "cron(0 7 * * ? *) and more", "cron()"]) {
            assert.equal(cronMatcher(expression), undefined, expression);
        }
    });

    it("fires never on a field it cannot read whole, rather than on the nearest thing it can read", () => {
        // AWS refuses these (scheduleExpressions.ts says so first); the cost estimate must not guess.
        for (const dow of ["MON#23", "-MON#2", "MON#2x", "6Lx", "1-6L", "FRI-L"]) {
            const matcher = cronMatcher(`cron(0 0 ? * ${dow} *)`)!;
            for (let day = 1; day <= 31; day++) {
                const t = wall(`2026-01-${String(day).padStart(2, "0")}T00:00:00Z`);
                assert.equal(matcher(t), false, `${dow} on 2026-01-${day}`);
            }
        }
    });

    it("never skips a minute on the minutes field alone when that field holds L or #, which read the day", () => {
        for (const minutes of ["L", "1#2"]) {
            const matcher = cronMatcher(`cron(${minutes} * * * ? *)`)!;
            for (const minute of [0, 7, 31, 59]) assert.equal(matcher.firesAtMinute(minute), true, `${minutes} at minute ${minute}`);
        }
    });

    it("reads the wall-clock time of a zone named in any letter case, as IANA names are matched", () => {
        // Kathmandu is UTC+05:45 all year (no daylight saving): an offset no rounding can hide.
        const kathmandu = "Asia/Kathmandu";
        const anyCase = fc.array(fc.boolean(), { minLength: kathmandu.length, maxLength: kathmandu.length }).map((upper) => [...kathmandu].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(""));
        const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => ms - (ms % 60_000));
        fc.assert(
            fc.property(anyCase, instant, (zone, utc) => {
                const shifted = new Date(utc + (5 * 60 + 45) * 60_000);
                const year = shifted.getUTCFullYear();
                const month = shifted.getUTCMonth() + 1;
                assert.deepEqual(localTime(utc, zone), {
                    year,
                    month,
                    day: shifted.getUTCDate(),
                    hour: shifted.getUTCHours(),
                    minute: shifted.getUTCMinutes(),
                    weekday: shifted.getUTCDay() + 1,
                    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
                });
            }),
            { numRuns: 50 },
        );
    });
});
