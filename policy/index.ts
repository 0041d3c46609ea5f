import { PolicyPack } from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "./policies";

// Served to the Pulumi CLI: `pulumi preview --policy-pack ./policy`. Tests import ./policies only.
new PolicyPack("platform", { policies: [...resourcePolicies, ...stackPolicies] });
