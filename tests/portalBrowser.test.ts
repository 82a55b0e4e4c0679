import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { PlanDocument } from "../plan/plan";
import type { AuditEntry, AuditStore } from "../portal/audit";
import type { PulumiWorkspaces } from "../stacks/automation";
import { projectRoot } from "./planFixtures";
import { cliNotFound } from "./pulumiCli";
import { IdentityProvider, startIdentityProvider, testAccess } from "./portalHarness";

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
    let idp: IdentityProvider | undefined;
    let base: string;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            const reason = `${CHROMIUM} is missing (apt-get install -y chromium)`;
            if (process.env.REQUIRE_BROWSER === "1") throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
            console.log(`    Skipped: the portal page is tested in Chromium, and ${reason}.`);
            this.skip();
        }
        const [{ createPortal }, { planStack }, { chromium }, { oidcAuthenticator }, { accessSchema }] = await Promise.all([
            import("../portal/server"),
            import("../plan/plan"),
            import("playwright-core"),
            import("../portal/auth"),
            import("../portal/access"),
        ]);
        dev = await planStack(projectRoot, "dev");
        idp = await startIdentityProvider();
        const access = accessSchema.parse(testAccess(idp.issuer));
        userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-chromium-"));
        const entries: AuditEntry[] = [];
        const audit: AuditStore = {
            record: async (e) => void entries.push(e),
            query: async ({ environment }) => entries.filter((e) => e.environment === environment).reverse(),
            close: async () => undefined,
        };
        server = createPortal({ auth: oidcAuthenticator(access.oidc!), access, audit, projectDir: projectRoot, workspaces: withoutCli(), workspaceDir: path.join(userDataDir, "workspaces") }).listen(0, "127.0.0.1");
        await new Promise((resolve) => server!.once("listening", resolve));
        context = await chromium.launchPersistentContext(userDataDir, {
            executablePath: CHROMIUM,
            headless: true,
            args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        page = context.pages()[0] ?? (await context.newPage());
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await page.goto(`${base}/?env=dev`);
    });

    after(async () => {
        await context?.close();
        server?.close();
        await idp?.close();
        if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    });

    it("asks to sign in first, and shows nothing of the plan before", async () => {
        await page.locator("#sign-in").waitFor();
        assert.equal(await page.locator("#who").textContent(), "Not signed in.");
        assert.equal(await page.locator("#controls tbody tr").count(), 0);
    });

    it("signs in with an SSO token and says who is signed in, with which role", async () => {
        await page.locator("#token").fill(await idp!.token("dan", ["developers"]));
        await page.locator('#sign-in button[type="submit"]').click();
        await page.locator("#who").filter({ hasText: /^Signed in as/ }).waitFor();
        assert.equal(await page.locator("#who").textContent(), "Signed in as dan@example.com (deployer).");
        assert.equal(await page.locator("#sign-in").isHidden(), true);
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
        // A function, not a string: the page's CSP forbids eval.
        await page.locator("#diagram").evaluate((image: { complete: boolean; naturalWidth: number }) => new Promise<void>((resolve) => {
            const check = () => (image.complete && image.naturalWidth > 0 ? resolve() : setTimeout(check, 50));
            check();
        }));
    });

    it("answers Deploy with the clear 'Pulumi CLI not found' error on a machine without the CLI", async () => {
        await page.locator('button[data-operation="deploy"]').click();
        await page.locator("#error").filter({ hasText: "Pulumi CLI not found" }).waitFor();
        assert.match((await page.locator("#error").textContent()) ?? "", /curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
    });

    it("refuses a deployer's destroy of prod, even with prod typed back, and says which role it needs", async () => {
        await page.goto(`${base}/?env=prod`);
        await page.locator("#who").filter({ hasText: /^Signed in as/ }).waitFor();
        page.once("dialog", (dialog) => void dialog.accept("prod"));
        await page.locator('button[data-operation="destroy"]').click();
        await page.locator("#error").filter({ hasText: "may not destroy prod" }).waitFor();
        assert.match((await page.locator("#error").textContent()) ?? "", /needs the admin role/);
        assert.equal(await page.locator("#status").textContent(), "destroy: refused.");
    });

    it("shows the refused destroy in prod's history, with who asked", async () => {
        const row = page.locator("#history tbody tr").first();
        await row.filter({ hasText: "destroy" }).waitFor();
        assert.deepEqual((await row.locator("td").allTextContents()).slice(1, 4), ["dan@example.com", "destroy", "refused (forbidden)"]);
    });
});
