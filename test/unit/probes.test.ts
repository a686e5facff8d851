import { expect } from "chai";
import { startupProbeBoundProblems, startupWindowSeconds } from "../../policies/lib/cloud-run-limits";
import { startupTimingFor } from "../../infra/probes";

describe("startup probe derived from the startup budget", () => {
    for (const budget of [1, 30, 239, 240, 241, 300, 420, 480]) {
        it(`a ${budget}s budget: window covers it, within Cloud Run's bounds`, () => {
            const timing = startupTimingFor(budget);
            expect(startupProbeBoundProblems(timing)).to.deep.equal([]);
            expect(startupWindowSeconds(timing)).to.be.at.least(budget);
            expect(timing.failureThreshold).to.be.at.least(2);
            // No more initial delay than needed: a fast start is noticed quickly.
            expect(timing.initialDelaySeconds).to.equal(Math.max(0, budget - 240));
        });
    }

    it("refuses budgets no probe can cover", () => {
        expect(() => startupTimingFor(481)).to.throw(RangeError, "outside 1 to 480s");
        expect(() => startupTimingFor(0)).to.throw(RangeError);
    });
});
