import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { FargateService } from "../components/fargateService";
import { ReleaseRepository } from "../components/releaseRepository";
import { releaseRepositoryArgsSchema } from "../core/componentSchemas";
import {
    LOOKUP_ACTIONS,
    PULL_ACTIONS,
    READ_ONLY_ACTIONS,
    REPOSITORY_POLICY_MAX_LENGTH,
    accountPrincipal,
    keyText,
    pullAccessProblems,
    pullPolicyDocument,
} from "../core/repositoryPolicy";
import { ecrLifecycleRules } from "../analysis/controls/reliability";
import { ecrPullOnly } from "../analysis/controls/repositoryAccess";
import { evaluateControls } from "../analysis/controls";
import { StackGraph } from "../analysis/stackResources";
import { ProgramRun, runProgram } from "../plan/engine";
import { PlanContext } from "../plan/placeholders";
import { PREFLIGHT_RULES, ResourceRule } from "../core/preflight";
import { PlanDocument, planProgram } from "../plan/plan";
import { renderText } from "../plan/report";
import { projectRoot } from "./planFixtures";
import { resolveEnvironment } from "../stacks/environment";
import { TASK_TYPES, json, ofType, one, run, throwsProblems } from "./helpers";

/**
 * Images shared across accounts: a release repository in one account grants named accounts pull
 * (and the tag lookup a deploy makes), never push; an environment in another account runs a tag
 * from it by digest, its execution role allowed to pull from exactly that repository.
 */

const RELEASE_ACCOUNT = "111122223333";
const DIGEST = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const placement = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], loadBalancer: { enabled: false as const } };
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";

const accountId = fc.stringMatching(/^\d{12}$/);

function withImages(program: () => void, images: PlanContext["images"]): Promise<ProgramRun> {
    return runProgram(program, { project: "proj", stack: "prod", config: { "aws:region": "eu-west-1" }, context: { images } });
}

describe("cross-account images", () => {
    describe("the repository policy", () => {
        it("lets each named account's principals pull and look up tags, and nothing else", () => {
            const policy = pullPolicyDocument({ accounts: ["444455556666", RELEASE_ACCOUNT] });
            assert.deepEqual(policy.Statement.map((s) => s.Sid), ["PullReleaseImages", "LookUpReleaseTags"]);
            for (const statement of policy.Statement) {
                assert.equal(statement.Effect, "Allow");
                assert.deepEqual(statement.Principal.AWS, [accountPrincipal(RELEASE_ACCOUNT), accountPrincipal("444455556666")]);
                assert.equal(statement.Condition, undefined);
            }
            assert.deepEqual(policy.Statement[0].Action, ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
            assert.deepEqual(policy.Statement[1].Action, ["ecr:DescribeImages", "ecr:DescribeRepositories"]);
        });

        it("narrows the grant to an organization and to principal ARNs as conditions, never as principals", () => {
            const policy = pullPolicyDocument({ accounts: [RELEASE_ACCOUNT], organizationId: "o-a1b2c3d4e5", principalArns: [`arn:aws:iam::${RELEASE_ACCOUNT}:role/prod-*-execution-*`] });
            for (const statement of policy.Statement) {
                assert.deepEqual(statement.Principal.AWS, [accountPrincipal(RELEASE_ACCOUNT)]);
                assert.deepEqual(statement.Condition, {
                    StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
                    ArnLike: { "aws:PrincipalArn": [`arn:aws:iam::${RELEASE_ACCOUNT}:role/prod-*-execution-*`] },
                });
            }
        });

        it("for any set of distinct accounts, grants read-only actions to exactly those accounts' roots, never to *, within ECR's length or refused", () => {
            fc.assert(
                fc.property(fc.uniqueArray(accountId, { minLength: 1, maxLength: 300 }), fc.constantFrom("aws", "aws-cn", "aws-us-gov"), (accounts, partition) => {
                    const problems = pullAccessProblems({ accounts }, undefined, partition);
                    const text = JSON.stringify(pullPolicyDocument({ accounts }, partition));
                    if (text.length > REPOSITORY_POLICY_MAX_LENGTH) {
                        assert.deepEqual(problems.map((p) => keyText(p.path)), ["pullAccounts"]);
                        return;
                    }
                    assert.deepEqual(problems, []);
                    for (const statement of JSON.parse(text).Statement) {
                        assert.deepEqual(statement.Principal.AWS, [...accounts].sort().map((a) => `arn:${partition}:iam::${a}:root`));
                        for (const action of statement.Action) assert.ok(READ_ONLY_ACTIONS.includes(action), action);
                    }
                    assert.doesNotMatch(text, /"\*"/);
                }),
                { numRuns: 300 },
            );
        });

        it("refuses, for any text that is not 12 digits, the account at its index", () => {
            fc.assert(
                fc.property(fc.string({ maxLength: 20 }).filter((s) => !/^\d{12}$/.test(s)), (bad) => {
                    const problems = pullAccessProblems({ accounts: [RELEASE_ACCOUNT, bad] });
                    assert.deepEqual(problems.map((p) => keyText(p.path)), ["pullAccounts[1]"]);
                    assert.match(problems[0].message, /is not an AWS account ID \(12 digits\)/);
                }),
            );
        });

        it("refuses an account named twice, the repository's own account, an empty list, and a policy over 10,240 characters", () => {
            assert.deepEqual(pullAccessProblems({ accounts: [RELEASE_ACCOUNT, "444455556666", RELEASE_ACCOUNT] }), [
                { path: ["pullAccounts", 2], message: `${RELEASE_ACCOUNT} is already pullAccounts[0]: name each account once` },
            ]);
            const own = pullAccessProblems({ accounts: ["123456789012"] }, "123456789012");
            assert.deepEqual(own[0].path, ["pullAccounts", 0]);
            assert.match(own[0].message, /is the repository's own account: its roles pull through their own IAM policies/);
            assert.match(pullAccessProblems({ accounts: [] })[0].message, /is empty/);
            const many = Array.from({ length: 400 }, (_, i) => String(100000000000 + i));
            assert.match(pullAccessProblems({ accounts: many })[0].message, /make a repository policy of \d+ characters; ECR takes at most 10240: grant an organization/);
        });

        it("refuses an organization ID of the wrong shape and a principal outside the named accounts", () => {
            const problems = pullAccessProblems({ accounts: [RELEASE_ACCOUNT], organizationId: "o-ABC", principalArns: ["arn:aws:iam::999999999999:role/x", "arn:aws:s3:::bucket", "*"] });
            assert.deepEqual(problems.map((p) => keyText(p.path)), ["organizationId", "principalArns[0]", "principalArns[1]", "principalArns[2]"]);
            assert.match(problems[1].message, /is in account 999999999999, which is not in pullAccounts/);
            assert.match(problems[2].message, /is not the ARN of an IAM role or user/);
        });

        it("is checked by the preflight before it is sent: JSON, at most 10,240 characters as the provider compacts it", () => {
            const rule = PREFLIGHT_RULES.find((r) => r.id === "ecr.repositoryPolicy.policy") as ResourceRule;
            const check = (policy: unknown) => rule.check({ urn: "urn:p", type: REPOSITORY_POLICY, name: "p", inputs: { policy } } as never);
            assert.deepEqual(check(JSON.stringify(pullPolicyDocument({ accounts: [RELEASE_ACCOUNT] }), null, 8)), []);
            assert.deepEqual(check("[1]"), [{ key: "policy", message: "is not a JSON policy document (an object)" }]);
            const long = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "x".repeat(10240) }] });
            assert.match(check(long)[0].message, /has 1028\d characters as sent; ECR takes at most 10240/);
        });

        it("is judged by the ecr-pull-only control: * principals and push actions fail, the generated policy passes", () => {
            assert.deepEqual(ecrPullOnly.check(REPOSITORY_POLICY, { policy: JSON.stringify(pullPolicyDocument({ accounts: [RELEASE_ACCOUNT] })) }), []);
            const reasons = ecrPullOnly.check(REPOSITORY_POLICY, {
                policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:*" }, { Effect: "Allow", NotPrincipal: { AWS: "x" }, Action: "ecr:BatchGetImage" }, { Effect: "Deny", Principal: "*", Action: "ecr:*" }] }),
            });
            assert.deepEqual(reasons, [
                'statement 1 allows the principal "*": anyone could pull (or act on) the repository',
                `statement 1 allows ecr:* to *: other accounts may only pull (${[...PULL_ACTIONS, ...LOOKUP_ACTIONS].join(", ")})`,
                "statement 2 allows everyone but its NotPrincipal: name the accounts that may pull instead",
            ]);
        });
    });

    describe("ReleaseRepository", () => {
        it("creates <project>/releases/<name>: immutable tags, scan on push, encrypted, never force-deleted, protected and retained", async () => {
            const result = await run(() => void new ReleaseRepository("api", {}));
            const repository = one(result, TASK_TYPES.repository);
            assert.equal(repository.inputs.name, "proj/releases/api");
            assert.equal(repository.inputs.imageTagMutability, "IMMUTABLE");
            assert.equal(repository.inputs.imageScanningConfiguration.scanOnPush, true);
            assert.deepEqual(repository.inputs.encryptionConfigurations, [{ encryptionType: "AES256" }]);
            assert.equal(repository.inputs.forceDelete, false);
            assert.equal(repository.options.protect, true);
            assert.equal(repository.options.retainOnDelete, true);
            assert.equal(ofType(result, REPOSITORY_POLICY).length, 0, "no policy without pullAccounts");
        });

        it("keeps every tagged image: its lifecycle policy selects untagged images only, and the lifecycle control accepts that of a release repository", async () => {
            const result = await run(() => void new ReleaseRepository("api", { untaggedExpiryDays: 3 }));
            const rules = json(one(result, TASK_TYPES.lifecyclePolicy).inputs.policy).rules;
            assert.deepEqual(rules.map((r: any) => [r.selection.tagStatus, r.selection.countNumber]), [["untagged", 3]]);
            const graph = new StackGraph(result.resources.map((r) => ({ ...r, propertyDependencies: r.propertyDependencies ?? {}, dependencies: r.dependencies ?? [] })) as never);
            assert.deepEqual(ecrLifecycleRules.check(graph, { requireOnDemandBase: false }), []);
        });

        it("adds a repository policy with pullAccounts and passes every control that applies", async () => {
            const result = await run(() => void new ReleaseRepository("api", { pullAccounts: ["444455556666", RELEASE_ACCOUNT], organizationId: "o-a1b2c3d4e5" }));
            const policy = json(one(result, REPOSITORY_POLICY).inputs.policy);
            assert.deepEqual(policy, pullPolicyDocument({ accounts: [RELEASE_ACCOUNT, "444455556666"], organizationId: "o-a1b2c3d4e5" }));
            const graph = new StackGraph(result.resources.map((r) => ({ ...r, propertyDependencies: r.propertyDependencies ?? {}, dependencies: r.dependencies ?? [] })) as never);
            const results = evaluateControls(graph, { requireOnDemandBase: false, requireProtection: true });
            const applied = results.filter((c) => c.status !== "not-applicable");
            assert.deepEqual(applied.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.findings.map((f) => f.reason).join("; ")}`), []);
            assert.deepEqual(applied.map((c) => c.id).sort(), ["ECR.1", "ECR.2", "ECR.3", "ecr-lifecycle-rules", "ecr-pull-only", "stateful-protection"]);
        });

        it("refuses malformed and repeated accounts, and narrowing without accounts, naming each key", () => {
            throwsProblems(
                () => new ReleaseRepository("api", { pullAccounts: ["12345", RELEASE_ACCOUNT, RELEASE_ACCOUNT] }),
                'ReleaseRepository "api": args.pullAccounts[0]: "12345" is not an AWS account ID (12 digits)',
                `args.pullAccounts[2]: ${RELEASE_ACCOUNT} is already pullAccounts[1]`,
            );
            throwsProblems(() => new ReleaseRepository("api", { organizationId: "o-a1b2c3d4e5" }), "args.organizationId: narrows pullAccounts, which is not set");
            const wrongType = releaseRepositoryArgsSchema.safeParse({ pullAccounts: [111122223333] });
            assert.equal(wrongType.success, false);
            assert.equal(wrongType.error?.issues.length, 1, "a number gets its type's message only");
        });

        it("never sends a repository policy naming its own account: the policy's value fails with the reason", async () => {
            // The offline engine's account is 123456789012; the check waits for it, as it waits for the provider's.
            const outcome = await run(() => void new ReleaseRepository("api", { pullAccounts: ["123456789012"] })).then(
                (result) => result,
                (error: Error) => error,
            );
            if (outcome instanceof Error) assert.match(outcome.message, /args\.pullAccounts\[0\]: 123456789012 is the repository's own account/);
            else assert.equal(ofType(outcome, REPOSITORY_POLICY).length, 0);
        });
    });

    describe("an environment in another account", () => {
        const api = (image: Record<string, unknown>) => () => void new FargateService("api", { ...placement, image: image as never });

        it("runs the tag by digest from the release account's registry, and its execution role may pull from exactly that repository", async () => {
            const result = await withImages(api({ tag: "1.4.2", registryId: RELEASE_ACCOUNT, repository: "shop/releases/api" }), { "shop/releases/api": { "1.4.2": DIGEST(7) } });
            const container = json(one(result, TASK_TYPES.taskDefinition).inputs.containerDefinitions)[0];
            assert.equal(container.image, `${RELEASE_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop/releases/api@${DIGEST(7)}`);
            const statements = json(one(result, TASK_TYPES.rolePolicy, "api-execution").inputs.policy).Statement;
            assert.deepEqual(statements.find((s: any) => s.Sid === "PullImages").Resource, [`arn:aws:ecr:eu-west-1:${RELEASE_ACCOUNT}:repository/shop/releases/api`]);
            assert.deepEqual(statements.find((s: any) => s.Sid === "EcrAuthorizationToken").Resource, ["*"]);
            assert.equal(ofType(result, TASK_TYPES.repository).length, 0, "no repository in the consuming account");
            assert.deepEqual(result.imageLookups, [{ repository: "shop/releases/api", tag: "1.4.2", registryId: RELEASE_ACCOUNT }]);
        });

        it("reads <project>/releases/<name> when only the registry is given, as ReleaseRepository names it", async () => {
            const result = await withImages(api({ tag: "2.0.0", registryId: RELEASE_ACCOUNT }), { "proj/releases/api": { "2.0.0": DIGEST(8) } });
            assert.match(json(one(result, TASK_TYPES.taskDefinition).inputs.containerDefinitions)[0].image, new RegExp(`^${RELEASE_ACCOUNT}\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/proj/releases/api@`));
        });

        it("stops the deploy on a tag that is not there, naming the release account, and on a digest that differs from image.digest", async () => {
            await assert.rejects(withImages(api({ tag: "1.4.3", registryId: RELEASE_ACCOUNT, repository: "shop/releases/api" }), { "shop/releases/api": { "1.4.2": DIGEST(7) } }), (error: Error) => {
                assert.equal(error.name, "ImageNotFoundError");
                assert.match(error.message, new RegExp(`api:1\\.4\\.3 is not in repository shop/releases/api \\(account ${RELEASE_ACCOUNT}, eu-west-1\\)`));
                return true;
            });
            await assert.rejects(
                withImages(api({ tag: "1.4.2", registryId: RELEASE_ACCOUNT, repository: "shop/releases/api", digest: DIGEST(9) }), { "shop/releases/api": { "1.4.2": DIGEST(7) } }),
                new RegExp(`api:1\\.4\\.2 in repository shop/releases/api \\(account ${RELEASE_ACCOUNT}, eu-west-1\\) is ${DIGEST(7)}, but image\\.digest says ${DIGEST(9)}`),
            );
        });

        it("refuses a registry that is not an account ID, and a registry without a tag", () => {
            throwsProblems(() => api({ tag: "1.4.2", registryId: "1111-2222-3333" })(), 'args.image.registryId: "1111-2222-3333" is not an AWS account ID (12 digits)');
            throwsProblems(() => api({ uri: "public.ecr.aws/nginx/nginx:1", registryId: RELEASE_ACCOUNT })(), "args.image.registryId: applies to image.tag only");
        });

        it("takes image.registryId from a stack file, beside the release repository the environment names", () => {
            const env = resolveEnvironment(
                { preset: "prod", services: { api: { image: { tag: "1.4.2", registryId: RELEASE_ACCOUNT, digest: DIGEST(7) }, loadBalancer: { enabled: false } } } },
                { project: "fargate-service", stack: "prod", source: "Pulumi.prod.yaml" },
            );
            assert.deepEqual(env.services.api.image, { tag: "1.4.2", registryId: RELEASE_ACCOUNT, digest: DIGEST(7), repository: "fargate-service/releases/api" });
            throwsProblems(
                () => resolveEnvironment({ preset: "dev", services: { api: { image: { tag: "1.4.2", registryId: "42" }, loadBalancer: { enabled: false } } } }, { project: "p", stack: "dev", source: "Pulumi.dev.yaml" }),
                'Pulumi.dev.yaml: p:services.api.image.registryId: "42" is not an AWS account ID (12 digits)',
            );
        });
    });
});

describe("the release account's stack (releases/, from its stack file)", () => {
    const releasesDir = path.join(projectRoot, "releases");
    let plan: PlanDocument;
    before(async function () {
        this.timeout(60000);
        plan = await planProgram(releasesDir, "tooling");
    });

    it("creates one protected release repository per workload, named as the environments read them, each shared with the stack file's accounts", () => {
        const names = plan.resources.filter((r) => r.type === TASK_TYPES.repository).map((r) => r.inputs.name);
        assert.deepEqual(names, ["fargate-service/releases/api", "fargate-service/releases/worker", "fargate-service/releases/jobs", "fargate-service/releases/cleanup"]);
        const policies = plan.resources.filter((r) => r.type === REPOSITORY_POLICY);
        assert.equal(policies.length, 4);
        for (const policy of policies) assert.deepEqual(JSON.parse(String(policy.inputs.policy)), pullPolicyDocument({ accounts: ["111122223333", "444455556666"] }));
    });

    it("shows who may pull in the tree, prices the repositories' storage and passes every control that applies", () => {
        assert.match(renderText(plan), /ecr:RepositoryPolicy api {2}pull: 111122223333, 444455556666/);
        assert.ok(plan.cost.lines.some((l) => l.priceKey === "ecr.storageGbMonth" && /4 repositories/.test(l.item)), JSON.stringify(plan.cost.lines));
        const applied = plan.controls.filter((c) => c.status !== "not-applicable");
        assert.deepEqual(applied.filter((c) => c.status !== "pass").map((c) => c.id), []);
        assert.ok(applied.some((c) => c.id === "ecr-pull-only"));
    });

    it("refuses a stack file's releases with the file, the key, what was given and what is allowed", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "releases-"));
        fs.copyFileSync(path.join(releasesDir, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "index.ts"), `export = require(${JSON.stringify(path.join(projectRoot, "stacks/releases"))}).releasesProgram;\n`);
        fs.writeFileSync(
            path.join(dir, "Pulumi.tooling.yaml"),
            'config:\n  aws:region: us-east-1\n  fargate-service-releases:releases:\n    project: shop\n    workloads: [api, API]\n    pullAccounts: ["1111", "111122223333"]\n',
        );
        await assert.rejects(planProgram(dir, "tooling"), (error: Error) => {
            assert.match(error.message, /Pulumi\.tooling\.yaml: fargate-service-releases:releases\.workloads\[1\]: is repository shop\/releases\/api, as workloads\[0\] is/);
            assert.match(error.message, /Pulumi\.tooling\.yaml: fargate-service-releases:releases\.pullAccounts\[0\]: "1111" is not an AWS account ID \(12 digits\)/);
            return true;
        });
    });
});
