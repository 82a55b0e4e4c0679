// Copies files tsc does not emit (the portal's page) from the repository into the package's dist/,
// at the same relative path as the compiled code that reads them (`path.join(__dirname, ...)`).
const fs = require("node:fs");
const path = require("node:path");

for (const file of process.argv.slice(2)) {
    const target = path.join("dist", file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join("..", "..", file), target);
}
