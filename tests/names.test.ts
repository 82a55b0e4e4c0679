import * as assert from "node:assert/strict";
import fc from "fast-check";
import { AUTONAME_SUFFIX_EXAMPLE, AWS_NAMES, LOG_GROUP_PREFIX_MAX, awsName, logGroupPrefix, nameProblem, shortHash, taskFamily } from "../core/names";

/**
 * The names the components give their child resources (core/names.ts), read as a user meets them:
 * in the console, in the preflight's messages, in a log group's path.
 */

describe("names of child resources", () => {
    describe("what AWS refuses, in the preflight's words", () => {
        it("says how long a name is and what AWS allows", () => {
            assert.equal(nameProblem("loadBalancer", "a".repeat(33)), `"${"a".repeat(33)}" has 33 characters; AWS allows 1 to 32`);
            assert.equal(nameProblem("loadBalancer", "a".repeat(32)), undefined);
            assert.equal(nameProblem("s3Bucket", "ab"), '"ab" has 2 characters; AWS allows 3 to 63');
            assert.equal(nameProblem("s3Bucket", "abc"), undefined);
            assert.equal(nameProblem("loadBalancer", ""), '"" has 0 characters; AWS allows 1 to 32');
        });

        it("lists each refused character once, with the characters allowed", () => {
            assert.equal(nameProblem("loadBalancer", "a_b_c.d"), '"a_b_c.d" has characters AWS refuses ("_" "."); allowed: letters, digits and hyphens');
        });

        it("refuses upper case where AWS wants lower case only", () => {
            assert.equal(nameProblem("s3Bucket", "Abc"), '"Abc" has characters AWS refuses ("A"); allowed: lower-case letters, digits, dots and hyphens');
            assert.equal(nameProblem("ecrRepository", "team/Api"), '"team/Api" has characters AWS refuses ("A"); allowed: lower-case letters, digits and . _ - /');
            assert.equal(nameProblem("ecsCluster", "Team_Api"), undefined, "ECS takes both cases");
        });

        it("takes .fifo only as the end of a queue name", () => {
            assert.equal(nameProblem("sqsQueue", "jobs.fifo"), undefined);
            assert.equal(nameProblem("sqsQueue", "jo.bs"), '"jo.bs" has characters AWS refuses ("."); allowed: letters, digits, hyphens and underscores (and a final .fifo for a FIFO queue)');
            assert.match(nameProblem("sqsQueue", "jobs.fifo.fifo") ?? "", /refuses \("\."\)/);
        });

        it("says which rule on the whole name is broken", () => {
            assert.equal(nameProblem("loadBalancer", "-api"), '"-api" must start and end with a letter or digit');
            assert.equal(nameProblem("loadBalancer", "internal-api"), '"internal-api" must not start with "internal-"');
            assert.equal(nameProblem("s3Bucket", "a..b"), '"a..b" must not contain two dots in a row');
            assert.equal(nameProblem("s3Bucket", "10.0.0.1"), '"10.0.0.1" must not look like an IP address');
            assert.equal(nameProblem("s3Bucket", "logs--x-s3"), '"logs--x-s3" must not use a prefix or suffix AWS reserves');
            assert.equal(nameProblem("securityGroup", "SG-web"), '"SG-web" must not start with "sg-"');
            assert.equal(nameProblem("loadBalancer", "a"), undefined, "one letter starts and ends with a letter");
        });
    });

    describe("awsName", () => {
        it("replaces refused characters with hyphens and keeps names that differ there apart with a 4-character hash of the original", () => {
            assert.equal(awsName("loadBalancer", "My_Api.Service"), `My-Api-Service-${shortHash("My_Api.Service")}`);
            assert.equal(shortHash("My_Api.Service").length, 4);
            assert.equal(shortHash("x", 8), shortHash("x", 64).slice(0, 8));
            assert.match(shortHash("x", 64), /^[0-9a-f]{64}$/);
        });

        it("cuts a long name to the room the auto-naming suffix leaves, keeping its start and its last word", () => {
            const name = `${"x".repeat(70)}-execution`;
            const fitted = awsName("iamRole", name);
            assert.equal(fitted, `${"x".repeat(41)}-${shortHash(name)}-execution`);
            assert.equal(fitted.length + AUTONAME_SUFFIX_EXAMPLE.length, AWS_NAMES.iamRole.max, "exactly the 64 characters IAM allows");
        });

        it("keeps the last word only when it is short beside the room", () => {
            const name = `${"y".repeat(30)}-abcdefghijkl`;
            // 13 characters of word, 4 times that is over a load balancer's 24 characters of room.
            assert.equal(awsName("loadBalancer", name), `${"y".repeat(19)}-${shortHash(name)}`);
        });

        it("keeps a last word of exactly a quarter of the room", () => {
            const name = `${"y".repeat(30)}-abcde`;
            // A load balancer has 24 characters of room; "-abcde" is 6.
            assert.equal(awsName("loadBalancer", name), `${"y".repeat(13)}-${shortHash(name)}-abcde`);
        });

        it("trims every separator from the ends, before and after cutting, not just one", () => {
            assert.equal(awsName("iamRole", "+=ab cd"), `ab-cd-${shortHash("+=ab cd")}`);
            assert.equal(awsName("iamRole", "ab cd+="), `ab-cd-${shortHash("ab cd+=")}`);
            const cut = `${"a".repeat(49)}+=${"b".repeat(10)}1`;
            assert.equal(awsName("iamRole", cut), `${"a".repeat(49)}-${shortHash(cut)}`, "the cut falls after +=");
            const atHyphen = `${"a".repeat(18)}-${"b".repeat(10)}1`;
            assert.equal(awsName("loadBalancer", atHyphen), `${"a".repeat(18)}-${shortHash(atHyphen)}`, "the cut falls after -");
        });

        it("puts a letter before a prefix AWS reserves", () => {
            assert.equal(awsName("loadBalancer", "internal-api"), `ninternal-${shortHash("internal-api")}-api`);
            assert.equal(awsName("securityGroup", "sg-web"), `nsg-${shortHash("sg-web")}-web`);
        });

        it("lower-cases for kinds that take lower case only, and trims separators from the ends", () => {
            assert.equal(awsName("ecrRepository", "My/App"), `my/app-${shortHash("My/App")}`);
            assert.equal(awsName("targetGroup", "-a-"), `a-${shortHash("-a-")}`);
            assert.equal(awsName("loadBalancer", "a__b"), `a-b-${shortHash("a__b")}`, "a run of refused characters becomes one hyphen");
        });

        it("makes a name from the hash alone when nothing of the original is usable", () => {
            assert.equal(awsName("loadBalancer", ""), `n${shortHash("")}`);
            assert.equal(awsName("iamRole", ""), `n${shortHash("")}`, "an empty name, though IAM would take the suffix alone");
            assert.equal(awsName("loadBalancer", "___"), `n${shortHash("___")}`);
        });

        it("keeps a name that fits exactly, and fits one a character longer", () => {
            const room = AWS_NAMES.loadBalancer.max - AUTONAME_SUFFIX_EXAMPLE.length;
            assert.equal(awsName("loadBalancer", "a".repeat(room)), "a".repeat(room));
            assert.equal(awsName("loadBalancer", "a".repeat(room + 1)).length, room);
            assert.equal(awsName("dashboard", "a".repeat(255)), "a".repeat(255), "a dashboard name is not auto-named: all 255 characters are the name's");
        });

        it("gives task definition families the project, the stack and the name", () => {
            assert.equal(taskFamily("shop", "dev", "api"), "shop-dev-api");
            assert.equal(taskFamily("shop", "dev", "api v2"), `shop-dev-api-v2-${shortHash("shop-dev-api v2")}`);
        });
    });

    describe("log group prefixes", () => {
        it("read /ecs/<project>/<stack>/<name>-, with refused characters as hyphens", () => {
            assert.equal(logGroupPrefix("shop", "dev", "api"), "/ecs/shop/dev/api-");
            assert.equal(logGroupPrefix("shop", "dev", "api v2!"), "/ecs/shop/dev/api-v2--");
        });

        it(`stay within Terraform's ${LOG_GROUP_PREFIX_MAX} characters, a long one ending in a hash of the whole`, () => {
            const fits = "n".repeat(LOG_GROUP_PREFIX_MAX - "/ecs/p/s/-".length);
            assert.equal(logGroupPrefix("p", "s", fits), `/ecs/p/s/${fits}-`);
            assert.equal(logGroupPrefix("p", "s", fits).length, LOG_GROUP_PREFIX_MAX);
            const full = `/ecs/p/s/${fits}n-`;
            assert.equal(logGroupPrefix("p", "s", `${fits}n`), `${full.slice(0, LOG_GROUP_PREFIX_MAX - 6)}-${shortHash(full)}-`);
            fc.assert(fc.property(fc.string({ maxLength: 700 }), (name) => logGroupPrefix("p", "s", name).length <= LOG_GROUP_PREFIX_MAX));
        });
    });
});
