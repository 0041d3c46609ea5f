import * as k8s from "@pulumi/kubernetes";
import { loadBalancerAnnotations } from "../../components/eks";
import { eksReach } from "../../components/eks/reach";

const provider = {} as k8s.Provider;
const fleetRanges = ["10.0.0.0/16", "10.1.0.0/16"];
const INTERNAL = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
  "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
  "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/16,10.1.0.0/16",
};

test("fleet and console services sit behind internal NLBs that admit the fleet's VPCs only", () => {
  const access = { fleetRanges, operator: { scheme: "internet-facing" as const, ranges: ["203.0.113.0/24"] }, public: ["0.0.0.0/0"] };
  for (const audience of ["fleet", "console"] as const) {
    const reach = eksReach(access, "eu-west-1", provider, [], { service: "prometheus", port: 9090, audience });
    expect(reach.service).toEqual({ type: "LoadBalancer", annotations: INTERNAL });
    expect(reach.tlsNames).toEqual(["*.elb.eu-west-1.amazonaws.com"]);
    expect(reach.dependsOn).toEqual([]);
  }
});

test("an operator service is internet-facing for the operator ranges, or internal when asked", () => {
  const request = { service: "karmada-api" as const, port: 5443, audience: "operator" as const };
  const open = eksReach({ fleetRanges, operator: { scheme: "internet-facing", ranges: ["203.0.113.0/24"] }, public: ["0.0.0.0/0"] }, "us-east-1", provider, [], request);
  expect(open.service.annotations).toEqual({
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/load-balancer-source-ranges": "203.0.113.0/24",
  });
  const closed = eksReach({ fleetRanges, operator: { scheme: "internal" }, public: ["0.0.0.0/0"] }, "us-east-1", provider, [], request);
  expect(closed.service.annotations).toEqual(INTERNAL);
  expect(loadBalancerAnnotations("internal", fleetRanges)).toEqual(INTERNAL);
});

test("the apps' ingress gateway is internet-facing for ingress.allowedCidrs, whatever the operator's access", () => {
  const request = { service: "ingress-gateway" as const, port: 80, audience: "public" as const };
  const reach = eksReach({ fleetRanges, operator: { scheme: "internal" }, public: ["198.51.100.0/24", "203.0.113.0/24"] }, "us-east-1", provider, [], request);
  expect(reach.service).toEqual({
    type: "LoadBalancer",
    annotations: {
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
      "service.beta.kubernetes.io/load-balancer-source-ranges": "198.51.100.0/24,203.0.113.0/24",
    },
  });
});
