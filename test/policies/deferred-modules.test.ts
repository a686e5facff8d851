/**
 * The SDK's closure serializer loads only when something calls it (policies/lib/deferred-modules.ts). The pack
 * defers it before @pulumi/policy loads the SDK, and so does the offline check before the program loads it.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { CLOSURE_SERIALIZER_MODULES, deferClosureSerializer, deferModule } from "../../policies/lib/deferred-modules";
import { launchPolicyPack } from "../../tools/analyzer";

const ROOT = path.resolve(__dirname, "../..");
const POLICIES_DIR = path.join(ROOT, "policies");
const FIXTURES = path.join(ROOT, "test", "fixtures", "deferred-modules");

/** The files of a module that prove the real closure serializer loaded: npm's arborist (codePaths.js needs it) and createClosure.js. */
const SERIALIZER_LOADED = /@npmcli[\\/]arborist[\\/]|runtime[\\/]closure[\\/]createClosure\.js$/;

describe("deferred modules", function () {
    let dir: string;
    beforeEach(function () {
        dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "deferred-modules-")));
    });
    afterEach(function () {
        fs.rmSync(dir, { recursive: true, force: true });
        for (const file of Object.keys(require.cache).filter((f) => f.startsWith(dir))) {
            delete require.cache[file];
        }
    });

    /** A module that counts its loads in a global and exports two functions and a constant. */
    function writeModule(name: string): string {
        const file = path.join(dir, name);
        fs.writeFileSync(file, [
            `globalThis.__deferredLoads = (globalThis.__deferredLoads ?? 0) + 1;`,
            `Object.defineProperty(exports, "__esModule", { value: true });`,
            `exports.add = function (a, b) { return [this && this.tag, a + b]; };`,
            `exports.twice = (x) => 2 * x;`,
            `exports.LIMIT = 7;`,
        ].join("\n"));
        return file;
    }
    const loads = () => (globalThis as { __deferredLoads?: number }).__deferredLoads ?? 0;
    beforeEach(function () {
        (globalThis as { __deferredLoads?: number }).__deferredLoads = 0;
    });
    after(function () {
        delete (globalThis as { __deferredLoads?: number }).__deferredLoads;
    });

    it("loads the real module on the first call of a deferred function, once, passing arguments, this and the result", function () {
        const file = writeModule("calls.js");
        expect(deferModule(file, ["add", "twice"])).to.equal(true);
        const standIn = require(file) as { add: (this: unknown, a: number, b: number) => [unknown, number]; twice: (x: number) => number };
        const add = standIn.add;
        expect(loads()).to.equal(0);
        expect(add.call({ tag: "caller" }, 2, 3)).to.deep.equal(["caller", 5]);
        expect(standIn.twice(4)).to.equal(8);
        expect(loads()).to.equal(1);
        // Once loaded, require gives the real module.
        expect((require(file) as { LIMIT: number }).LIMIT).to.equal(7);
        expect(loads()).to.equal(1);
    });

    it("loads the real module when any other member is read, and is used as it is by TypeScript's import interop", function () {
        const file = writeModule("members.js");
        expect(deferModule(file, ["add"])).to.equal(true);
        const standIn = require(file) as Record<string, unknown>;
        expect(standIn.__esModule).to.equal(true);
        expect(loads()).to.equal(0);
        expect(standIn.LIMIT).to.equal(7);
        expect(loads()).to.equal(1);
        expect(Object.keys(standIn)).to.have.members(["add", "twice", "LIMIT"]);
    });

    it("defers nothing when the file is missing or already loaded, or the SDK is laid out otherwise", function () {
        expect(deferModule(path.join(dir, "missing.js"), ["add"])).to.equal(false);
        const file = writeModule("loaded.js");
        require(file);
        expect(deferModule(file, ["add"])).to.equal(false);
        expect(loads()).to.equal(1);
        // An SDK without the serializer's files where this one has them.
        const sdk = path.join(dir, "node_modules", "@pulumi", "pulumi");
        fs.mkdirSync(sdk, { recursive: true });
        fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@pulumi/pulumi", version: "9.0.0" }));
        expect(deferClosureSerializer(dir)).to.deep.equal([]);
    });

    it("throws a named error when the real module no longer has a deferred function, and passes writes on to it", function () {
        const file = writeModule("changed.js");
        expect(deferModule(file, ["add", "removed"])).to.equal(true);
        const standIn = require(file) as Record<string, unknown>;
        expect((standIn.add as { name: string }).name).to.equal("add"); // for stack traces
        expect(() => (standIn.removed as () => unknown)()).to.throw(/no longer exports a function removed/);
        standIn.twice = () => "replaced";
        expect((require(file) as { twice: () => string }).twice()).to.equal("replaced");
    });

    for (const [sdk, from] of [["the program's SDK", ROOT], ["the pack's SDK", POLICIES_DIR]]) {
        it(`in ${sdk}: leaves the serializer unloaded with the SDK, serializes a function when asked, and names every function the serializer's modules export`, async function () {
            this.timeout(60_000);
            const { stdout } = await promisify(execFile)(process.execPath, ["--require", "tsx/cjs", path.join(FIXTURES, "serialize-function.ts"), from], { cwd: ROOT });
            const result = JSON.parse(stdout) as {
                deferred: number; loadedAfterDefer: boolean; loadedWithSdk: boolean; text: string; loadedAfterCall: boolean; exports: Record<string, string[]>;
            };
            expect(result).to.include({ deferred: 2, loadedAfterDefer: false, loadedWithSdk: false, loadedAfterCall: true });
            expect(result.text).to.include("answer: 42");
            expect(result.exports).to.deep.equal(Object.fromEntries(Object.entries(CLOSURE_SERIALIZER_MODULES)
                .map(([relative, functionNames]) => [relative, functionNames.map((name) => `${name}: function`)])));
        });
    }

    it("the pack starts without the closure serializer, launched as the engine launches it, and then answers", async function () {
        this.timeout(60_000);
        const record = path.join(dir, "loaded.json");
        const pack = await launchPolicyPack(POLICIES_DIR, {
            env: { NODE_OPTIONS: `--require ${path.join(FIXTURES, "record-loaded-modules.js")}`, LOADED_MODULES_RECORD: record },
        });
        try {
            const loaded = JSON.parse(fs.readFileSync(record, "utf8")) as string[];
            expect(loaded.filter((file) => /@pulumi[\\/]pulumi[\\/]runtime[\\/]index\.js$/.test(file)), "the SDK's runtime loaded").to.have.length(1);
            expect(loaded.filter((file) => SERIALIZER_LOADED.test(file))).to.deep.equal([]);
            const diagnostics = await pack.client.analyzeStack([]);
            expect(diagnostics).to.deep.equal([]);
        } finally {
            await pack.close();
        }
    });
});
