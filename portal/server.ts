import "./startFast";
import * as fs from "node:fs";
import * as path from "node:path";
import express, { NextFunction, Request, Response } from "express";
import type { PlanDocument } from "../plan/plan";
import { listStacks } from "../stacks/stackConfig";
import { renderSvg } from "../plan/svg";
import * as api from "../stacks/automation";
import { AccessConfig, EnvironmentKind, LOCAL_ACCESS, PortalOperation, authorise, remoteSourceOf, roleOf } from "./access";
import type { AuditStore, AuditEntry } from "./audit";
import type { Authenticator, Principal } from "./auth";
import { HttpError, errorAnswer } from "./httpErrors";
import { API_HEADERS, hostGuard, pageHeaders, writeGuard } from "./requestGuards";

/**
 * An example portal over the Automation API: the offline plan of an environment (JSON, diagram,
 * and a page with its cost and controls), preview, deploy, refresh and destroy streamed as
 * server-sent events, outputs and the audit log. Every API call needs a bearer token (auth.ts);
 * what it may do comes from the access file (access.ts). Start it with `npm run portal` (cli.ts).
 */

export interface PortalOptions extends api.WorkspaceOptions {
    /** Who is calling: OIDC tokens, the local token, or (explicitly) nobody. */
    auth: Authenticator;
    /**
     * Roles, protected environments, allowed hosts and origins.
     * @default local mode: the one user is an admin; only loopback hosts
     */
    access?: AccessConfig;
    /** Where every operation is recorded. @default none (the history answers 503) */
    audit?: AuditStore;
    /** Operations that may wait per environment; one more answers 429. @default 8 */
    maxWaiting?: number;
    /** The CrossGuard pack every preview and deploy runs. @default the project's policy/ */
    policyPack?: string;
}

export const DEFAULT_MAX_WAITING = 8;
/** The largest body read: a config or overrides are a few kB. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const PAGE_HTML = fs.readFileSync(path.join(__dirname, "page.html"), "utf8");
const OPERATIONS = ["preview", "deploy", "refresh", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

/** The portal's Express app. */
export function createPortal(options: PortalOptions): express.Express {
    const projectDir = path.resolve(options.projectDir ?? process.cwd());
    const access = options.access ?? LOCAL_ACCESS;
    const { auth, audit, access: _access, maxWaiting = DEFAULT_MAX_WAITING, policyPack, ...workspace } = options;
    const automation: api.WorkspaceOptions = { ...workspace, projectDir };
    const page = pageHeaders(PAGE_HTML);
    const app = express();
    app.disable("x-powered-by");
    // Behind a proxy, req.ip is the proxy's: the audit log records X-Forwarded-For only when told to trust it.
    app.set("trust proxy", "loopback");

    app.use((_req, res, next) => {
        res.set(API_HEADERS);
        next();
    });
    app.use(hostGuard(access));
    app.use(writeGuard(access));
    // An operation's turn is taken when its request arrives, before its body is read and its token
    // verified (both asynchronous): the Automation API then queues operations in arrival order.
    const arrivals = new api.KeyedLock();
    app.use("/api/environments/:name/:operation", (req, res, next) => {
        if (req.method !== "POST" || !(OPERATIONS as readonly string[]).includes(String(req.params.operation))) return next();
        let release!: () => void;
        const done = new Promise<void>((resolve) => (release = resolve));
        res.locals.turn = new Promise<void>((myTurn) => {
            void arrivals.run(String(req.params.name), () => (myTurn(), done));
        });
        res.locals.releaseTurn = release;
        // Whatever happens to the request (refused, failed, left), the next one gets its turn.
        res.on("close", release);
        next();
    });
    app.use(express.json({ limit: BODY_LIMIT_BYTES, type: "application/json" }));

    app.get("/", (_req, res) => res.set(page).type("html").send(PAGE_HTML));

    const principalOf = (res: Response): Principal => res.locals.principal as Principal;
    app.use("/api", async (req, res, next) => {
        try {
            res.locals.principal = await auth.authenticate(req.headers.authorization);
            next();
        } catch (error) {
            next(error);
        }
    });

    /** The environment as access sees it: protected (listed, or a prod stack file), ephemeral (no stack file). */
    const kindOf = (name: string): EnvironmentKind => {
        api.checkEnvironmentName(name);
        const stackFile = listStacks(projectDir).includes(name) ? api.readStackFileEnvironment(projectDir, name) : undefined;
        return { name, protected: access.protectedEnvironments.includes(name) || stackFile?.config.preset === "prod", ephemeral: !stackFile };
    };
    const allow = (req: Request, res: Response, operation: PortalOperation): EnvironmentKind => {
        const kind = kindOf(String(req.params.name));
        authorise(access, principalOf(res), kind, operation);
        return kind;
    };

    /**
     * The config a plan shows: what a deploy of the same request would deploy. A stack file's, or
     * for another name the ephemeral template with the body's overrides applied, exactly as
     * `start` applies them, so a plan never shows an environment the deploy would not create.
     */
    const planTarget = (req: Request, kind: EnvironmentKind) => {
        const sent = bodyOf(req);
        if (!kind.ephemeral) {
            refuseBody(kind.name, sent, []);
            const file = api.readStackFileEnvironment(projectDir, kind.name);
            return { config: file.config, region: file.aws.region, source: file.file };
        }
        const template = api.ephemeralEnvironmentConfig(projectDir);
        return { config: api.applyEphemeralOverrides(template.config, sent), region: template.aws.region, source: `Pulumi.${api.EPHEMERAL_TEMPLATE}.yaml` };
    };
    const plan = (req: Request, res: Response): Promise<PlanDocument> => {
        const kind = allow(req, res, "plan");
        const { config, region, source } = planTarget(req, kind);
        return api.planEnvironment(kind.name, config, { projectDir, region, source });
    };

    app.get("/api/session", (_req, res) => {
        const principal = principalOf(res);
        res.json({ subject: principal.subject, mode: principal.via, role: roleOf(access, principal) ?? null, groups: principal.groups });
    });
    app.get("/api/stack-files", (_req, res) => {
        if (!roleOf(access, principalOf(res))) throw new HttpError(403, "forbidden", "No group of this token gives a role: ask for the viewer role.");
        res.json({ stacks: listStacks(projectDir) });
    });
    app.get("/api/environments", async (_req, res) => {
        if (!roleOf(access, principalOf(res))) throw new HttpError(403, "forbidden", "No group of this token gives a role: ask for the viewer role.");
        res.json(await api.listEnvironments(automation));
    });
    app.get("/api/environments/:name/plan", async (req, res) => res.json(await plan(req, res)));
    app.post("/api/environments/:name/plan", async (req, res) => res.json(await plan(req, res)));
    app.get("/api/environments/:name/diagram.svg", async (req, res) => {
        const kind = allow(req, res, "diagram");
        const { config, region, source } = planTarget(req, kind);
        res.type("image/svg+xml").send(await renderSvg(await api.planEnvironment(kind.name, config, { projectDir, region, source })));
    });
    app.get("/api/environments/:name/outputs", async (req, res) => {
        const kind = allow(req, res, "outputs");
        res.json(await api.environmentOutputs(kind.name, automation));
    });
    app.get("/api/environments/:name/history", async (req, res) => {
        const kind = allow(req, res, "history");
        if (!audit) throw new HttpError(503, "audit-unavailable", "This portal keeps no audit log: start it with an audit store.");
        const limit = Math.max(1, Math.min(Math.trunc(Number(req.query.limit ?? 50)) || 50, 500));
        res.json({ environment: kind.name, entries: await audit.query({ environment: kind.name, limit }) });
    });

    for (const operation of OPERATIONS) {
        app.post(`/api/environments/:name/${operation}`, async (req, res) => {
            const started = Date.now();
            const principal = principalOf(res);
            const name = String(req.params.name);
            const record = (result: AuditEntry["result"], status: number, detail?: string) =>
                audit
                    ?.record({ at: new Date(started).toISOString(), subject: principal.subject, via: principal.via, environment: name, operation, from: req.ip ?? "", result, status, durationMs: Date.now() - started, ...(detail ? { detail } : {}) })
                    .catch((error) => console.error(`audit: ${(error as Error).message}`));
            let kind: EnvironmentKind;
            try {
                kind = allow(req, res, operation);
            } catch (error) {
                const { status, body } = errorAnswer(error);
                await record("refused", status, body.error.code);
                throw error;
            }
            // The caller leaving stops what has not started; a preview stops even when running
            // (a deploy or destroy goes on: stopping one halfway helps nobody).
            const leave = new AbortController();
            res.on("close", () => {
                if (!res.writableEnded) leave.abort(new Error("the caller disconnected"));
            });
            const common: api.OperationOptions = { ...automation, queueSignal: leave.signal, maxWaiting, ...(operation === "preview" ? { signal: leave.signal } : {}) };
            await (res.locals.turn as Promise<void>);
            // streamEvents calls start() before its first await: the operation is queued when it returns.
            const streamed = streamEvents(res, (onEvent, onOutput) => start(kind, operation, bodyOf(req), { ...common, onEvent, onOutput }));
            (res.locals.releaseTurn as () => void)();
            const outcome = await streamed;
            await record(outcome.result, outcome.status, outcome.code);
        });
    }

    /** Starts the operation synchronously (its place in the queue is taken now), from the stack file or the template. */
    function start(kind: EnvironmentKind, operation: Operation, body: Record<string, unknown>, given: api.OperationOptions): Promise<unknown> {
        const { name } = kind;
        // An environment of remoteEnvironments runs on Pulumi Deployments, the others here.
        const remote = remoteSourceOf(access, name);
        const options: api.OperationOptions = remote ? { ...given, workspaces: api.remoteWorkspaces(remote) } : given;
        if (operation === "destroy") {
            refuseBody(name, body, ["confirm"]);
            if (kind.protected && body.confirm !== name) throw new api.ConfirmationRequiredError(name, body.confirm);
            const confirm = typeof body.confirm === "string" ? body.confirm : undefined;
            return kind.ephemeral ? api.destroyEphemeralEnvironment(name, options) : api.destroyEnvironment(name, { ...options, confirm });
        }
        if (operation === "refresh") {
            refuseBody(name, body, []);
            return api.refreshEnvironment(name, options);
        }
        const configOptions: api.ConfigOperationOptions = { ...options, ...(policyPack ? { policyPack } : {}) };
        if (kind.ephemeral) {
            const template = api.ephemeralEnvironmentConfig(projectDir);
            const config = api.applyEphemeralOverrides(template.config, body);
            const run = operation === "preview" ? api.previewEnvironment : api.deployEnvironment;
            return run(name, config, { ...configOptions, region: template.aws.region, profile: automation.profile ?? template.aws.profile });
        }
        // A stack file is the truth: the body cannot change what is deployed.
        refuseBody(name, body, []);
        const file = api.readStackFileEnvironment(projectDir, name);
        const run = operation === "preview" ? api.previewEnvironment : api.deployEnvironment;
        return run(name, file.config, { ...configOptions, region: file.aws.region, profile: automation.profile ?? file.aws.profile });
    }

    app.use("/api", (_req, _res, next) => next(new HttpError(404, "not-found", "No such API route.")));
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
        const { status, headers, body } = errorAnswer(error);
        if (status === 401) res.set("WWW-Authenticate", 'Bearer realm="portal"');
        res.status(status).set(headers).json(body);
    });
    return app;
}

/** The request's JSON body as an object ({} when there is none). */
function bodyOf(req: Request): Record<string, unknown> {
    const body: unknown = req.body;
    if (body === undefined || body === null) return {};
    if (typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "bad-request", "The request body must be a JSON object.");
    return body as Record<string, unknown>;
}

/** A stack file's environment takes nothing from the body but the keys listed. */
function refuseBody(name: string, body: Record<string, unknown>, allowed: string[]): void {
    const extra = Object.keys(body).filter((key) => !allowed.includes(key));
    if (extra.length > 0) {
        throw new HttpError(
            400,
            "stack-file-is-the-truth",
            `${name} is deployed from its stack file Pulumi.${name}.yaml, never from a request: remove ${extra.map((key) => JSON.stringify(key)).join(", ")} from the body${allowed.length ? ` (allowed: ${allowed.join(", ")})` : " (send {})"}, and change the stack file through review instead.`,
        );
    }
}

interface StreamOutcome {
    result: AuditEntry["result"];
    status: number;
    code?: string;
}

/**
 * Runs an operation, its progress as server-sent events (`progress`, `output`, then `result` or
 * `error`). The stream opens with the first event: a failure before it (an invalid config, no
 * CLI, a full queue) is a plain JSON error with its HTTP status.
 */
async function streamEvents(res: Response, run: (onEvent: (e: api.OperationEvent) => void, onOutput: (text: string) => void) => Promise<unknown>): Promise<StreamOutcome> {
    let keepAlive: NodeJS.Timeout | undefined;
    const send = (event: string, data: unknown) => {
        if (res.writableEnded || res.destroyed) return;
        if (!res.headersSent) {
            res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
            // Proxies close connections that stay silent; a deploy can be quiet for minutes.
            keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
        }
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
        send("result", await run((e) => send("progress", e), (text) => send("output", { text })));
        return { result: "succeeded", status: 200 };
    } catch (error) {
        const { status, headers, body } = errorAnswer(error);
        if (!res.headersSent) res.status(status).set(headers).json(body);
        else send("error", { status, ...body.error });
        return { result: body.error.code === "cancelled" ? "cancelled" : status < 500 && status !== 409 && status !== 429 ? "refused" : "failed", status, code: body.error.code };
    } finally {
        clearInterval(keepAlive);
        if (res.headersSent && !res.writableEnded) res.end();
    }
}
