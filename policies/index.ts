import { PolicyPack } from "@pulumi/policy";

new PolicyPack("cloud-run-guardrails", { policies: [] });
