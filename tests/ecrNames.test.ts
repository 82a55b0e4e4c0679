import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ECR_REPOSITORY_NAME_LENGTH, buildImageTag, environmentRepositoryName, exclusionFilterProblem, matchesWildcard, releaseRepositoryName, repositoryNameProblem, repositorySegment } from "../core/ecrNames";

/**
 * ECR repository names this project gives, and the tag filters it sets, against ECR's rules
 * (CreateRepository: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html,
 * ImageTagMutabilityExclusionFilter: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageTagMutabilityExclusionFilter.html).
 */

describe("ECR repository names and tag filters", () => {
    it("turn any text into one lower-case path segment, runs of other characters becoming one separator", () => {
        const cases: [string, string][] = [
            ["My App!", "my-app"],
            ["a..b", "a.b"],
            ["a._-b", "a.b"],
            ["--a--", "a"],
            ["A_B", "a_b"],
            ["___", "x"],
            ["", "x"],
        ];
        for (const [text, segment] of cases) assert.equal(repositorySegment(text), segment, JSON.stringify(text));
    });

    it("name an environment's repository <project>/<environment>/<workload> and a release repository <project>/releases/<workload>", () => {
        assert.equal(environmentRepositoryName("Shop", "Dev", "My API"), "shop/dev/my-api");
        assert.equal(releaseRepositoryName("Shop", "My API"), "shop/releases/my-api");
    });

    it("cut each segment to 80 characters, never leaving a separator at the cut", () => {
        assert.equal(environmentRepositoryName("p".repeat(100), "e", `${"w".repeat(79)}-x`), `${"p".repeat(80)}/e/${"w".repeat(79)}`);
        fc.assert(
            fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (project, environment, workload) => {
                const name = environmentRepositoryName(project, environment, workload);
                assert.equal(repositoryNameProblem(name), undefined, name);
                assert.ok(name.split("/").every((segment) => segment.length <= 80), name);
            }),
        );
    });

    it("say why ECR would refuse a repository name", () => {
        assert.equal(repositoryNameProblem("a"), `"a" is 1 characters; ECR repository names have ${ECR_REPOSITORY_NAME_LENGTH.min} to ${ECR_REPOSITORY_NAME_LENGTH.max}`);
        assert.equal(repositoryNameProblem("ab"), undefined);
        assert.equal(repositoryNameProblem("a".repeat(256)), undefined);
        assert.match(repositoryNameProblem("a".repeat(257)) ?? "", /^"a+" is 257 characters/);
        assert.equal(repositoryNameProblem("a//b"), '"a//b" is not an ECR repository name: lower-case letters and digits, parts joined by one . _ or -, path segments separated by /');
    });

    it("take a tag filter of 1 to 128 of ECR's characters with at most 2 wildcards", () => {
        assert.equal(exclusionFilterProblem("x".repeat(128)), undefined);
        assert.equal(exclusionFilterProblem("a*b*"), undefined);
        assert.equal(exclusionFilterProblem("x".repeat(129)), `"${"x".repeat(129)}" must be 1 to 128 letters, digits and . _ * -`);
        assert.equal(exclusionFilterProblem(""), '"" must be 1 to 128 letters, digits and . _ * -');
        assert.equal(exclusionFilterProblem("a*b*c*"), '"a*b*c*" has more than 2 wildcards');
    });

    it("push a build under a tag starting build-, adding the prefix once", () => {
        assert.equal(buildImageTag("build-3f2a9c1"), "build-3f2a9c1");
        assert.equal(buildImageTag("3f2a9c1"), "build-3f2a9c1");
        assert.equal(buildImageTag("v1-build-"), "build-v1-build-");
    });

    it("match a tag against a WILDCARD filter as a whole, * for any run and every other character as itself", () => {
        assert.equal(matchesWildcard("build-1", "build-*"), true);
        assert.equal(matchesWildcard("build-", "build-*"), true, "* matches nothing too");
        assert.equal(matchesWildcard("xbuild-1", "build-*"), false, "anchored at the start");
        assert.equal(matchesWildcard("build-1x", "build-1"), false, "anchored at the end");
        assert.equal(matchesWildcard("buildx1", "build.1"), false, "a dot is a dot");
        assert.equal(matchesWildcard("build.1", "build.1"), true);
        assert.equal(matchesWildcard("v1-rc", "v*-*"), true);
    });
});
