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
});
