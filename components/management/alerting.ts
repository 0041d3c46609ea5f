import type { AlertReceiver } from "../../plan";

/**
 * The chart's default inhibitions, each also matching on `cluster`: without it a critical alert
 * in one cluster silences the same warning in every other.
 */
const INHIBIT_RULES = [
  { source_matchers: ["severity = critical"], target_matchers: ["severity =~ warning|info"], equal: ["cluster", "namespace", "alertname"] },
  { source_matchers: ["severity = warning"], target_matchers: ["severity = info"], equal: ["cluster", "namespace", "alertname"] },
  { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: ["cluster", "namespace"] },
  { target_matchers: ["alertname = InfoInhibitor"] },
];

/** Alertmanager's config: grouped by cluster and alert, every alert sent to every configured webhook. */
export function alertmanagerConfig(receivers: AlertReceiver[]) {
  return {
    inhibit_rules: INHIBIT_RULES,
    route: {
      group_by: ["cluster", "alertname"],
      receiver: "null",
      routes: [
        // The always-firing Watchdog proves the pipeline works; it pages nobody.
        { receiver: "null", matchers: ['alertname = "Watchdog"'] },
        ...receivers.map((r) => ({ receiver: r.name, continue: true })),
      ],
    },
    receivers: [
      { name: "null" },
      ...receivers.map((r) => ({ name: r.name, webhook_configs: [{ url: r.webhookUrl, send_resolved: true }] })),
    ],
  };
}
