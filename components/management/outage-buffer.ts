/**
 * How the fleet's metrics ride out an outage of the management cluster: what the agents keep,
 * and how old a sample the central Prometheus still takes (Prometheus v3.14.0, the image of
 * kube-prometheus-stack 88.5.3).
 */

/**
 * How an agent's remote write rides out a central outage: samples wait in the agent's WAL and
 * are retried with backoff (up to 5 min between tries), 429s included, none dropped for age.
 */
export const REMOTE_WRITE_QUEUE = { capacity: 10000, maxShards: 10, minBackoff: "1s", maxBackoff: "5m", retryOnRateLimit: true };

/**
 * The central outage the fleet's metrics survive, in hours. An agent keeps unsent samples in its
 * WAL for at most this long (`--storage.agent.retention.max-time`; Prometheus's default is 4h).
 */
export const METRICS_OUTAGE_BUFFER_HOURS = 24;
/**
 * How old a sample the central Prometheus still takes. Without an out-of-order window it
 * refuses samples older than about an hour behind its newest (HTTP 400, which an agent never
 * retries). The agent truncates its WAL every 2h, so it may still hold samples up to 2h past
 * the buffer: they are taken too, as are samples that age while a backlog drains.
 */
export const CENTRAL_OUT_OF_ORDER_WINDOW = `${METRICS_OUTAGE_BUFFER_HOURS + 2}h`;
/** The agent's WAL volume where the cluster has volumes: room for the buffer's samples. */
export const AGENT_WAL_VOLUME = "10Gi";
