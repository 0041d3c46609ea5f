import { z } from "zod";
import { count } from "./primitives";

/** An AWS account's region quotas the plan checks EKS fleets against (`eks.quotas`); defaults are AWS's. */
export const eksQuotasSchema = z
  .strictObject({
    /** VPCs per region (AWS default 5). */
    vpcsPerRegion: count(1, 1000).default(5),
    /** Elastic IP addresses per region (AWS default 5); each NAT gateway takes one. */
    elasticIpsPerRegion: count(1, 1000).default(5),
    /** Inbound rules per security group (AWS default 60); the NLBs of Services write theirs into the cluster's. */
    rulesPerSecurityGroup: count(1, 1000).default(60),
    /** Route 53 Resolver endpoints per region (AWS default 4): one inbound per VPC, one outbound per region. */
    resolverEndpointsPerRegion: count(1, 10_000).default(4),
    /** Route 53 Resolver rules per region (AWS default 1000). */
    resolverRulesPerRegion: count(1, 100_000).default(1000),
    /** Associations between Resolver rules and VPCs per region (AWS default 2000). */
    resolverRuleAssociationsPerRegion: count(1, 100_000).default(2000),
    /** Network interfaces per region (AWS default 5000): NAT and Transit Gateway attachments, Resolver endpoints, nodes. */
    networkInterfacesPerRegion: count(1, 1_000_000).default(5000),
  })
  .prefault({});
