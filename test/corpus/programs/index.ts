/**
 * The real-world corpus: every fixture under test/corpus/programs (see README.md for sources and shape notes).
 */
import { CorpusFixture } from "../corpus";
import { fixture as ahmedbesbesPulumiCloudrunPython } from "./ahmedbesbes-pulumi-cloudrun-python";
import { fixture as artcodedVendureV1Cloudsql } from "./artcoded-vendure-v1-cloudsql";
import { fixture as docsComposedIamPolicyForms } from "./docs-composed-iam-policy-forms";
import { fixture as docsV1ServiceNoauthIampolicy } from "./docs-v1-service-noauth-iampolicy";
import { fixture as docsV1ServicePubsubIambinding } from "./docs-v1-service-pubsub-iambinding";
import { fixture as docsV1ServiceSqlAnnotations } from "./docs-v1-service-sql-annotations";
import { fixture as docsV2JobBasic } from "./docs-v2-job-basic";
import { fixture as docsV2JobSecretVolume } from "./docs-v2-job-secret-volume";
import { fixture as docsV2JobSqlSecret } from "./docs-v2-job-sql-secret";
import { fixture as docsV2ServiceBasic } from "./docs-v2-service-basic";
import { fixture as docsV2ServiceDirectvpc } from "./docs-v2-service-directvpc";
import { fixture as docsV2ServiceGpu } from "./docs-v2-service-gpu";
import { fixture as docsV2ServiceInvokerIamDisabled } from "./docs-v2-service-invoker-iam-disabled";
import { fixture as docsV2ServiceLimits } from "./docs-v2-service-limits";
import { fixture as docsV2ServiceMulticontainer } from "./docs-v2-service-multicontainer";
import { fixture as docsV2ServiceProbes } from "./docs-v2-service-probes";
import { fixture as docsV2ServiceSecretVolume } from "./docs-v2-service-secret-volume";
import { fixture as docsV2ServiceSqlSecret } from "./docs-v2-service-sql-secret";
import { fixture as docsV2ServiceVpcaccess } from "./docs-v2-service-vpcaccess";
import { fixture as docsV2WorkerpoolDependsOn } from "./docs-v2-workerpool-depends-on";
import { fixture as docsV2WorkerpoolGpu } from "./docs-v2-workerpool-gpu";
import { fixture as exactlyExaWorkerPools } from "./exactly-exa-worker-pools";
import { fixture as joeriverhavertGoV1StartupProbe } from "./joeriverhavert-go-v1-startup-probe";
import { fixture as nicolasdaoTemplateV1ServiceAccount } from "./nicolasdao-template-v1-service-account";
import { fixture as pulumiExamplesGcpPyCloudrunCloudsql } from "./pulumi-examples-gcp-py-cloudrun-cloudsql";
import { fixture as pulumiExamplesGcpTsCloudrun } from "./pulumi-examples-gcp-ts-cloudrun";
import { fixture as pulumiTemplatesContainerGcpTypescript } from "./pulumi-templates-container-gcp-typescript";
import { fixture as sendoKakeruV1Iambinding } from "./sendo-kakeru-v1-iambinding";
import { fixture as tafEquipe2WikijsV1 } from "./taf-equipe2-wikijs-v1";
import { fixture as takemo101N8nV2Secrets } from "./takemo101-n8n-v2-secrets";
import { fixture as themisDispatcherSandboxJob } from "./themis-dispatcher-sandbox-job";
import { fixture as toolboxPlaygroundGcpNodeIampolicy } from "./toolbox-playground-gcp-node-iampolicy";
import { fixture as yuki9431ExvsAnalyzerV2SecretImage } from "./yuki9431-exvs-analyzer-v2-secret-image";

export const CORPUS: readonly CorpusFixture[] = [
    ahmedbesbesPulumiCloudrunPython,
    artcodedVendureV1Cloudsql,
    docsComposedIamPolicyForms,
    docsV1ServiceNoauthIampolicy,
    docsV1ServicePubsubIambinding,
    docsV1ServiceSqlAnnotations,
    docsV2JobBasic,
    docsV2JobSecretVolume,
    docsV2JobSqlSecret,
    docsV2ServiceBasic,
    docsV2ServiceDirectvpc,
    docsV2ServiceGpu,
    docsV2ServiceInvokerIamDisabled,
    docsV2ServiceLimits,
    docsV2ServiceMulticontainer,
    docsV2ServiceProbes,
    docsV2ServiceSecretVolume,
    docsV2ServiceSqlSecret,
    docsV2ServiceVpcaccess,
    docsV2WorkerpoolDependsOn,
    docsV2WorkerpoolGpu,
    exactlyExaWorkerPools,
    joeriverhavertGoV1StartupProbe,
    nicolasdaoTemplateV1ServiceAccount,
    pulumiExamplesGcpPyCloudrunCloudsql,
    pulumiExamplesGcpTsCloudrun,
    pulumiTemplatesContainerGcpTypescript,
    sendoKakeruV1Iambinding,
    tafEquipe2WikijsV1,
    takemo101N8nV2Secrets,
    themisDispatcherSandboxJob,
    toolboxPlaygroundGcpNodeIampolicy,
    yuki9431ExvsAnalyzerV2SecretImage,
];
