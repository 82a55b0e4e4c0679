import * as assert from "node:assert/strict";
import { unkeptKeys } from "../core/unkeptKeys";

/** Keys an object cannot keep (core/unkeptKeys.ts): found at any depth, named by their path. */
describe("keys JavaScript objects cannot keep", () => {
    it("names a __proto__ key at any depth, inside objects and lists, after the prefix", () => {
        const value = JSON.parse('{ "a": { "list": [ { "ok": 1 }, { "__proto__": 1 } ] }, "__proto__": { "x": 1 } }');
        assert.deepEqual(
            unkeptKeys(value, "p:").map((p) => p.path),
            ["p:a.list[1].__proto__", "p:__proto__"],
        );
        assert.match(unkeptKeys(value, "p:")[0].message, /^is a key JavaScript objects cannot keep \(__proto__ sets an object's prototype/);
    });

    it("numbers the items of a list given at the top", () => {
        assert.deepEqual(unkeptKeys(JSON.parse('[ 1, { "__proto__": 1 } ]'), "").map((p) => p.path), ["[1].__proto__"]);
    });

    it("passes over nulls, numbers and strings, and finds nothing in ordinary keys", () => {
        assert.deepEqual(unkeptKeys({ a: null, b: [null, 1, "proto"], c: { d: null } }, "p:"), []);
        assert.deepEqual(unkeptKeys(null, "p:"), []);
    });

    it("ends on a value that holds itself", () => {
        const value: Record<string, unknown> = { name: "x" };
        value.self = value;
        value.list = [value];
        assert.deepEqual(unkeptKeys(value, "p:"), []);
    });
});
