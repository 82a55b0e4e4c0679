// The sample service the dev stack builds: answers on 8080, reports health, stops on SIGTERM.
const http = require("node:http");

const server = http.createServer((req, res) => {
    if (req.url === "/health") {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
        return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ service: "api", version: process.env.APP_VERSION ?? "dev" }) + "\n");
});

server.listen(8080);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
