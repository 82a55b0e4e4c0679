import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../components";
import { costAssumptionsSchema } from "../stacks/environmentSchema";
import { cli } from "./cliHarness";
import { throwsProblems } from "./helpers";
import { projectRoot, stackDirectory } from "./planFixtures";

/** Each case of the "doors without a check", plus the rest of the package's doors. */

const web = ["fargate-service:preset: dev", "fargate-service:services:", "  web:", "    image:", "      uri: nginx:1"];
const withWeb = (...lines: string[]) => [...web, ...lines].join("\n");

/** The problems of a failed run: every stderr line is `source: path: message`. */
function problemLines(stderr: string): string[] {
    return stderr.trim().split("\n");
}

describe("every door checks its input", () => {
    describe("components", () => {
        it("refuses FargateCluster arguments before registering anything: a capacity base of -5", () => {
            throwsProblems(() => new components.FargateCluster("c", { capacity: { fargateBase: -5 } }), 'FargateCluster "c": args.capacity.fargateBase: -5 is below the minimum of 0');
            throwsProblems(() => new components.FargateCluster("c", { capacity: { fargateWeight: 0, spotWeight: 0 } }), "args.capacity: fargateWeight and spotWeight are both 0");
        });

        it("refuses ServiceLoadBalancer arguments { vpcId: 42, subnetIds: \"nope\", idleTimeout: -5 }, naming each", () => {
            throwsProblems(
                () => new components.ServiceLoadBalancer("lb", { vpcId: 42, subnetIds: "nope", idleTimeout: -5 } as never),
                'ServiceLoadBalancer "lb": args.vpcId: expected a non-empty string, got 42',
                'args.subnetIds: expected a list, got "nope"',
                "args.idleTimeout: -5 is below the minimum of 1",
            );
            throwsProblems(() => new components.ServiceLoadBalancer("lb", { vpcId: "vpc-1", subnetIds: ["subnet-a"] }), "args.subnetIds: needs at least 2 items");
        });

        it("refuses ServiceRepository arguments out of range or misspelt", () => {
            throwsProblems(() => new components.ServiceRepository("r", { keepTaggedImages: 0, forcedelete: true } as never), "args.keepTaggedImages: 0 is below the minimum of 1", 'args.forcedelete: unknown key; did you mean "forceDelete"?');
        });

        it("refuses ServiceAlarms, EnvironmentAlerts and dashboard arguments that AWS would refuse", () => {
            throwsProblems(() => new components.ServiceAlarms("a", { topicArn: "t", clusterName: "c", serviceName: "s", cpuPercent: 500 }), "args.cpuPercent: 500 is above the maximum of 100");
            throwsProblems(() => new components.EnvironmentAlerts("e", { clusterArn: "arn", email: ["oncall"] }), "args.email[0]: is not an e-mail address");
            throwsProblems(
                () => components.createEnvironmentDashboard("d", { region: "mars", clusterName: "c", containerInsights: true, services: [], queues: [] }),
                'createEnvironmentDashboard "d": source.region: is not an AWS Region such as eu-west-1',
            );
            throwsProblems(() => components.childTransforms({ servce: (p: never) => p } as never), 'childTransforms: servce: is not a child this package transforms; did you mean "service"?');
        });

        it("refuses arguments that are not a map in every component, with a message rather than a TypeError", () => {
            const classes = Object.entries(components).filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource);
            for (const [name, Component] of classes) {
                for (const args of [null, undefined, 5, "nope", []]) {
                    throwsProblems(() => new (Component as new (n: string, a: unknown) => unknown)("x", args), `${name} "x": args`);
                }
            }
            throwsProblems(() => components.createEnvironmentDashboard("d", null as never), 'createEnvironmentDashboard "d": source');
        });

        it("refuses a build context that does not exist before registering anything", () => {
            throwsProblems(
                () => new components.FargateService("api", { vpcId: "vpc-1", subnetIds: ["subnet-a"], image: { build: { context: "/does/not/exist" } }, loadBalancer: { enabled: false } }),
                'FargateService "api": args.image.build.context: "/does/not/exist" is not a directory',
            );
            throwsProblems(
                () => new components.ScheduledTask("job", { vpcId: "vpc-1", subnetIds: ["subnet-a"], clusterArn: "arn", schedule: "rate(1 day)", image: { build: { context: "examples/app", dockerfile: "Nope.dockerfile" } } }),
                'args.image.build.dockerfile: "Nope.dockerfile" is not a file in the build context "examples/app"',
            );
        });

        it("refuses an unknown argument in every component the package exports, naming it", () => {
            const classes = Object.entries(components).filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource);
            assert.ok(classes.length >= 9, `found ${classes.map(([n]) => n).join(", ")}`);
            for (const [name, Component] of classes) {
                throwsProblems(() => new (Component as new (n: string, a: unknown) => unknown)("x", { unexpectedArgument: 1 }), `${name} "x": args.unexpectedArgument: unknown key`);
            }
        });
    });

    describe("stack names and files", () => {
        it("refuses a stack name that would read a file outside the project", async () => {
            const run = await cli("/../../../elsewhere/evil", "--dir", projectRoot);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /^stack: "\/\.\.\/\.\.\/\.\.\/elsewhere\/evil": is not a stack name: letters, digits, -, _ and \. only/);
        });

        it("answers a Pulumi.yaml that is not YAML, and a stack file that is a directory, with exit 1 and a line", async () => {
            const dir = stackDirectory("s", withWeb());
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: [unclosed\n");
            const broken = await cli("s", "--dir", dir);
            assert.equal(broken.code, 1, broken.stderr);
            assert.match(broken.stderr, /^Pulumi\.yaml: \(file\): is not valid YAML: /);
            const other = stackDirectory("s", withWeb());
            fs.mkdirSync(path.join(other, "Pulumi.x.yaml"));
            const directory = await cli("x", "--dir", other);
            assert.equal(directory.code, 1, directory.stderr);
            assert.equal(directory.stderr.trim(), "Pulumi.x.yaml: (file): cannot be read: EISDIR");
        });

        it("refuses Pulumi.<stack>.yml, which Pulumi never reads, saying what to rename it to", async () => {
            const dir = stackDirectory("other", withWeb());
            fs.renameSync(path.join(dir, "Pulumi.other.yaml"), path.join(dir, "Pulumi.x.yml"));
            const run = await cli("x", "--dir", dir);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /^Pulumi\.x\.yml: \(file\): Pulumi reads a stack's settings from Pulumi\.<stack>\.yaml only, never \.yml .*rename it to Pulumi\.x\.yaml/);
            assert.doesNotMatch((await cli("nope", "--dir", dir)).stderr, /stacks: x/, "a .yml file is not listed as a stack");
        });
    });

    describe("stack file values", () => {
        const cases: [string, string, RegExp][] = [
            ["a YAML anchor inside its own value", withWeb("    desiredCount: &a [*a]"), /fargate-service:services\.web\.desiredCount: contains itself: a YAML anchor is used inside its own value/],
            ["a number beyond a double", withWeb("    cpu: 1e400"), /fargate-service:services\.web\.cpu: is a number beyond the largest a config value can hold/],
            ["a misspelt namespace", ["fargate-service:preset: dev", "fargate-servic:services:", "  web:", "    image:", "      uri: nginx:1"].join("\n"), /fargate-servic:services: "fargate-servic" is not a namespace this project reads; did you mean "fargate-service:services"\?/],
            ["a build context that does not exist", ["fargate-service:preset: dev", "fargate-service:services:", "  web:", "    image:", "      build:", "        context: /does/not/exist"].join("\n"), /fargate-service:services\.web\.image\.build\.context: "\/does\/not\/exist" is not a directory/],
            ["a service tag that would overwrite the environment tag", withWeb("    tags:", "      environment: prod"), /fargate-service:services\.web\.tags\.environment: is a tag the environment sets itself/],
            ["a top-level tag that would overwrite the project tag", withWeb("fargate-service:tags:", "  project: other"), /fargate-service:tags\.project: is a tag the environment sets itself/],
        ];
        for (const [what, yaml, expected] of cases) {
            it(`answers ${what} with one plain line, exit 1`, async () => {
                const run = await cli("s", "--dir", stackDirectory("s", yaml));
                assert.equal(run.code, 1, run.stderr);
                assert.equal(problemLines(run.stderr).length, 1, run.stderr);
                assert.match(run.stderr, expected);
                assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
            });
        }

        it('answers config: "just a string" with one line, not one per character', async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-str-"));
            fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), 'config: "just a string"\n');
            const run = await cli("s", "--dir", dir);
            assert.equal(run.code, 1);
            assert.deepEqual(problemLines(run.stderr), ['Pulumi.s.yaml: config: must be a map of config keys such as fargate-service:preset, got "just a string"']);
        });

        it("suggests the stack file key a misspelling meant", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-key-"));
            fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.s.yaml"), "confg:\n  fargate-service:preset: dev\n");
            assert.match((await cli("s", "--dir", dir)).stderr, /Pulumi\.s\.yaml: confg: is not a stack file key; did you mean "config"\?/);
        });
    });

    describe("what the stack file did not say", function () {
        this.timeout(20000);
        const strategies = async (yaml: string, stack = "s") => {
            const run = await cli(stack, "--dir", stackDirectory(stack, yaml), "--json");
            assert.equal(run.code, 0, run.stderr);
            return JSON.parse(run.stdout).resources.filter((r: { type: string }) => r.type === "aws:ecs/service:Service").map((r: { inputs: { capacityProviderStrategies: unknown } }) => r.inputs.capacityProviderStrategies);
        };

        it("plans an ARM64 service without a capacity on the cluster's strategy, naming no key it did not write", async () => {
            // FARGATE_SPOT runs Linux ARM64 on platform 1.4.0+ (ECS API reference, CapacityProviderStrategyItem).
            assert.deepEqual(await strategies(withWeb("    architecture: ARM64")), [[{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]]);
        });

        it("plans scaling: { enabled: false } in dev and prod: the preset's min and max step aside", async () => {
            for (const preset of ["dev", "prod"]) {
                const head = preset === "prod" ? ["fargate-service:preset: prod", "fargate-service:domain:", "  name: app.example.com", "  zoneName: example.com"] : ["fargate-service:preset: dev"];
                const run = await cli(preset, "--dir", stackDirectory(preset, [...head, ...web.slice(1), "    scaling:", "      enabled: false"].join("\n")), "--json");
                assert.equal(run.code, 0, run.stderr);
                assert.equal(JSON.parse(run.stdout).resources.filter((r: { type: string }) => r.type === "aws:appautoscaling/target:Target").length, 0, preset);
            }
        });
    });

    describe("command line", function () {
        this.timeout(20000);
        it("checks --assume against the stack file's bounds: spotDiscount=5 cannot make the cost negative", async () => {
            const max = (costAssumptionsSchema.shape.spotDiscount.unwrap() as unknown as { maxValue: number }).maxValue;
            const run = await cli("dev", "--dir", projectRoot, "--assume", "spotDiscount=5");
            assert.equal(run.code, 1);
            assert.equal(run.stderr.trim(), `--assume: spotDiscount: 5 is above the maximum of ${max}`);
            assert.match((await cli("dev", "--dir", projectRoot, "-a", "taskStartSeconds=-1")).stderr, /--assume: taskStartSeconds: -1 is below the minimum of 0/);
            assert.match((await cli("dev", "--dir", projectRoot, "-a", "spotDiscount")).stderr, /--assume: spotDiscount: needs a number \(write spotDiscount=<number>\)/);
        });

        it("never overwrites a file that is not an SVG with --svg", async () => {
            const dir = stackDirectory("dev", withWeb());
            const stackFile = path.join(dir, "Pulumi.dev.yaml");
            const before = fs.readFileSync(stackFile, "utf8");
            const named = await cli("dev", "--dir", dir, "--svg", stackFile);
            assert.equal(named.code, 1);
            assert.match(named.stderr, /--svg: .*Pulumi\.dev\.yaml: is not an \.svg file name/);
            const disguised = path.join(dir, "notes.svg");
            fs.writeFileSync(disguised, "my notes\n");
            const run = await cli("dev", "--dir", dir, "--svg", disguised);
            assert.equal(run.code, 1);
            assert.match(run.stderr, /exists and is not an SVG; it is not overwritten/);
            assert.equal(fs.readFileSync(stackFile, "utf8"), before);
            assert.equal(fs.readFileSync(disguised, "utf8"), "my notes\n");
        });

        it("answers an --svg path that cannot be written with exit 1 and a message, not exit 3", async () => {
            const run = await cli("dev", "--dir", projectRoot, "--svg", "/proc/nope/x.svg");
            assert.equal(run.code, 1);
            assert.equal(run.stderr.trim(), "--svg: /proc/nope/x.svg: cannot be written: /proc/nope is not a directory");
        });

        it("prints one JSON document on stdout with --json, errors included, with the problems the text shows", async () => {
            const runs = [
                await cli("s", "--dir", stackDirectory("s", withWeb("    cpu: 300", "    desiredCount: -1")), "--json"),
                await cli("dev", "--dir", projectRoot, "--json", "--assume", "spotDiscount=5"),
                await cli("dev", "--dir", projectRoot, "--json", "--bogus"),
                await cli("/etc/passwd", "--json"),
            ];
            for (const run of runs) {
                assert.equal(run.code, 1, run.stderr);
                const document = JSON.parse(run.stdout);
                assert.equal(run.stdout.trim().split("\n").length, 1, "one document");
                assert.deepEqual([document.ok, document.exitCode], [false, 1]);
                assert.equal(document.problems.length, problemLines(run.stderr).length);
            }
            const first = JSON.parse(runs[0].stdout);
            assert.deepEqual(
                first.problems.map((p: { source: string; path: string; message: string }) => `${p.source}: ${p.path}: ${p.message}`),
                problemLines(runs[0].stderr),
            );
        });
    });
});
