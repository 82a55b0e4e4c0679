import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../../components";
import { PACKAGE_NAME, componentType } from "../../components/componentType";
import { describeFailure, runCommand } from "./commands";
import { ROOT, developed, installedCopies, manifest, workspace } from "./workspace";

/**
 * `pulumi package add <git url>/plugin@<tag>` as Pulumi does it, short of the CLI: a checkout of
 * the repository without node_modules, `npm install` inside plugin/ alone (the folder is not an npm
 * workspace, so Pulumi installs there and nowhere else), then Pulumi's own Node.js plugin host
 * (`@pulumi/pulumi/cmd/run-plugin`, which type-checks index.ts with ts-node) started the way the
 * language host starts it, and asked for the schema over gRPC.
 *
 * Two things differ from a user's run, both because the release is not on npm from here: the
 * component package is installed from its packed tarball, and @pulumi/pulumi at the version this
 * repository develops against (Node.js 20 runs up to 3.248).
 */

const exported = Object.entries(components)
    .filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource)
    .map(([name]) => name);

interface Schema {
    name: string;
    version: string;
    resources: Record<string, unknown>;
    types: Record<string, { enum?: { value: string }[] }>;
}

/** The files of the repository the install and the plugin read: the root manifest (its workspaces), the plugin's folder and the sources its tsconfig points at. */
const CHECKOUT = ["package.json", "plugin", "components", "core"];

/** Starts the plugin host and resolves with the port it prints, as the engine reads it. */
function startHost(pluginDir: string): { child: ChildProcess; port: Promise<number>; output: () => string } {
    const runPlugin = path.join(pluginDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
    // The engine address: the host only needs one to start; nothing here calls back into it.
    const child = spawn(process.execPath, [runPlugin, pluginDir, "127.0.0.1:1"], { cwd: pluginDir, env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" } });
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    const port = new Promise<number>((resolve, reject) => {
        child.stdout?.on("data", (d) => {
            stdout += d;
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) resolve(Number(match[1]));
        });
        child.on("exit", (code) => reject(new Error(`the plugin host exited with ${code}:\n${stdout}\n${stderr}`)));
    });
    return { child, port, output: () => `${stdout}\n${stderr}` };
}

/** GetSchema over gRPC, as the engine asks it, with the client the installed @pulumi/pulumi ships. */
function getSchema(pluginDir: string, port: number): Promise<Schema> {
    const from = { paths: [path.join(pluginDir, "node_modules", "@pulumi", "pulumi")] };
    const grpc = require(require.resolve("@grpc/grpc-js", from)) as typeof import("@grpc/grpc-js");
    const services = require(require.resolve("@pulumi/pulumi/proto/provider_grpc_pb", from));
    const messages = require(require.resolve("@pulumi/pulumi/proto/provider_pb", from));
    const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Promise((resolve, reject) =>
        client.getSchema(new messages.GetSchemaRequest(), (error: Error | null, response: { getSchema(): string }) => {
            client.close();
            if (error) reject(error);
            else resolve(JSON.parse(response.getSchema()) as Schema);
        }),
    );
}

describe("the component package from a Git checkout (plugin/ installed alone)", () => {
    let checkout: string;
    let pluginDir: string;
    let install: Awaited<ReturnType<typeof runCommand>>;
    let schema: Schema;
    let bootSeconds: number;
    let host: ReturnType<typeof startHost> | undefined;

    before(async () => {
        const ws = await workspace();
        checkout = path.join(ws.work, "checkout");
        for (const dir of CHECKOUT) fs.cpSync(path.join(ROOT, dir), path.join(checkout, dir), { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) });
        pluginDir = path.join(checkout, "plugin");
        const pkg = JSON.parse(fs.readFileSync(path.join(pluginDir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        pkg.dependencies[manifest("components").name] = `file:${path.join(ws.work, ws.packed.components.filename)}`;
        pkg.dependencies["@pulumi/pulumi"] = developed["@pulumi/pulumi"];
        fs.writeFileSync(path.join(pluginDir, "package.json"), JSON.stringify(pkg, null, 4));
        // Scripts are skipped: @pulumi/docker-build's would download its Pulumi plugin.
        install = await runCommand("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], pluginDir);
        assert.equal(install.code, 0, describeFailure("npm install in plugin/", install));

        const started = Date.now();
        host = startHost(pluginDir);
        const port = await host.port;
        schema = await getSchema(pluginDir, port);
        bootSeconds = (Date.now() - started) / 1000;
        console.log(`      plugin/ installed in ${install.seconds} s; host started and answered GetSchema in ${bootSeconds.toFixed(1)} s`);
    });

    after(() => host?.child.kill());

    it("installs in plugin/ alone, not at the workspace root: nothing installed at the checkout's root, one copy of @pulumi/pulumi", () => {
        const root = JSON.parse(fs.readFileSync(path.join(checkout, "package.json"), "utf8")) as { workspaces?: string[] };
        assert.ok(root.workspaces?.length, "the checkout's root is an npm workspace");
        assert.equal(fs.existsSync(path.join(checkout, "node_modules")), false);
        assert.equal(installedCopies(pluginDir, "@pulumi/pulumi").length, 1);
        assert.equal(installedCopies(pluginDir, manifest("components").name).length, 1);
    });

    it("is served by Pulumi's Node.js plugin host under the package name, with every component", () => {
        assert.equal(schema.name, PACKAGE_NAME);
        assert.equal(schema.version, manifest("components").version);
        assert.deepEqual(Object.keys(schema.resources).sort(), exported.map(componentType).sort());
    });

    it("keeps the enums, which only the sources' as-const objects carry", () => {
        assert.deepEqual(schema.types[`${PACKAGE_NAME}:index:Architecture`]?.enum?.map((m) => m.value), ["X86_64", "ARM64"]);
        assert.deepEqual(schema.types[`${PACKAGE_NAME}:index:QueueScalingPolicy`]?.enum?.map((m) => m.value), ["backlogPerTask", "queueDepth"]);
    });
});
