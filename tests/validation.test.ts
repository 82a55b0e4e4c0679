import * as assert from "node:assert/strict";
import fc from "fast-check";
import { z } from "zod";
import { ValidationError, closestKey, describeValue, inputArray, inputString, integer, isDeferred, knownKeysAt, parseOrThrow, problemsFrom } from "../core/validation";

/** The problems `schema` finds in `value`, as `path: message` lines under the prefix "x:". */
function problems(schema: z.ZodType, value: unknown): string[] {
    const result = schema.safeParse(value, { reportInput: true });
    return result.success ? [] : problemsFrom(result.error, schema, "x:").map((p) => `${p.path}: ${p.message}`);
}

describe("validation: values known only at deploy time", () => {
    it("treats Pulumi outputs and promises as deferred, and nothing else", () => {
        assert.equal(isDeferred({ __pulumiOutput: true }), true);
        assert.equal(isDeferred(Promise.resolve(1)), true);
        assert.equal(isDeferred({ then: () => undefined }), true);
        for (const value of [null, undefined, "x", 3, { __pulumiOutput: "true" }, { then: 1 }, []]) assert.equal(isDeferred(value), false, String(value));
    });

    it("does not check a deferred string or list, or a deferred item of a list", () => {
        const deferred = { __pulumiOutput: true };
        assert.deepEqual(problems(inputString(() => "never"), deferred), []);
        assert.deepEqual(problems(inputArray(3, () => "never"), deferred), []);
        assert.deepEqual(problems(inputArray(1, () => "never"), [deferred]), []);
    });
});

describe("validation: how a given value is shown", () => {
    it("shows strings quoted, numbers, booleans and null as written, lists by length and anything else as an object", () => {
        assert.equal(describeValue(undefined), "nothing");
        assert.equal(describeValue("abc"), '"abc"');
        assert.equal(describeValue(42), "42");
        assert.equal(describeValue(false), "false");
        assert.equal(describeValue(null), "null");
        assert.equal(describeValue([1, 2]), "a list of 2");
        assert.equal(describeValue({ a: 1 }), "an object");
    });

    it("cuts strings longer than 80 characters to 77 and an ellipsis", () => {
        assert.equal(describeValue("a".repeat(80)), JSON.stringify("a".repeat(80)));
        assert.equal(describeValue("a".repeat(81)), JSON.stringify(`${"a".repeat(77)}...`));
    });
});

describe("validation: strings and lists that may be deploy-time inputs", () => {
    const noSpaces = (value: string) => (value.includes(" ") ? `${describeValue(value)} has a space` : undefined);

    it("requires a non-empty string and says what was given", () => {
        const schema = z.object({ name: inputString() });
        assert.deepEqual(problems(schema, {}), ["x:name: is required"]);
        assert.deepEqual(problems(schema, { name: "" }), ['x:name: expected a non-empty string, got ""']);
        assert.deepEqual(problems(schema, { name: 5 }), ["x:name: expected a non-empty string, got 5"]);
        assert.deepEqual(problems(schema, { name: "ok" }), []);
    });

    it("reports its problems as custom zod issues, for any reader of zod's errors", () => {
        const codes = (schema: z.ZodType, value: unknown) => {
            const result = schema.safeParse(value);
            return result.success ? [] : result.error.issues.map((i) => i.code);
        };
        assert.deepEqual(codes(inputString(() => "bad"), "x"), ["custom"]);
        assert.deepEqual(codes(inputString(), undefined), ["custom"]);
        assert.deepEqual(codes(inputArray(2, () => "bad"), ["x"]), ["custom", "custom"]);
        assert.deepEqual(codes(inputArray(), "x"), ["custom"]);
        assert.deepEqual(codes(inputArray(), [5]), ["custom"]);
    });

    it("reports the string's own rule", () => {
        assert.deepEqual(problems(z.object({ name: inputString(noSpaces) }), { name: "a b" }), ['x:name: "a b" has a space']);
    });

    it("requires a list, at least `min` items, and names each bad item by its index", () => {
        const schema = z.object({ ids: inputArray(2, noSpaces) });
        assert.deepEqual(problems(schema, {}), ["x:ids: is required"]);
        assert.deepEqual(problems(schema, { ids: "a" }), ['x:ids: expected a list, got "a"']);
        assert.deepEqual(problems(schema, { ids: ["a"] }), ["x:ids: needs at least 2 items"]);
        assert.deepEqual(problems(schema, { ids: ["a", 7, "", "b c"] }), ["x:ids[1]: expected a non-empty string, got 7", 'x:ids[2]: expected a non-empty string, got ""', 'x:ids[3]: "b c" has a space']);
        assert.deepEqual(problems(z.object({ ids: inputArray(1) }), { ids: [] }), ["x:ids: needs at least 1 item"]);
        assert.deepEqual(problems(z.object({ ids: inputArray() }), { ids: [] }), []);
    });

    it("takes integers within the bounds, ends included", () => {
        const schema = integer(1, 3);
        assert.deepEqual([0, 1, 2, 3, 4, 1.5].map((n) => schema.safeParse(n).success), [false, true, true, true, false, false]);
    });
});

describe("validation: did you mean", () => {
    it("suggests the nearest known key, ignoring case", () => {
        assert.equal(closestKey("cpus", ["memory", "cpu", "port"]), "cpu");
        assert.equal(closestKey("CPU", ["memory", "cpu"]), "cpu");
        assert.equal(closestKey("healthcheck", ["healthCheck", "health"]), "healthCheck");
        assert.equal(closestKey("memroy", ["memory", "cpu"]), "memory");
    });

    it("suggests nothing when every key is far away, or when there is no key", () => {
        assert.equal(closestKey("banana", ["cpu", "memory"]), undefined);
        assert.equal(closestKey("cpu", []), undefined);
    });

    it("allows 2 edits for a short key and a third of the length for a long one", () => {
        assert.equal(closestKey("abcd", ["abxy"]), "abxy");
        assert.equal(closestKey("abcd", ["axyz"]), undefined);
        assert.equal(closestKey("abcdefghijkl", ["abcdefghwxyz"]), "abcdefghwxyz");
        assert.equal(closestKey("abcdefghijkl", ["abcdefgvwxyz"]), undefined);
    });

    it("counts insertions, deletions and substitutions as one edit each", () => {
        assert.equal(closestKey("abcdef", ["abcxdef", "zzzzzzzz"]), "abcxdef");
        assert.equal(closestKey("abcdef", ["abdef", "zzzzzzzz"]), "abdef");
        assert.equal(closestKey("abcdef", ["abxdef", "abxxef"]), "abxdef");
    });

    it("always suggests a key given exactly, and only ever a known key (generated)", () => {
        const key = fc.string({ minLength: 1, maxLength: 12 });
        fc.assert(
            fc.property(key, fc.array(key, { maxLength: 6 }), (k, others) => {
                const guess = closestKey(k, [...others, k]);
                return guess !== undefined && guess.toLowerCase() === k.toLowerCase() && [...others, k].includes(guess);
            }),
        );
    });

    it("suggests a key one letter away from the typo (generated)", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z]{3,12}$/), fc.nat(), (key, at) => {
                const i = at % key.length;
                const typo = key.slice(0, i) + (key[i] === "z" ? "y" : "z") + key.slice(i + 1);
                return closestKey(typo, ["0".repeat(20), key]) === key;
            }),
        );
    });
});

describe("validation: the keys allowed at a path", () => {
    const schema = z.strictObject({
        service: z.object({ cpu: z.number(), memory: z.number() }).optional(),
        list: z.array(z.object({ x: z.number() })),
        map: z.record(z.string(), z.object({ y: z.number() })),
        withDefault: z.object({ d: z.number() }).default({ d: 1 }),
        nullable: z.object({ n: z.number() }).nullable(),
        piped: z.object({ p: z.string() }).transform((v) => v.p),
        name: z.string(),
    });

    it("lists an object's keys through optional, default, nullable and transformed schemas", () => {
        assert.deepEqual(knownKeysAt(schema, []), ["service", "list", "map", "withDefault", "nullable", "piped", "name"]);
        assert.deepEqual(knownKeysAt(schema, ["service"]), ["cpu", "memory"]);
        assert.deepEqual(knownKeysAt(schema, ["withDefault"]), ["d"]);
        assert.deepEqual(knownKeysAt(schema, ["nullable"]), ["n"]);
        assert.deepEqual(knownKeysAt(schema, ["piped"]), ["p"]);
        assert.deepEqual(knownKeysAt(z.object({ pre: z.object({ q: z.number() }).prefault({ q: 1 }) }), ["pre"]), ["q"]);
    });

    it("follows list items and map values", () => {
        assert.deepEqual(knownKeysAt(schema, ["list", 0]), ["x"]);
        assert.deepEqual(knownKeysAt(schema, ["map", "anything"]), ["y"]);
    });

    it("lists nothing below a value that has no keys, or below a key that does not exist", () => {
        assert.deepEqual(knownKeysAt(schema, ["name"]), []);
        assert.deepEqual(knownKeysAt(schema, ["name", "deeper"]), []);
        assert.deepEqual(knownKeysAt(schema, ["nowhere"]), []);
        assert.deepEqual(knownKeysAt(schema, ["nowhere", "deeper"]), []);
    });
});

describe("validation: messages for each kind of problem", () => {
    const schema = z.strictObject({
        count: z.number().int().min(5).max(6).optional(),
        ratio: z.number().optional(),
        flag: z.boolean().optional(),
        list: z.array(z.string()).min(1).max(2).optional(),
        pair: z.array(z.string()).min(2).optional(),
        code: z.string().min(3).max(3).optional(),
        label: z.string().min(1).optional(),
        mode: z.enum(["a", "b"]).optional(),
        tags: z.record(z.string().regex(/^[a-z]+$/, "keys are lower-case letters"), z.number()).optional(),
        nested: z.strictObject({ cpu: z.number(), memory: z.number() }).optional(),
        email: z.email().optional(),
        own: z.string().refine((v) => v !== "bad", "is bad, as the schema says").optional(),
        worded: z.number().max(9, { message: "is Too big for a worker; Invalid above 9" }).optional(),
    });

    it("says a number is below or above its bounds, with the value", () => {
        assert.deepEqual(problems(schema, { count: 4 }), ["x:count: 4 is below the minimum of 5"]);
        assert.deepEqual(problems(schema, { count: 7 }), ["x:count: 7 is above the maximum of 6"]);
    });

    it("says which type was expected and what was given, or that a required key is missing", () => {
        assert.deepEqual(problems(schema, { count: 5.5 }), ["x:count: expected an integer, got 5.5"]);
        assert.deepEqual(problems(schema, { ratio: "x" }), ['x:ratio: expected a number, got "x"']);
        assert.deepEqual(problems(schema, { flag: "yes" }), ['x:flag: expected true or false, got "yes"']);
        assert.deepEqual(problems(schema, { list: "a" }), ['x:list: expected a list, got "a"']);
        assert.deepEqual(problems(schema, { nested: [] }), ["x:nested: expected a map of keys, got a list of 0"]);
        assert.deepEqual(problems(schema, { tags: 3 }), ["x:tags: expected a map of keys, got 3"]);
        assert.deepEqual(problems(schema, { nested: { cpu: 1 } }), ["x:nested.memory: is required (a number)"]);
    });

    it("counts items and characters, singular for one", () => {
        assert.deepEqual(problems(schema, { list: [] }), ["x:list: needs at least 1 item"]);
        assert.deepEqual(problems(schema, { pair: ["a"] }), ["x:pair: needs at least 2 items"]);
        assert.deepEqual(problems(schema, { list: ["a", "b", "c"] }), ["x:list: has more than 2 items"]);
        assert.deepEqual(problems(schema, { code: "ab" }), ["x:code: must have at least 3 characters"]);
        assert.deepEqual(problems(schema, { label: "" }), ["x:label: must have at least 1 character"]);
        assert.deepEqual(problems(schema, { code: "abcd" }), ["x:code: is longer than 3 characters"]);
    });

    it("lists the allowed values of an enum", () => {
        assert.deepEqual(problems(schema, { mode: "c" }), ['x:mode: "c" is not one of "a", "b"']);
        assert.deepEqual(problems(z.object({ mode: z.enum(["a", "b"]) }), {}), ['x:mode: is required (one of "a", "b")']);
    });

    it("reports a map key's own rule under the key", () => {
        assert.deepEqual(problems(schema, { tags: { AB: 1 } }), ["x:tags.AB: keys are lower-case letters"]);
    });

    it("keeps a message the schema wrote itself, and zod's own wording for other checks", () => {
        assert.deepEqual(problems(schema, { own: "bad" }), ["x:own: is bad, as the schema says"]);
        assert.deepEqual(problems(schema, { worded: 10 }), ["x:worded: is Too big for a worker; Invalid above 9"]);
        assert.deepEqual(problems(schema, { email: "nope" }), ["x:email: Invalid email address"]);
    });

    it("suggests the key meant for a misspelt one, or lists the allowed keys", () => {
        assert.deepEqual(problems(schema, { nested: { cpu: 1, memory: 2, memroy: 3 } }), ['x:nested.memroy: unknown key; did you mean "memory"?']);
        assert.deepEqual(problems(z.strictObject({ cpu: z.number().optional(), memory: z.number().optional() }), { banana: 1 }), ["x:banana: unknown key; allowed here: cpu, memory"]);
    });

    it("writes list indexes in brackets and joins keys with dots, after any prefix", () => {
        const lists = z.object({ items: z.array(z.object({ n: z.number() })) });
        const at = (prefix: string) => {
            const result = lists.safeParse({ items: [{ n: 1 }, { n: "x" }] }, { reportInput: true });
            assert.equal(result.success, false);
            return problemsFrom(result.error!, lists, prefix)[0].path;
        };
        assert.equal(at(""), "items[1].n");
        assert.equal(at("args:"), "args:items[1].n");
        assert.equal(at("services.api"), "services.api.items[1].n");
    });
});

describe("validation: parse or throw", () => {
    const schema = z.strictObject({ cpu: z.number().default(256), name: z.string() });

    it("returns the parsed value, defaults filled in", () => {
        assert.deepEqual(parseOrThrow(schema, { name: "api" }, "Pulumi.dev.yaml"), { cpu: 256, name: "api" });
    });

    it("starts the key paths at the value's own keys when no prefix is given", () => {
        assert.throws(() => parseOrThrow(schema, { cpu: 1 }, "FargateService api"), { name: "ValidationError", message: "FargateService api: name: is required (a string)" });
    });

    it("throws one ValidationError naming the source and every problem, one line each", () => {
        assert.throws(
            () => parseOrThrow(schema, { cpu: "x", cpuu: 1 }, "Pulumi.dev.yaml", "services.api"),
            (error: unknown) => {
                assert.ok(error instanceof ValidationError);
                assert.equal(error.source, "Pulumi.dev.yaml");
                assert.deepEqual(error.message.split("\n").sort(), [
                    'Pulumi.dev.yaml: services.api.cpu: expected a number, got "x"',
                    'Pulumi.dev.yaml: services.api.cpuu: unknown key; did you mean "cpu"?',
                    "Pulumi.dev.yaml: services.api.name: is required (a string)",
                ]);
                return true;
            },
        );
    });
});

describe("validation: the errors the engine shows against each argument", () => {
    const reasons = (error: ValidationError) => error.errors;

    it("strips the root the paths start with, and only a whole first segment of it", () => {
        const error = new ValidationError("FargateService api", [
            { path: "args.cpu", message: "too low" },
            { path: "argsExtra.cpu", message: "unknown" },
            { path: "other.args.cpu", message: "unknown" },
        ], "args");
        assert.deepEqual(reasons(error), [
            { propertyPath: "cpu", reason: "too low" },
            { propertyPath: "argsExtra.cpu", reason: "unknown" },
            { propertyPath: "other.args.cpu", reason: "unknown" },
        ]);
    });

    it("keeps every path whole without a root, a key named undefined included", () => {
        const error = new ValidationError("Pulumi.dev.yaml", [{ path: "undefined.cpu", message: "unknown key" }]);
        assert.deepEqual(reasons(error), [{ propertyPath: "undefined.cpu", reason: "unknown key" }]);
        assert.equal(error.message, "Pulumi.dev.yaml: undefined.cpu: unknown key");
    });
});
