import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { PlanDocument } from "../plan/plan";
import type { PulumiWorkspaces } from "../stacks/automation";
import { projectRoot } from "./planFixtures";
import { cliNotFound } from "./pulumiCli";

const CHROMIUM = "/usr/bin/chromium";

/**
 * A machine without the Pulumi CLI, whatever this one has: every call fails as the SDK fails when
 * it cannot spawn `pulumi`. A real CLI here must never deploy dev because a test clicked Deploy.
 */
function withoutCli(): PulumiWorkspaces {
    const fail = () => Promise.reject(cliNotFound());
    return { createOrSelectStack: fail, selectStack: fail, removeStack: fail, listStacks: fail };
}

describe("portal page in a headless browser", function () {
    let server: Server | undefined;
    let context: BrowserContext | undefined;
    let page: Page;
    let userDataDir: string | undefined;
    let dev: PlanDocument;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            const reason = `${CHROMIUM} is missing (apt-get install -y chromium)`;
            if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
            console.log(`    Skipped: the portal page is tested in Chromium, and ${reason}.`);
            this.skip();
        }
        const [{ createPortal }, { planStack }, { chromium }] = await Promise.all([import("../portal/server"), import("../plan/plan"), import("playwright-core")]);
        dev = await planStack(projectRoot, "dev");
        userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-chromium-"));
        server = createPortal({ projectDir: projectRoot, workspaces: withoutCli(), workspaceDir: path.join(userDataDir, "workspaces") }).listen(0, "127.0.0.1");
        await new Promise((resolve) => server!.once("listening", resolve));
        context = await chromium.launchPersistentContext(userDataDir, {
            executablePath: CHROMIUM,
            headless: true,
            args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?env=dev`);
    });

    after(async () => {
        await context?.close();
        server?.close();
        if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    });

    it("shows the total monthly cost of the dev plan", async () => {
        const expected = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(dev.cost.monthlyUsd);
        await page.locator("#cost-total").filter({ hasText: "$" }).waitFor();
        assert.equal(await page.locator("#cost-total").textContent(), expected);
        assert.equal(await page.locator("#cost-lines tbody tr").count(), dev.cost.lines.length);
    });

    it("shows every control, the waived ECS.2 with its reason", async () => {
        const ecs2 = dev.controls.find((c) => c.id === "ECS.2");
        assert.equal(ecs2?.status, "waived");
        await page.locator("#controls tbody tr").first().waitFor();
        assert.equal(await page.locator("#controls tbody tr").count(), dev.controls.length);
        const row = page.locator('#controls tr[data-control="ECS.2"]');
        assert.equal(await row.locator("td.status").textContent(), "waived");
        assert.equal(await row.locator("td").nth(3).textContent(), ecs2!.waiver);
    });

    it("shows the diagram", async () => {
        await page.waitForFunction("document.getElementById('diagram').complete && document.getElementById('diagram').naturalWidth > 0");
    });

    it("answers Deploy with the clear 'Pulumi CLI not found' error on a machine without the CLI", async () => {
        await page.locator('button[data-operation="deploy"]').click();
        await page.locator("#error").filter({ hasText: "Pulumi CLI not found" }).waitFor();
        assert.match((await page.locator("#error").textContent()) ?? "", /curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    });
});
