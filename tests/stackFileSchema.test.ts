import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import fc from "fast-check";
import * as YAML from "yaml";
import { environmentShape } from "../stacks/environmentSchema";
import { stackFileJsonSchema } from "../stacks/stackFileSchema";
import { projectRoot } from "./planFixtures";
import { SCHEMA_FILE, renderSchemaFile } from "./stackFileSchemaFile";

const committed = fs.readFileSync(SCHEMA_FILE, "utf8");
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed));
const stackFile = (name: string) => YAML.parse(fs.readFileSync(path.join(projectRoot, name), "utf8"));
const errors = () => (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe("JSON Schema of the stack file (schema/stack-file.schema.json)", () => {
    it("is up to date with the zod schema: run `npm run schema` when this fails", () => {
        assert.equal(committed, renderSchemaFile());
    });

    for (const name of ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]) {
        it(`accepts ${name}`, () => {
            assert.equal(validate(stackFile(name)), true, errors().join("\n"));
        });

        it(`points editors at it from ${name} (yaml-language-server)`, () => {
            const first = fs.readFileSync(path.join(projectRoot, name), "utf8").split("\n")[0];
            assert.equal(first, "# yaml-language-server: $schema=./schema/stack-file.schema.json");
        });
    }

    it("refuses a misspelt key in the project's namespace, as the program does", () => {
        const dev = stackFile("Pulumi.dev.yaml");
        dev.config["fargate-service:servces"] = dev.config["fargate-service:services"];
        assert.equal(validate(dev), false);
        assert.ok(errors().some((e) => e.startsWith("/config/fargate-service:servces")), errors().join("\n"));
    });

    it("refuses a known-bad stack file: no preset, an unknown preset, a wrong type, an unknown service key", () => {
        const bad = (config: Record<string, unknown>) => validate({ config });
        assert.equal(bad({ "aws:region": "us-east-1" }), false, "the preset is required");
        assert.equal(bad({ "fargate-service:preset": "staging" }), false);
        assert.equal(bad({ "fargate-service:preset": "dev", "fargate-service:dashboard": "yes" }), false);
        assert.equal(bad({ "fargate-service:preset": "dev", "fargate-service:services": { api: { image: { uri: "nginx:1" }, replicas: 2 } } }), false);
        assert.equal(bad({ "fargate-service:preset": "dev", "fargate-service:services": { API: { image: { uri: "nginx:1" } } } }), false, "service names are lower-case");
        assert.equal(validate({ config: { "fargate-service:preset": "dev" }, unknown: 1 }), false, "only Pulumi's stack-file keys at the top");
        assert.equal(bad({ preset: "dev" }), false, "a key without its namespace");
    });

    it("lets keys of other namespaces through (providers' own config)", () => {
        assert.equal(validate({ config: { "fargate-service:preset": "dev", "aws:region": "eu-west-1", "aws:profile": "ops", "datadog:site": "eu" } }), true, errors().join("\n"));
    });

    it("names every key of the environment schema under the project's namespace, for any project name", () => {
        fc.assert(
            fc.property(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), (project) => {
                const schema = stackFileJsonSchema(project) as { properties: { config: { properties: Record<string, unknown>; required: string[] } } };
                const config = schema.properties.config;
                assert.deepEqual(Object.keys(config.properties).filter((k) => k !== "aws:region").sort(), Object.keys(environmentShape).map((k) => `${project}:${k}`).sort());
                assert.deepEqual(config.required, [`${project}:preset`]);
                const check = new Ajv2020({ strict: false }).compile(schema);
                assert.equal(check({ config: { [`${project}:preset`]: "dev" } }), true);
                assert.equal(check({ config: { [`${project}:preset`]: "dev", [`${project}:nope`]: 1 } }), false);
            }),
            { numRuns: 6 },
        );
    });
});
