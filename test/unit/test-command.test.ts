import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

describe("the test command itself", () => {
    it("fails when no test ran (incident: a run that collected 0 tests was reported green)", function () {
        this.timeout(60_000);
        const dir = fs.mkdtempSync(path.join(ROOT, "test", ".empty-"));
        try {
            fs.writeFileSync(path.join(dir, "nothing.test.ts"), 'describe("nothing here", () => {});\n');
            // The repo's own mocha settings, with the spec narrowed to a file that holds no test.
            const settings = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"));
            fs.writeFileSync(path.join(dir, "mocharc.json"), JSON.stringify({ ...settings, spec: [path.join(dir, "nothing.test.ts")] }));
            const run = spawnSync(process.execPath, [require.resolve("mocha/bin/mocha.js"), "--config", path.join(dir, "mocharc.json")], {
                cwd: ROOT, encoding: "utf8", timeout: 50_000,
            });
            expect(run.status, run.stdout + run.stderr).to.not.equal(0);
            expect(run.stdout + run.stderr).to.match(/0 passing|fail-zero|No test/i);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("npm test is what CI runs", () => {
        const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
        expect(ci).to.match(/^npm ci\b/m);
        expect(ci).to.match(/^npm test$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        expect(pkg.scripts.test).to.include("mocha");
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8"))["fail-zero"]).to.equal(true);
    });
});
