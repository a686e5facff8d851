/**
 * VPC settings Cloud Run rejects: a connector together with Direct VPC egress (networkInterfaces), more than
 * one network interface, and an egress value it does not know.
 */
import { CLOUD_RUN_DOCS, VPC_EGRESS_VALUES } from "../lib/cloud-run-limits";
import { Finding, needsKnown, problem } from "../lib/findings";
import { PackResourcePolicy } from "../lib/pack-policy";
import { PropNode, asList, asString, isAbsent, isUnknown, zeroAsAbsent } from "../lib/props";
import { ALL_WORKLOADS, validateWorkloads } from "../lib/validation";
import { WorkloadView } from "../lib/workload";

function vpcFindings(view: WorkloadView): Finding[] {
    if (isUnknown(view.vpcAccess)) {
        return [needsKnown(view.vpcAccess)];
    }
    const connector = zeroAsAbsent(view.vpcConnector);
    const interfaces = zeroAsAbsent(view.vpcNetworkInterfaces);
    const findings: Finding[] = [];
    const interfaceCount = countInterfaces(view, interfaces);
    if (interfaceCount === "unknown") {
        findings.push(needsKnown(interfaces));
    } else if (interfaceCount !== undefined && interfaceCount > 1) {
        findings.push(problem(`${view.generation === "v1" ? "the network-interfaces annotation" : `${view.fields.vpc}.networkInterfaces`} has ${interfaceCount} interfaces; Cloud Run takes one`, interfaces));
    }
    // Both set is decided even when the values are not known yet: each will be a value.
    if (!isAbsent(connector) && !isAbsent(interfaces)) {
        findings.push(problem(`${view.fields.vpc} sets both a connector and networkInterfaces (Direct VPC egress); Cloud Run takes one or the other`, view.vpcAccess));
    }
    const egress = zeroAsAbsent(view.vpcEgress);
    if (view.generation === "v2" && isUnknown(egress)) {
        findings.push(needsKnown(egress));
    } else if (view.generation === "v2" && !isAbsent(egress) && !(VPC_EGRESS_VALUES as readonly unknown[]).includes(asString(egress))) {
        findings.push(problem(`${view.fields.vpc}.egress is not one of ${VPC_EGRESS_VALUES.join(", ")}`, egress));
    }
    return findings;
}

/** How many network interfaces: v2 lists them, v1 carries a JSON list in an annotation. */
function countInterfaces(view: WorkloadView, interfaces: PropNode): number | "unknown" | undefined {
    if (isUnknown(interfaces)) {
        return "unknown";
    }
    if (view.generation === "v2") {
        return asList(interfaces)?.length;
    }
    const text = asString(interfaces);
    if (text === undefined) {
        return undefined;
    }
    try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed.length : undefined;
    } catch {
        return undefined;
    }
}

export const cloudrunServiceValidVpc: PackResourcePolicy = {
    name: "cloudrun-service-valid-vpc",
    description:
        "Stops VPC settings Cloud Run rejects: a connector together with Direct VPC egress, more than one network interface, or an unknown egress value. " +
        "Use either a connector or one network interface.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Set either vpcAccess.connector or vpcAccess.networkInterfaces (one interface: { network, subnetwork }), not both; " +
        `egress is one of ${VPC_EGRESS_VALUES.join(", ")}.`,
    url: CLOUD_RUN_DOCS.directVpc,
    validateResource: validateWorkloads(ALL_WORKLOADS, vpcFindings),
};
