/**
 * Every policy of the pack, in the order the docs list them. index.ts serves this list; the docs generator
 * and the tests read it without starting the policy server.
 */
import { PackPolicy } from "../lib/pack-policy";
import { cloudrunConnectorInStack } from "./cloudrun-connector-in-stack";
import { cloudrunIdentityAndImageFromStack } from "./cloudrun-identity-and-image-from-stack";
import { cloudrunInvokerNotPublic } from "./cloudrun-invoker-not-public";
import { cloudrunSecretAccessorGrants } from "./cloudrun-secret-accessor-grants";
import { cloudrunSecretRefsResolve } from "./cloudrun-secret-refs-resolve";
import { cloudrunServiceEnv } from "./cloudrun-service-env";
import { cloudrunServiceIdentityAndIngress } from "./cloudrun-service-identity-and-ingress";
import { cloudrunServiceImageDigest } from "./cloudrun-service-image-digest";
import { cloudrunServiceLivenessProbe } from "./cloudrun-service-liveness-probe";
import { cloudrunServiceMonthlyCost } from "./cloudrun-service-monthly-cost";
import { cloudrunServiceRequestTimeout } from "./cloudrun-service-request-timeout";
import { cloudrunServiceRequiredSecretEnv } from "./cloudrun-service-required-secret-env";
import { cloudrunServiceResourceFloor } from "./cloudrun-service-resource-floor";
import { cloudrunServiceSecretVersionPinned } from "./cloudrun-service-secret-version-pinned";
import { cloudrunServiceStartupProbe } from "./cloudrun-service-startup-probe";
import { cloudrunServiceValidContainers } from "./cloudrun-service-valid-containers";
import { cloudrunServiceValidProbes } from "./cloudrun-service-valid-probes";
import { cloudrunServiceValidResources } from "./cloudrun-service-valid-resources";
import { cloudrunServiceValidScaling } from "./cloudrun-service-valid-scaling";
import { cloudrunServiceValidVpc } from "./cloudrun-service-valid-vpc";
import { cloudrunServiceVpcEgress } from "./cloudrun-service-vpc-egress";
import { vpcaccessConnectorCapacity } from "./vpcaccess-connector-capacity";
import { vpcaccessConnectorValid } from "./vpcaccess-connector-valid";

export const PACK_NAME = "cloud-run-guardrails";

export const ALL_POLICIES: readonly PackPolicy[] = [
    // Cloud Run's own rules: what it rejects, mandatory in every profile.
    cloudrunServiceValidResources,
    cloudrunServiceValidProbes,
    cloudrunServiceValidScaling,
    cloudrunServiceValidContainers,
    cloudrunServiceValidVpc,
    // Team requirements and hygiene; policy-config.generic.json relaxes the team requirements.
    cloudrunServiceResourceFloor,
    cloudrunServiceStartupProbe,
    cloudrunServiceLivenessProbe,
    cloudrunServiceRequestTimeout,
    cloudrunServiceEnv,
    cloudrunServiceRequiredSecretEnv,
    cloudrunServiceSecretVersionPinned,
    cloudrunServiceIdentityAndIngress,
    cloudrunInvokerNotPublic,
    cloudrunServiceImageDigest,
    cloudrunServiceVpcEgress,
    vpcaccessConnectorValid,
    vpcaccessConnectorCapacity,
    cloudrunSecretRefsResolve,
    cloudrunSecretAccessorGrants,
    cloudrunConnectorInStack,
    cloudrunIdentityAndImageFromStack,
    // Cost: an estimate to weigh in review (advisory), a budget a team may enforce.
    cloudrunServiceMonthlyCost,
];
