/**
 * The central Prometheus fills at most 90% of its volume (the rest for the WAL and compaction),
 * in Prometheus's size units, which are powers of 1024 (its `GB` is a GiB).
 */
export function retentionSize(volume: string): string {
  const match = /^([0-9]+)(Mi|Gi|Ti)$/.exec(volume);
  if (!match) throw new Error(`${volume} is not a storage size such as 50Gi`);
  const gib = Number(match[1]) * { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] as "Mi" | "Gi" | "Ti"];
  return `${Math.max(1, Math.floor(gib * 0.9))}GB`;
}

/** The central Prometheus on a volume of the host's StorageClass, filled up to a bound. */
export function prometheusStorage(storageClassName: string, volume: string) {
  return { retentionSize: retentionSize(volume), storageSpec: volumeClaim(storageClassName, volume) };
}

/** The operator's `storage` for a claim of `volume` in a StorageClass. */
export function volumeClaim(storageClassName: string, volume: string) {
  return {
    volumeClaimTemplate: {
      spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: volume } } },
    },
  };
}
