package dev.vgate.buffer.store;

/** Samples that will never be uploaded: evicted by the quota (per priority) or dropped by the collection policy. */
public record DataLoss(long evictedBulk, long evictedNormal, long downsampled) {
    public static final DataLoss NONE = new DataLoss(0, 0, 0);

    public DataLoss plus(DataLoss o) {
        return new DataLoss(evictedBulk + o.evictedBulk, evictedNormal + o.evictedNormal, downsampled + o.downsampled);
    }

    public boolean isEmpty() { return evictedBulk == 0 && evictedNormal == 0 && downsampled == 0; }
}
