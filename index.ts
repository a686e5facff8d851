// Entry point of the Pulumi program (Pulumi.yaml `main`). Stack outputs are this module's exports.
import { stagingProgram } from "./infra/staging";

const staging = stagingProgram({ projectDir: __dirname });

export const serviceUrl = staging.serviceUrl;
export const serviceName = staging.serviceName;
export const latestRevision = staging.latestRevision;
export const runtimeServiceAccount = staging.runtimeServiceAccount;
export const secretNames = staging.secretNames;
export const connectorId = staging.connectorId;
export const imageDigest = staging.imageDigest;
