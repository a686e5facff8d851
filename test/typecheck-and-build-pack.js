// npm test's first step: `npm run typecheck` (program, tools, tests and the pack's sources they import) and
// `npm run build:policies` (the pack's own checked build, which the tests launch) at once, one per core, instead of
// one after the other. Each prints its own errors; fails when either fails, once both have finished (nothing is
// left running to print after npm test has exited).
const { spawn } = require("child_process");

// The npm that runs `npm test`; plain `npm` when this file is run by hand.
const npmCli = process.env.npm_execpath;
const run = (script) => new Promise((resolve) => {
    const child = npmCli
        ? spawn(process.execPath, [npmCli, "run", script], { stdio: "inherit" })
        : spawn("npm", ["run", script], { stdio: "inherit", shell: true });
    child.on("error", (error) => {
        console.error(`npm run ${script}: ${error.message}`);
        resolve(1);
    });
    child.on("close", (code) => resolve(code));
});

Promise.all(["typecheck", "build:policies"].map(run)).then((codes) => {
    process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
});
