package dev.vgate.agent.daemon;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's own memory accounts for the status report ({@code "jvm"}): heap and non-heap pools committed
 * (metaspace, code cache), GC count and time. The resident size is the kernel's figure
 * ({@code /proc/self/status}); the difference to these pools is native memory (thread stacks, malloc, the
 * mapped jar and libraries). {@code bench/daemon-footprint} prints them every 5 s (docs/benchmarks.md).
 */
final class JvmStats {
    private JvmStats() {}

    static Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        m.put("heap_used_kb", (rt.totalMemory() - rt.freeMemory()) >> 10);
        m.put("heap_committed_kb", rt.totalMemory() >> 10);
        m.put("heap_max_kb", rt.maxMemory() >> 10);
        long metaspace = 0, classSpace = 0, codeCache = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.NON_HEAP) continue;
            long committed = p.getUsage().getCommitted();
            String n = p.getName();
            if (n.equals("Metaspace")) metaspace = committed;
            else if (n.equals("Compressed Class Space")) classSpace = committed;
            else if (n.startsWith("CodeHeap") || n.equals("CodeCache")) codeCache += committed;
        }
        m.put("metaspace_committed_kb", metaspace >> 10); // includes the compressed class space
        m.put("class_space_committed_kb", classSpace >> 10);
        m.put("code_cache_committed_kb", codeCache >> 10);
        long gcs = 0, gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        m.put("gc_count", gcs);
        m.put("gc_time_ms", gcMs);
        return m;
    }
}
