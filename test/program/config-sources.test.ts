/**
 * The staging program records which stack config key set each field it declares (infra/config-sources.ts), so the
 * offline check can name the key instead of the resource field (issue 11, problem 1). Every recorded key must be a
 * key the config schema declares, or the check would point users at keys that do not exist.
 */
import { expect } from "chai";
import { configReferenceRows } from "../../infra/config-reference";
import { clearConfigSources, configKeyFor, recordedConfigSources } from "../../infra/config-sources";
import { NS, runStaging, stagingConfig } from "../helpers/program-harness";

describe("config sources recorded by the staging program", function () {
    let sources: Map<string, Record<string, string>>;

    before(async function () {
        clearConfigSources();
        const run = await runStaging({ preview: true });
        expect(run.error).to.equal(undefined);
        sources = new Map(recordedConfigSources());
    });

    it("maps the service's limits, timeout, scaling and image to their keys", function () {
        const service = [...sources].find(([urn]) => urn.endsWith("gcp:cloudrunv2/service:Service::backend"))?.[1];
        expect(configKeyFor(service, "template.containers[0].resources.limits.cpu")).to.equal(`${NS}:service.resources.cpu`);
        expect(configKeyFor(service, "template.timeout")).to.equal(`${NS}:service.requestTimeoutSeconds`);
        expect(configKeyFor(service, "template.scaling.maxInstanceCount")).to.equal(`${NS}:service.scaling.maxInstances`);
        expect(configKeyFor(service, "template.containers[0].image")).to.equal(`${NS}:image`);
        // A nested field falls back to the nearest recorded ancestor.
        expect(configKeyFor(service, "template.containers[0].startupProbe.failureThreshold")).to.equal(`${NS}:service.startupBudgetSeconds`);
        const envNames = Object.keys(JSON.parse(stagingConfig().values[`${NS}:service`]).env);
        expect(configKeyFor(service, "template.containers[0].envs[0]")).to.equal(`${NS}:service.env.${envNames[0]}`);
    });

    it("records only keys the stack config schema declares", function () {
        const declared = new Set(configReferenceRows(NS).map((r) => r.key));
        const recorded = [...sources.values()].flatMap((s) => Object.values(s));
        expect(recorded.length).to.be.greaterThan(20);
        const unknown = recorded.filter((key) => {
            const general = key.replace(/\[\d+\]$/, "").replace(new RegExp(`^(${NS}:secrets)\\.[A-Z0-9_]+`), "$1.<NAME>");
            // service.env is a map of plain values: its entries are named by the user, not by the schema.
            const envEntry = general.startsWith(`${NS}:service.env.`) && declared.has(`${NS}:service.env`);
            return !declared.has(general) && !envEntry;
        });
        expect(unknown).to.deep.equal([]);
    });
});
