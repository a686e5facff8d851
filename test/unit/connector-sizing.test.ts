/** The connector requirements and arithmetic the pack and the stack config share (policies/lib/connector-sizing.ts). */
import { expect } from "chai";
import { CONNECTOR_THROUGHPUT_MBPS, connectorInstanceMbps } from "../../policies/lib/cloud-run-limits";
import {
    STAGING_CONNECTOR_REQUIREMENTS, TEAM_MBPS_PER_CLOUD_RUN_INSTANCE, connectorCapacity, connectorFloorProblems, countText,
} from "../../policies/lib/connector-sizing";

describe("connector sizing", () => {
    it("derives each machine type's per-instance Mbps from Google's 2..10-instance range, and the ratio from the team budget", () => {
        for (const [type, range] of Object.entries(CONNECTOR_THROUGHPUT_MBPS)) {
            expect(connectorInstanceMbps(type)! * 2, type).to.equal(range.min);
            expect(connectorInstanceMbps(type)! * 10, type).to.equal(range.max);
            expect(STAGING_CONNECTOR_REQUIREMENTS.cloudRunInstancesPerConnectorInstance[type], type).to.equal(connectorInstanceMbps(type)! / TEAM_MBPS_PER_CLOUD_RUN_INSTANCE);
        }
        expect(STAGING_CONNECTOR_REQUIREMENTS.cloudRunInstancesPerConnectorInstance).to.deep.equal({ "e2-micro": 1, "f1-micro": 0.5, "e2-standard-4": 16 });
        expect(connectorInstanceMbps("n1-standard-1")).to.equal(undefined);
    });

    it("accepts the staging connector and flags each floor it misses, by the form the size was given in", () => {
        const req = STAGING_CONNECTOR_REQUIREMENTS;
        expect(connectorFloorProblems({ machineType: "e2-standard-4", minInstances: 2, maxInstances: 6 }, req)).to.deep.equal([]);
        expect(connectorFloorProblems({ machineType: "f1-micro", minInstances: 2, maxInstances: 3 }, req).map((p) => p.field)).to.deep.equal(["machineType", "maxInstances"]);
        expect(connectorFloorProblems({ machineType: "f1-micro" }, req)[0].message).to.contain("an f1-micro connector carries about 100-500 Mbps");
        // Instances take precedence over throughput; throughput alone is judged against the throughput floor.
        expect(connectorFloorProblems({ maxInstances: 4, maxThroughput: 300 }, req)).to.deep.equal([]);
        expect(connectorFloorProblems({ minThroughput: 200, maxThroughput: 300 }, req).map((p) => p.fix)).to.deep.equal(["set maxThroughput to at least 400"]);
        // A machine type the API does not know is vpcaccess-connector-valid's finding.
        expect(connectorFloorProblems({ machineType: "n1-standard-1" }, req)).to.deep.equal([]);
    });

    it("computes the capacity from the largest size, in either form, and needs a known machine type", () => {
        const req = STAGING_CONNECTOR_REQUIREMENTS;
        expect(connectorCapacity({ machineType: "e2-standard-4", maxInstances: 6 }, req)?.cloudRunInstances).to.equal(96);
        expect(connectorCapacity({ machineType: "e2-micro", maxThroughput: 800 }, req)).to.include({ maxInstances: 8, cloudRunInstances: 8 });
        expect(connectorCapacity({ machineType: "f1-micro", maxInstances: 3 }, req)?.cloudRunInstances).to.equal(1.5);
        expect(connectorCapacity({ maxInstances: 6 }, req)).to.equal(undefined);
        expect(connectorCapacity({ machineType: "e2-micro" }, req)).to.equal(undefined);
        expect([countText(1.5), countText(16), countText(0.25)]).to.deep.equal(["1.5", "16", "0.25"]);
    });
});
