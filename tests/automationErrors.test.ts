import * as assert from "node:assert/strict";
import { ValidationError } from "../core/validation";
import {
    AwsCredentialsError,
    ConfigInvalidError,
    EnvironmentBusyError,
    EnvironmentNotFoundError,
    FailureContext,
    OperationCancelledError,
    PulumiCliMissingError,
    PulumiOperationError,
    toEnvironmentError,
} from "../automation/errors";
import { cliFailure as commandFailure } from "./pulumiCli";

/**
 * The CLI's failures as the SDK raises them (see pulumiCli.ts), from a `pulumi up` unless said
 * otherwise. The texts are what the CLI and the AWS provider print (from their issue reports).
 */
const UP = "pulumi up --yes --skip-preview --client=127.0.0.1:46835 --exec-kind auto.inline --stack dev --non-interactive";
const cliFailure = (output: string, command = UP) => commandFailure(output, command);

const context: FailureContext = { environment: "dev", operation: "deploy", backendUrl: "s3://acme-pulumi-state" };

describe("errors from the Pulumi CLI", () => {
    it("reports a missing CLI, with how to install it, when the SDK cannot spawn pulumi", async () => {
        // The real thing: LocalWorkspace on a PATH without pulumi.
        const path = process.env.PATH;
        process.env.PATH = "/nonexistent";
        let raw: unknown;
        try {
            const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
            await LocalWorkspace.create({});
        } catch (error) {
            raw = error;
        } finally {
            process.env.PATH = path;
        }
        assert.equal((raw as Error)?.name, "CommandError", "the SDK itself failed");
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof PulumiCliMissingError, `${error.name}: ${error.message}`);
        assert.equal(error.reason, "not-found");
        assert.match(error.message, /^Pulumi CLI not found/);
        assert.ok(error.message.includes("curl -fsSL https://get.pulumi.com | sh") && error.message.includes("https://www.pulumi.com/docs/install/"));
    });

    it("does not take an ordinary failure (also code -2) for a missing CLI", () => {
        const error = toEnvironmentError(cliFailure("error: update failed"), context);
        assert.ok(error instanceof PulumiOperationError, error.name);
    });

    it("reports a CLI older than the SDK accepts as a CLI to upgrade", () => {
        const raw = new Error("Minimum version requirement failed. The minimum CLI version requirement is 3.2.0-alpha, your current CLI version is 3.1.0. Please update the Pulumi CLI.");
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof PulumiCliMissingError && error.reason === "outdated");
        assert.match(error.message, /^Pulumi CLI too old: Minimum version requirement failed\. .*your current CLI version is 3\.1\.0/);
    });

    it("reports a stack locked on a self-managed backend as busy, naming who holds the lock", () => {
        const raw = cliFailure(
            "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
                "  s3://acme-pulumi-state/.pulumi/locks/organization/fargate-service/dev/ec3a6b52-997b-4a50-a6de-6ec3f16804d6.json: created by deploy@ip-10-0-42-235 (pid 478) at 2024-05-16T20:31:35Z",
        );
        assert.equal(raw.name, "ConcurrentUpdateError", "the SDK classifies it");
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof EnvironmentBusyError, error.name);
        assert.equal(error.holder, "deploy@ip-10-0-42-235 (pid 478) at 2024-05-16T20:31:35Z");
        assert.match(error.message, /^Environment "dev" is busy: another update is in progress \(lock deploy@ip-10-0-42-235/);
        assert.ok(error.message.includes("pulumi cancel --stack dev"));
    });

    it("reports Pulumi Cloud's 409 as busy", () => {
        const error = toEnvironmentError(cliFailure("error: [409] Conflict: Another update is currently in progress."), context);
        assert.ok(error instanceof EnvironmentBusyError);
        assert.equal(error.holder, undefined);
    });

    it("reports a stack the backend does not have as not found", () => {
        const raw = cliFailure("error: no stack named 'pr-7' found", "pulumi stack select --stack pr-7 --non-interactive");
        assert.equal(raw.name, "StackNotFoundError");
        const error = toEnvironmentError(raw, { ...context, environment: "pr-7", operation: "outputs" });
        assert.ok(error instanceof EnvironmentNotFoundError);
        assert.equal(error.message, 'Environment "pr-7" not found: the backend s3://acme-pulumi-state has no stack named "pr-7". Deploy it first.');
    });

    it("reports the AWS provider finding no credentials, with what to set", () => {
        const raw = cliFailure(
            [
                "Diagnostics:",
                "  pulumi:providers:aws (default_7_48_0):",
                "    error: pulumi:providers:aws resource 'default_7_48_0' has a problem: No valid credential sources found.",
                "    Please see https://www.pulumi.com/registry/packages/aws/installation-configuration/ for more information about providing credentials.",
                "",
                "    Error: failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request canceled, context deadline exceeded",
            ].join("\n"),
        );
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof AwsCredentialsError, error.name);
        assert.equal(error.detail, "No valid credential sources found.");
        assert.ok(error.message.includes("AWS_PROFILE") && error.message.includes("aws sso login"));
    });

    it("reports expired credentials as a credentials problem", () => {
        const raw = cliFailure(
            "    error: reading ECS Cluster (dev): operation error ECS: DescribeClusters, https response error StatusCode: 400, RequestID: 0c1d, api error ExpiredTokenException: The security token included in the request is expired",
        );
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof AwsCredentialsError);
        assert.match(error.detail, /^ExpiredTokenException: The security token included in the request is expired/);
    });

    it("reports a missing region as a config problem of the region option", () => {
        const raw = cliFailure(
            "    error: pulumi:providers:aws resource 'default_7_48_0' has a problem: missing region information\n    Make sure you have set your AWS region, e.g. `pulumi config set aws:region us-west-2`.",
        );
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof ConfigInvalidError);
        assert.deepEqual(error.problems.map((p) => p.path), ["region"]);
    });

    it("names the specific error of any other failure, not just 'update failed'", () => {
        const raw = cliFailure(
            [
                "Diagnostics:",
                "  aws:lb:LoadBalancer (dev):",
                "    error: creating ELBv2 application Load Balancer (dev-3f2a1c9): api error ValidationError: At least two subnets in two different Availability Zones must be specified",
                "  pulumi:pulumi:Stack (fargate-service-dev):",
                "    error: update failed",
            ].join("\n"),
        );
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof PulumiOperationError);
        assert.equal(
            error.message,
            'The deploy of environment "dev" failed: creating ELBv2 application Load Balancer (dev-3f2a1c9): api error ValidationError: At least two subnets in two different Availability Zones must be specified.',
        );
        assert.ok(error.output.includes("Diagnostics:"), "the whole output is kept for logs");
    });

    it("reports a failure after the caller aborted as a cancellation", () => {
        const controller = new AbortController();
        controller.abort();
        const error = toEnvironmentError(cliFailure("error: update canceled"), { ...context, signal: controller.signal });
        assert.ok(error instanceof OperationCancelledError);
        assert.equal(error.message, 'The deploy of environment "dev" was cancelled.');
    });

    it("turns a ValidationError into a ConfigInvalidError with the same problems and lines", () => {
        const raw = new ValidationError("config", [{ path: "fargate-service:services.api.cpu", message: "300 is not a Fargate CPU size" }]);
        const error = toEnvironmentError(raw, context);
        assert.ok(error instanceof ConfigInvalidError && error instanceof ValidationError);
        assert.equal(error.message, "config: fargate-service:services.api.cpu: 300 is not a Fargate CPU size");
        assert.equal(error.code, "config-invalid");
    });
});
