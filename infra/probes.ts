/**
 * Derives the revision's probes from the declared startup budget, inside Cloud Run's probe bounds
 * (policies/lib/cloud-run-limits.ts). Incident: the default TCP probe (240 s × 1) never saw a 7-phase startup
 * finish; the proposed fix (timeout 480 s with period 240 s) would itself be rejected by Cloud Run.
 */
import { MAX_STARTUP_BUDGET_SECONDS, ProbeTiming, startupProbeBoundProblems, startupTimingCovering } from "../policies/lib/cloud-run-limits";

/** Probe every 10 s: a ready app is noticed within 10 s, and 24 attempts fill the 240 s window. */
export const STARTUP_PERIOD_SECONDS = 10;
/** Each HTTP attempt may take 5 s (at most the period). */
export const PROBE_TIMEOUT_SECONDS = 5;
/** Liveness: restart after 3 failed checks 30 s apart. */
export const LIVENESS = { periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 } as const;

/**
 * The startup probe timing whose window (initialDelay + failureThreshold × period) covers `budgetSeconds`:
 * the whole budget inside the 240 s failure window when it fits, otherwise the rest as initial delay.
 */
export function startupTimingFor(budgetSeconds: number): Required<ProbeTiming> {
    if (!Number.isInteger(budgetSeconds) || budgetSeconds < 1 || budgetSeconds > MAX_STARTUP_BUDGET_SECONDS) {
        throw new RangeError(`startup budget ${budgetSeconds}s is outside 1 to ${MAX_STARTUP_BUDGET_SECONDS}s`);
    }
    // At least 2 attempts, so one slow response is not fatal.
    const timing = startupTimingCovering(budgetSeconds, {
        periodSeconds: STARTUP_PERIOD_SECONDS, timeoutSeconds: PROBE_TIMEOUT_SECONDS, minFailureThreshold: 2,
    });
    const problems = startupProbeBoundProblems(timing);
    if (problems.length > 0) {
        // Unreachable for budgets within MAX_STARTUP_BUDGET_SECONDS; guards the derivation itself.
        throw new Error(`derived startup probe breaks Cloud Run's bounds: ${problems.join("; ")}`);
    }
    return timing;
}
