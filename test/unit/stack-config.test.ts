import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECURE_PLACEHOLDER, StackFileError, readStackConfig, stackArgument, toConfigMap } from "../../tools/stack-config";

describe("stack config reader (Pulumi.yaml + Pulumi.<stack>.yaml)", () => {
    it("namespaces keys, keeps scalars as text and objects as JSON", () => {
        const map = toConfigMap("proj", "s", {}, { "gcp:region": "europe-west1", "proj:port": 8000, size: { cpu: "2" } });
        expect(map.values).to.deep.equal({ "gcp:region": "europe-west1", "proj:port": "8000", "proj:size": '{"cpu":"2"}' });
    });

    it("applies project defaults unless the stack sets the key", () => {
        const map = toConfigMap("proj", "s", { secrets: { description: "d", default: {} }, env: { default: { A: "1" } } }, { "proj:env": { B: "2" } });
        expect(map.values).to.deep.equal({ "proj:secrets": "{}", "proj:env": '{"B":"2"}' });
    });

    it("turns secure values into placeholders and reports the key as secret, never the ciphertext", () => {
        const map = toConfigMap("proj", "s", {}, { "proj:db": { password: { secure: "AAABAxyz" } }, "proj:token": { secure: "AAABAabc" } });
        expect(map.secretKeys).to.have.members(["proj:db", "proj:token"]);
        expect(JSON.stringify(map.values)).to.not.include("AAABA");
        expect(map.values["proj:token"]).to.equal(SECURE_PLACEHOLDER);
    });

    it("names each secure value's exact key path, as `pulumi config --path` writes it", () => {
        const map = toConfigMap("proj", "s", {}, {
            "proj:db": { password: { secure: "AAABAxyz" } }, "proj:token": { secure: "AAABAabc" },
            "proj:list": ["plain", { secure: "AAABAdef" }], "proj:labels": { "a.b": { secure: "AAABAghi" } }, "proj:plain": { a: 1 },
        });
        expect(map.securePaths).to.deep.equal(["proj:db.password", "proj:token", "proj:list[1]", 'proj:labels["a.b"]']);
        expect(map.secretKeys).to.deep.equal(["proj:db", "proj:token", "proj:list", "proj:labels"]);
    });

    it("takes a stack as a name or as the path of a Pulumi.<name>.yaml file anywhere", () => {
        expect(stackArgument("/proj", "staging")).to.deep.equal({ stack: "staging", file: path.join("/proj", "Pulumi.staging.yaml") });
        expect(stackArgument("/proj", "/tmp/x/Pulumi.test-cpu1.yaml")).to.deep.equal({ stack: "test-cpu1", file: "/tmp/x/Pulumi.test-cpu1.yaml" });
        expect(stackArgument("/proj", "Pulumi.dev.yaml")).to.deep.equal({ stack: "dev", file: path.resolve("Pulumi.dev.yaml") });
    });

    it("names the missing stack file and the stacks that exist", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proj-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
            expect(() => readStackConfig(dir, "prod")).to.throw(StackFileError, "stacks here: dev");
            fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config: [unclosed\n");
            expect(() => readStackConfig(dir, "bad")).to.throw(StackFileError, "not valid YAML");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
