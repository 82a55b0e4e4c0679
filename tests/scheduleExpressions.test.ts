import * as assert from "node:assert/strict";
import fc from "fast-check";
import { isTimeZone, runsPerMonth, scheduleExpressionProblem } from "../core/scheduleExpressions";

// The rules: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html and
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html

const accepts = (expression: string) => assert.equal(scheduleExpressionProblem(expression), undefined, expression);

/** Asserts the expression is refused with a message that contains every fragment. */
function refuses(expression: string, ...fragments: string[]): void {
    const problem = scheduleExpressionProblem(expression);
    assert.ok(problem, `${expression} should be refused`);
    for (const fragment of fragments) assert.ok(problem.includes(fragment), `"${problem}" should mention "${fragment}"`);
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

const FIELDS = [
    { name: "minutes", min: 0, max: 59 },
    { name: "hours", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12 },
    { name: "day-of-week", min: 1, max: 7 },
    { name: "year", min: 1970, max: 2199 },
] as const;
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** A daily 12:00 cron with one field replaced (day-of-week "?" unless it is the field replaced). */
function cronWith(index: number, value: string): string {
    const fields = ["0", "12", "*", "*", "?", "*"];
    fields[index] = value;
    if (index === 4) fields[2] = "?";
    return `cron(${fields.join(" ")})`;
}

describe("schedule expressions: the three forms", () => {
    it("refuses text that is none of cron(), rate() or at(), and names the three forms", () => {
        refuses("every day at noon", '"every day at noon" is not a schedule expression', "cron(...), rate(...) or at(...)");
        refuses("crontab(0 12 * * ? *)", "is not a schedule expression");
    });

    it("refuses anything written before or after the expression", () => {
        refuses("xrate(5 minutes)", "is not a schedule expression");
        refuses("rate(5 minutes)x", "is not a schedule expression");
    });

    it("ignores spaces around the expression and just inside its parentheses", () => {
        accepts("  rate(5 minutes)  ");
        accepts("rate( 5 minutes )");
        accepts("cron( 0  12 * * ? * )");
        assert.equal(runsPerMonth("  rate(5 minutes) "), 8760);
        assert.equal(runsPerMonth("rate( 5 minutes )"), 8760);
        assert.equal(runsPerMonth("cron( 0  12 * * ? * )"), runsPerMonth("cron(0 12 * * ? *)"));
    });
});

describe("schedule expressions: rate()", () => {
    it("accepts a number with a unit in minutes, hours or days", () => {
        for (const e of ["rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(7 days)", "rate(10 minutes)"]) accepts(e);
    });

    it("refuses rate(0 minutes): the value must be at least 1", () => {
        refuses("rate(0 minutes)", "rate(0 minutes) must be at least 1");
        refuses("rate(0 days)", "at least 1");
    });

    it("refuses a plural unit after 1, as AWS does (rate(1 minutes)), and suggests the singular", () => {
        refuses("rate(1 minutes)", 'write "1 minute"', "singular for 1");
        refuses("rate(1 hours)", 'write "1 hour"');
        refuses("rate(1 days)", 'write "1 day"');
    });

    it("refuses a singular unit above 1 (rate(5 hour)) and suggests the plural", () => {
        refuses("rate(5 hour)", 'write "5 hours"', "plural above 1");
        refuses("rate(2 minute)", 'write "2 minutes"');
    });

    it("refuses other units, negative or fractional values and a missing space", () => {
        for (const e of ["rate(2 weeks)", "rate(-5 minutes)", "rate(1.5 hours)", "rate(5minutes)", "rate(minutes)", "rate()"]) {
            refuses(e, "must be rate(<number> <minutes|hours|days>)");
        }
    });

    it("accepts every whole number with the unit AWS expects, and refuses the other spelling (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom("minute", "hour", "day"), (value, unit) => {
                const right = value === 1 ? unit : `${unit}s`;
                const wrong = value === 1 ? `${unit}s` : unit;
                return scheduleExpressionProblem(`rate(${value} ${right})`) === undefined && scheduleExpressionProblem(`rate(${value} ${wrong})`) !== undefined;
            }),
        );
    });
});

describe("schedule expressions: at()", () => {
    it("accepts a one-time schedule at(yyyy-mm-ddThh:mm:ss)", () => {
        accepts("at(2026-12-24T18:00:00)");
        accepts("at(2030-01-01T00:00:00)");
    });

    it("refuses a one-time schedule without seconds, without a time or with text around the date", () => {
        for (const body of ["2026-12-24T18:00", "2026-12-24", "2026-12-24T18:00:00.5", "+002026-12-24T18:00:00", "x2026-12-24T18:00:00", "2026-12-24T18:00:00x", "2026-1-24T18:00:00", "26-12-24T18:00:00"]) {
            refuses(`at(${body})`, `at(${body}) must be at(yyyy-mm-ddThh:mm:ss)`);
        }
    });

    it("refuses a one-time schedule on a date that does not exist", () => {
        refuses("at(2026-13-45T25:61:00)", "must be at(yyyy-mm-ddThh:mm:ss)");
    });
});

describe("schedule expressions: cron()", () => {
    it("accepts the forms AWS documents: values, ranges, lists, steps, names, L, W and #", () => {
        for (const e of [
            "cron(0 12 * * ? *)",
            "cron(15 10 ? * 6L 2026-2030)",
            "cron(0 18 ? * MON-FRI *)",
            "cron(0 8 1 * ? *)",
            "cron(0/15 * * * ? *)",
            "cron(*/10 * ? * MON-FRI *)",
            "cron(0,30 9-17 ? * MON-FRI *)",
            "cron(0 12 L * ? *)",
            "cron(0 12 15W * ? *)",
            "cron(0 12 ? * 2#1 *)",
            "cron(0 12 ? * FRIL *)",
            "cron(0 0 1 JAN ? *)",
            "cron(0 0 1 JAN-DEC ? *)",
            "cron(0 0 ? * SUN *)",
            "cron(0 0 ? * sat *)",
        ]) accepts(e);
    });

    it("refuses a cron without exactly six fields and says AWS cron has six", () => {
        refuses("cron(0 12 * * ?)", "has 5 fields", "AWS cron has 6: minutes hours day-of-month month day-of-week year");
        refuses("cron(0 0 12 * * ? *)", "has 7 fields");
    });

    it("accepts the first and last value of every field", () => {
        for (const [i, field] of FIELDS.entries()) {
            accepts(cronWith(i, String(field.min)));
            accepts(cronWith(i, String(field.max)));
            accepts(cronWith(i, `${field.min}-${field.max}`));
        }
    });

    it("refuses out-of-range fields and names the field and its bounds (minute 75, hour 24, month 13, day-of-week 8)", () => {
        refuses("cron(75 12 * * ? *)", 'minutes "75" is not between 0 and 59');
        refuses("cron(0 24 * * ? *)", 'hours "24" is not between 0 and 23');
        refuses("cron(0 12 32 * ? *)", 'day-of-month "32" is not between 1 and 31');
        refuses("cron(0 12 0 * ? *)", 'day-of-month "0" is not between 1 and 31');
        refuses("cron(0 12 1 13 ? *)", 'month "13" is not between 1 and 12');
        refuses("cron(0 12 1 0 ? *)", 'month "0" is not between 1 and 12');
        refuses("cron(0 12 ? * 8 *)", 'day-of-week "8" is not between 1 and 7');
        refuses("cron(0 12 ? * 0 *)", 'day-of-week "0" is not between 1 and 7');
        refuses("cron(0 12 * * ? 1969)", 'year "1969" is not between 1970 and 2199');
        refuses("cron(0 12 * * ? 2200)", 'year "2200" is not between 1970 and 2199');
    });

    it("refuses an out-of-range value inside a list, a range or before a step", () => {
        refuses("cron(0,75 12 * * ? *)", 'minutes "75"');
        refuses("cron(0 9-25 * * ? *)", 'hours "25"');
        refuses("cron(75/5 12 * * ? *)", 'minutes "75"');
        refuses("cron(0 12 * 1-13 ? *)", 'month "13"');
    });

    it("refuses * inside a list, where it means nothing", () => {
        refuses("cron(*,5 12 * * ? *)", 'minutes "*"');
    });

    it("refuses a range with more than two bounds", () => {
        refuses("cron(0 9-12-17 * * ? *)", 'hours "9-12-17" is not a value or range');
    });

    it("refuses a step that is not a whole number of at least 1 (a step of 0 would never advance)", () => {
        refuses("cron(0/x * * * ? *)", 'minutes step "x" is not a whole number of at least 1');
        refuses("cron(0/5x * * * ? *)", 'step "5x"');
        refuses("cron(0/x5 * * * ? *)", 'step "x5"');
        refuses("cron(0/0 * * * ? *)", 'minutes step "0"');
        refuses("cron(*/0 * * * ? *)", 'step "0"');
        accepts("cron(0/1 * * * ? *)");
    });

    it("refuses names that are not months or days, and names in fields that take only numbers", () => {
        refuses("cron(0 0 1 FOO ? *)", 'month "FOO"');
        refuses("cron(0 0 1 jam ? *)", 'month "jam" is not between 1 and 12');
        refuses("cron(0 0 ? * FOO *)", 'day-of-week "FOO"');
        refuses("cron(MON 0 * * ? *)", 'minutes "MON"');
        refuses("cron(0 0 * * ? JAN)", 'year "JAN"');
    });

    it("refuses a cron with ? in both day fields, or in neither", () => {
        refuses("cron(0 12 ? * ? *)", 'exactly one of day-of-month and day-of-week must be "?"');
        refuses("cron(0 12 * * * *)", 'exactly one of day-of-month and day-of-week must be "?"');
        refuses("cron(0 12 1 * MON *)", 'exactly one of day-of-month and day-of-week must be "?"');
    });

    it("refuses ? outside the two day fields", () => {
        refuses("cron(? 12 * * ? *)", 'minutes "?"');
        refuses("cron(0 ? * * ? *)", 'hours "?"');
        refuses("cron(0 12 * ? ? *)", 'month "?"');
        refuses("cron(0 12 * * ? ?)", 'year "?"');
    });

    it("refuses L, W and # in fields that do not take them", () => {
        refuses("cron(L 12 * * ? *)", 'minutes "L"');
        refuses("cron(0 12 ? * 15W *)", 'day-of-week "15W"');
        refuses("cron(0 12 2#1 * ? *)", 'day-of-month "2#1"');
    });

    it("accepts every generated cron made of in-range values, ranges, lists and steps", () => {
        const value = (i: number) => fc.integer({ min: FIELDS[i].min, max: FIELDS[i].max });
        const part = (i: number) =>
            fc.oneof(
                value(i).map(String),
                fc.tuple(value(i), value(i)).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
                fc.tuple(value(i), fc.integer({ min: 1, max: 60 })).map(([a, s]) => `${a}/${s}`),
                fc.integer({ min: 1, max: 60 }).map((s) => `*/${s}`),
                fc.constant("*"),
            );
        const field = (i: number) => fc.array(part(i), { minLength: 1, maxLength: 3 }).map((parts) => (parts.includes("*") ? "*" : parts.join(",")));
        fc.assert(
            fc.property(field(0), field(1), field(2), field(3), field(4), field(5), fc.boolean(), (mi, h, dom, mo, dow, y, questionInMonthDay) => {
                const expression = `cron(${mi} ${h} ${questionInMonthDay ? "?" : dom} ${mo} ${questionInMonthDay ? dow : "?"} ${y})`;
                return scheduleExpressionProblem(expression) === undefined && runsPerMonth(expression) > 0;
            }),
        );
    });

    it("refuses every generated out-of-range field with a message naming the field and the value", () => {
        const outOfRange = fc.integer({ min: 0, max: FIELDS.length - 1 }).chain((i) =>
            (FIELDS[i].min > 0 ? fc.oneof(fc.integer({ min: FIELDS[i].max + 1, max: FIELDS[i].max + 1000 }), fc.integer({ min: 0, max: FIELDS[i].min - 1 })) : fc.integer({ min: FIELDS[i].max + 1, max: FIELDS[i].max + 1000 })).map((v) => ({ i, v })),
        );
        fc.assert(
            fc.property(outOfRange, ({ i, v }) => {
                const problem = scheduleExpressionProblem(cronWith(i, String(v)));
                return problem !== undefined && problem.includes(`${FIELDS[i].name} "${v}" is not between ${FIELDS[i].min} and ${FIELDS[i].max}`);
            }),
        );
    });
});

describe("schedule expressions: how often they fire", () => {
    it("counts rate() exactly over a 730-hour month", () => {
        assert.equal(runsPerMonth("rate(1 minute)"), 43_800);
        assert.equal(runsPerMonth("rate(2 hours)"), 365);
        close(runsPerMonth("rate(1 day)"), 730 / 24);
        close(runsPerMonth("rate(3 days)"), 730 / 72);
    });

    it("counts rate(n minutes) as 43,800 / n for every n (generated)", () => {
        fc.assert(fc.property(fc.integer({ min: 2, max: 100_000 }), (n) => Math.abs(runsPerMonth(`rate(${n} minutes)`) * n - 43_800) < 1e-6));
    });

    it("counts nothing for a one-time at() or an invalid expression", () => {
        assert.equal(runsPerMonth("at(2027-01-01T00:00:00)"), 0);
        assert.equal(runsPerMonth("rate(0 minutes)"), 0);
        assert.equal(runsPerMonth("cron(0/0 * * * ? *)"), 0);
        assert.equal(runsPerMonth("every day"), 0);
    });

    it("counts every minute of every day for cron(* * * * ? *)", () => {
        close(runsPerMonth("cron(* * * * ? *)"), 43_800);
    });

    it("counts steps from a start value to the end of the field", () => {
        close(runsPerMonth("cron(0/15 12 * * ? *)"), 4 * (730 / 24));
        close(runsPerMonth("cron(*/20 12 * * ? *)"), 3 * (730 / 24));
        close(runsPerMonth("cron(0 0/6 * * ? *)"), 4 * (730 / 24));
    });

    it("counts the months a cron names as a share of the year", () => {
        assert.equal(runsPerMonth("cron(0 12 1 1,7 ? *)"), 2 / 12);
        assert.equal(runsPerMonth("cron(0 12 1 JAN-MAR ? *)"), 3 / 12);
    });

    it("counts days of the week 52/12 times a month each", () => {
        close(runsPerMonth("cron(0 12 ? * SUN *)"), 52 / 12);
        close(runsPerMonth("cron(0 12 ? * MON-FRI *)"), (5 * 52) / 12);
    });

    it("counts each L, W or # day once, beside plain days", () => {
        assert.equal(runsPerMonth("cron(0 12 1,L * ? *)"), 2);
        assert.equal(runsPerMonth("cron(0 12 L * ? *)"), 1);
        close(runsPerMonth("cron(0 12 ? * 2#1,2#3 *)"), (2 * 52) / 12);
    });

    it("counts a month or a day the same whether written as a number or a name (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), (m1, m2, d1, d2) => {
                const [ma, mb] = [Math.min(m1, m2), Math.max(m1, m2)];
                const [da, db] = [Math.min(d1, d2), Math.max(d1, d2)];
                const numbers = runsPerMonth(`cron(0 12 ? ${ma}-${mb} ${da}-${db} *)`);
                return (
                    numbers === runsPerMonth(`cron(0 12 ? ${MONTHS[ma - 1]}-${MONTHS[mb - 1]} ${DAYS[da - 1]}-${DAYS[db - 1]} *)`) &&
                    numbers === runsPerMonth(`cron(0 12 ? ${ma}-${MONTHS[mb - 1]} ${da}-${DAYS[db - 1]} *)`)
                );
            }),
        );
    });
});

describe("time zones", () => {
    it("knows IANA zone names and refuses others", () => {
        assert.equal(isTimeZone("Europe/Paris"), true);
        assert.equal(isTimeZone("UTC"), true);
        assert.equal(isTimeZone("Mars/Olympus_Mons"), false);
    });

    it("refuses a name shaped like an IANA zone that the tz database does not have", () => {
        assert.equal(isTimeZone("Europe/Atlantis"), false);
        assert.equal(isTimeZone("America/Nowhere_City"), false);
    });
});
