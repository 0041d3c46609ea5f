import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { planFleet } from "../../plan";
import { eks, fleet, kind } from "./fleets";

describe("allocation", () => {
  test("takes the lowest free aligned block of each pool, in list order", () => {
    const plan = planFleet(fleet(kind("mgmt", "management"), kind("west"), kind("east")));
    expect(plan.clusters.map((c) => [c.podCidr, c.serviceCidr, c.provider === "kind" && c.lbCidr])).toEqual([
      ["10.64.0.0/16", "10.96.0.0/20", "172.18.255.0/28"],
      ["10.65.0.0/16", "10.96.16.0/20", "172.18.255.16/28"],
      ["10.66.0.0/16", "10.96.32.0/20", "172.18.255.32/28"],
    ]);
    expect(plan.clusters.map((c) => c.provider === "kind" && c.apiServerPort)).toEqual([36443, 36444, 36445]);
  });

  test("skips blocks that explicit ranges of earlier clusters hold", () => {
    const plan = planFleet(fleet(kind("mgmt", "management", { podCidr: "10.65.0.0/16" }), kind("west")));
    expect(plan.clusters[0].podCidr).toBe("10.65.0.0/16");
    expect(plan.clusters[1].podCidr).toBe("10.64.0.0/16");
  });

  test("EKS clusters get a VPC; their pods live in it", () => {
    const plan = planFleet(fleet(eks("mgmt", "us-west-2", "management"), eks("east", "us-east-1")));
    expect(plan.clusters[1]).toMatchObject({ vpcCidr: "10.1.0.0/16", podCidr: "10.1.0.0/16", serviceCidr: "10.96.16.0/20" });
  });

  test("labels carry cluster, region and env besides the user's", () => {
    const plan = planFleet(fleet(kind("mgmt", "management", { labels: { tier: "gold" } })));
    expect(plan.clusters[0].labels).toEqual({ tier: "gold", cluster: "mgmt", region: "local", env: "test" });
    expect(plan.management.name).toBe("mgmt");
  });
});

describe("the stack files", () => {
  const stackPlan = (stack: string, eks?: object) => {
    const file = parse(readFileSync(join(__dirname, "..", "..", `Pulumi.${stack}.yaml`), "utf8")).config;
    return planFleet({
      environment: file["platform:environment"],
      clusters: file["platform:clusters"],
      network: file["platform:network"],
      kind: file["platform:kind"],
      eks: { ...file["platform:eks"], ...eks },
    });
  };

  test("Pulumi.prod.yaml: management and a workload cluster in us-west-2, a workload cluster in us-east-1", () => {
    const plan = stackPlan("prod", { publicAccessCidrs: ["203.0.113.7/32"] });
    expect(plan.clusters.map((c) => [c.name, c.role, c.provider, c.region])).toEqual([
      ["mgmt", "management", "eks", "us-west-2"],
      ["west", "workload", "eks", "us-west-2"],
      ["east", "workload", "eks", "us-east-1"],
    ]);
    expect(plan.clusters.map((c) => c.provider === "eks" && c.vpcCidr)).toEqual(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]);
  });

  test("Pulumi.prod.yaml asks for the ranges allowed to reach the EKS API before anything is created", () => {
    expect(() => stackPlan("prod")).toThrow("eks.publicAccessCidrs is empty");
  });

  test("Pulumi.dev.yaml: three kind clusters", () => {
    const plan = stackPlan("dev");
    expect(plan.clusters.map((c) => [c.name, c.role, c.provider])).toEqual([
      ["mgmt", "management", "kind"],
      ["west", "workload", "kind"],
      ["east", "workload", "kind"],
    ]);
  });
});
