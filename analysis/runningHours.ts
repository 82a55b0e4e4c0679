import { cronMatcher, localTime } from "../core/cronCalendar";

/**
 * How many task-hours a service runs in a month: its steady task count all month, unless scheduled
 * scaling stops and starts it (read week by week, in each schedule's time zone), or it is a queue
 * worker that scales to zero between messages.
 */

export interface ScheduledRange {
    schedule: string;
    timezone?: string;
    min?: number;
    max?: number;
}

export interface RunningTime {
    /** Task-hours a month. */
    taskHours: number;
    /** Hours a month with at least one task running. */
    runningHours: number;
    /** Why, in a few words, for the line's label; undefined when the tasks run all month. */
    note?: string;
}

const HOUR = 3_600_000;
/** A week of warm-up (the state the last action left), then four weeks measured: 2026-01-05 is a Monday, clear of daylight-saving changes. */
const WARM_UP_START = Date.UTC(2025, 11, 29);
const MEASURE_START = Date.UTC(2026, 0, 5);
const MEASURED_HOURS = 28 * 24;

/**
 * Task-hours of a service whose scalable target starts at [min, max] and whose scheduled actions
 * reset that range: the desired count is clamped into the range each time an action fires, as
 * Application Auto Scaling does (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html).
 * Target tracking is not simulated: between actions the count stays where the last clamp left it.
 */
export function scheduledRunningTime(desired: number, range: { min: number; max: number }, actions: ScheduledRange[], hoursPerMonth: number): RunningTime {
    const firing = actions
        .map((a) => ({ matches: cronMatcher(a.schedule), zone: a.timezone ?? "UTC", min: a.min, max: a.max }))
        .filter((a): a is typeof a & { matches: NonNullable<typeof a.matches> } => a.matches !== undefined);
    if (firing.length === 0) return { taskHours: desired * hoursPerMonth, runningHours: desired > 0 ? hoursPerMonth : 0 };

    let { min, max } = range;
    let tasks = Math.min(Math.max(desired, min), max);
    let taskMinutes = 0;
    let runningMinutes = 0;
    // The offset of each zone from UTC, once an hour (daylight saving moves it on the hour).
    const offsets = new Map<string, number>();
    for (let hourStart = WARM_UP_START; hourStart < MEASURE_START + MEASURED_HOURS * HOUR; hourStart += HOUR) {
        offsets.clear();
        for (let minute = 0; minute < 60; minute++) {
            const utc = hourStart + minute * 60_000;
            for (const action of firing) {
                let offset = offsets.get(action.zone);
                if (offset === undefined) {
                    const t = localTime(hourStart, action.zone);
                    offset = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute) - hourStart;
                    offsets.set(action.zone, offset);
                }
                // Offsets are whole minutes: the local minute is the UTC one shifted. Most minutes
                // fail the minutes field, and need no calendar date (this loop runs 50,000 times).
                // Stryker disable next-line ConditionalExpression: skipping is for speed only; the full match below tests the minute again
                if (!action.matches.firesAtMinute(((Math.floor((utc + offset) / 60_000) % 60) + 60) % 60)) continue;
                const wall = new Date(utc + offset);
                const year = wall.getUTCFullYear();
                const month = wall.getUTCMonth() + 1;
                const fires = action.matches({
                    year,
                    month,
                    day: wall.getUTCDate(),
                    hour: wall.getUTCHours(),
                    minute: wall.getUTCMinutes(),
                    weekday: wall.getUTCDay() + 1,
                    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
                });
                if (!fires) continue;
                min = action.min ?? min;
                max = action.max ?? max;
                tasks = Math.min(Math.max(tasks, min), max);
            }
            if (utc >= MEASURE_START) {
                taskMinutes += tasks;
                if (tasks > 0) runningMinutes += 1;
            }
        }
    }
    const scale = hoursPerMonth / MEASURED_HOURS / 60;
    const runningHours = runningMinutes * scale;
    return { taskHours: taskMinutes * scale, runningHours, note: `${Math.round(runningHours)} h of ${hoursPerMonth} by its schedules` };
}

/**
 * A queue worker that stops after `idleMinutes` without messages and starts `runningTasks` on the
 * next one. With messages arriving at random (a Poisson process of `messagesPerMonth`), it runs
 * whenever a message arrived within the last `idleMinutes`: a share 1 − e^(−λ·idle) of the month.
 */
export function queueWorkerRunningTime(messagesPerMonth: number, idleMinutes: number, runningTasks: number, hoursPerMonth: number): RunningTime {
    const perMinute = messagesPerMonth / (hoursPerMonth * 60);
    const share = 1 - Math.exp(-perMinute * idleMinutes);
    const runningHours = share * hoursPerMonth;
    return {
        taskHours: runningHours * runningTasks,
        runningHours,
        note: `${Math.round(runningHours)} h of ${hoursPerMonth}: ${messagesPerMonth} messages a month at random, stops after ${idleMinutes} idle min`,
    };
}
