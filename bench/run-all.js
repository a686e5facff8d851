// `npm run bench`: every benchmark, one after another (never at once: each measures against a floor on a quiet
// machine), all of them even when one is over its limit; exits 1 when any was, naming which.
const { spawnSync } = require("child_process");

const BENCHMARKS = ["bench:policy", "bench:check", "bench:program", "bench:stack"];
const npmCli = process.env.npm_execpath;

const failed = BENCHMARKS.filter((script) => {
    const run = npmCli
        ? spawnSync(process.execPath, [npmCli, "run", script], { stdio: "inherit" })
        : spawnSync("npm", ["run", script], { stdio: "inherit", shell: true });
    return run.status !== 0;
});
if (failed.length > 0) {
    console.error(`over a limit or failed: ${failed.join(", ")}`);
}
process.exitCode = failed.length > 0 ? 1 : 0;
