import "./startFast";
import * as path from "node:path";
import express, { Request, Response } from "express";
import type { PlanDocument } from "../plan/plan";
import { listStacks } from "../plan/stackConfig";
import { renderSvg } from "../plan/svg";
import * as api from "../stacks/automation";
import { HttpError, errorAnswer } from "./httpErrors";

/**
 * An example portal over the Automation API: the offline plan of an environment (JSON, diagram,
 * and a page with its cost and controls), preview, deploy, refresh and destroy streamed as
 * server-sent events, and outputs. `npm run portal`, then http://127.0.0.1:3000/?env=dev.
 *
 * It has no authentication: it listens on the loopback interface unless HOST says otherwise, and
 * belongs behind the organisation's single sign-on before anyone else can reach it.
 */

export type PortalOptions = api.WorkspaceOptions;

const PAGE = path.join(__dirname, "page.html");
const OPERATIONS = ["preview", "deploy", "refresh", "destroy"] as const;

/** The portal's Express app; `options` go to every Automation API call. */
export function createPortal(options: PortalOptions = {}): express.Express {
    const projectDir = path.resolve(options.projectDir ?? process.cwd());
    const automation = { ...options, projectDir };
    const app = express();
    app.use(express.json({ limit: "1mb" }));

    /** The environment's config: the request's body if it has one, else its stack file. */
    const target = (req: Request) => {
        const name = String(req.params.name);
        api.checkEnvironmentName(name);
        const file = listStacks(projectDir).includes(name) ? api.readStackFileEnvironment(projectDir, name) : undefined;
        const sent = isObject(req.body) && Object.keys(req.body).length > 0 ? req.body : undefined;
        if (!sent && !file) throw new HttpError(404, "stack-file-not-found", `No stack file Pulumi.${name}.yaml: send the environment's config as the JSON body.`);
        return { name, config: sent ?? file!.config, region: file?.aws.region, source: sent ? "config" : file!.file };
    };
    const plan = (req: Request): Promise<PlanDocument> => {
        const { name, config, region, source } = target(req);
        return api.planEnvironment(name, config, { projectDir, region, source });
    };

    app.get("/", (_req, res) => res.sendFile(PAGE));
    app.get("/api/stack-files", (_req, res) => res.json({ stacks: listStacks(projectDir) }));
    app.get("/api/environments", async (_req, res) => res.json(await api.listEnvironments(automation)));
    app.get("/api/environments/:name/plan", async (req, res) => res.json(await plan(req)));
    app.post("/api/environments/:name/plan", async (req, res) => res.json(await plan(req)));
    app.get("/api/environments/:name/diagram.svg", async (req, res) => res.type("image/svg+xml").send(await renderSvg(await plan(req))));
    app.get("/api/environments/:name/outputs", async (req, res) => res.json(await api.environmentOutputs(String(req.params.name), automation)));

    for (const operation of OPERATIONS) {
        app.post(`/api/environments/:name/${operation}`, async (req, res) => {
            const name = String(req.params.name);
            const cancel = new AbortController();
            // Closing the page cancels a preview; a deploy or destroy goes on (stopping one halfway helps nobody).
            if (operation === "preview") {
                res.on("close", () => {
                    if (!res.writableEnded) cancel.abort();
                });
            }
            const common = { ...automation, signal: cancel.signal };
            await streamEvents(res, (onEvent, onOutput) => {
                if (operation === "refresh") return api.refreshEnvironment(name, { ...common, onEvent, onOutput });
                if (operation === "destroy") return api.destroyEnvironment(name, { ...common, onEvent, onOutput });
                const { config, region } = target(req);
                const run = operation === "preview" ? api.previewEnvironment : api.deployEnvironment;
                return run(name, config, { ...common, region, onEvent, onOutput });
            });
        });
    }

    app.use((error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
        const { status, body } = errorAnswer(error);
        res.status(status).json(body);
    });
    return app;
}

/**
 * Runs an operation, its progress as server-sent events (`progress`, `output`, then `result` or
 * `error`). The stream opens with the first event: a failure before it (an invalid config, no
 * CLI) is a plain JSON error with its HTTP status.
 */
async function streamEvents(res: Response, run: (onEvent: (e: api.OperationEvent) => void, onOutput: (text: string) => void) => Promise<unknown>): Promise<void> {
    let keepAlive: NodeJS.Timeout | undefined;
    const send = (event: string, data: unknown) => {
        if (!res.headersSent) {
            res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
            // Proxies close connections that stay silent; a deploy can be quiet for minutes.
            keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
        }
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
        send("result", await run((e) => send("progress", e), (text) => send("output", { text })));
    } catch (error) {
        const { status, body } = errorAnswer(error);
        if (!res.headersSent) res.status(status).json(body);
        else send("error", { status, ...body.error });
    } finally {
        clearInterval(keepAlive);
        if (res.headersSent && !res.writableEnded) res.end();
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

if (require.main === module) {
    const port = Number(process.env.PORT ?? 3000);
    const host = process.env.HOST ?? "127.0.0.1";
    createPortal().listen(port, host, () => console.log(`Portal on http://${host}:${port}/?env=dev`));
}
