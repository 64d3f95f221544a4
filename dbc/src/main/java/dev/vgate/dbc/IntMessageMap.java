package dev.vgate.dbc;

/** int → message, open addressing, no boxing on lookup (29-bit ids on the decode hot path). */
final class IntMessageMap {
    private int[] keys = new int[16];
    private CompiledMessage[] values = new CompiledMessage[16];
    private int size;

    void put(int key, CompiledMessage value) {
        if ((size + 1) * 2 > keys.length) grow();
        int i = slot(key, keys.length);
        while (values[i] != null && keys[i] != key) i = (i + 1) & (keys.length - 1);
        if (values[i] == null) size++;
        keys[i] = key;
        values[i] = value;
    }

    CompiledMessage get(int key) {
        int mask = keys.length - 1;
        int i = slot(key, keys.length);
        CompiledMessage v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) return v;
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int slot(int key, int capacity) {
        int h = key * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (capacity - 1);
    }

    private void grow() {
        int[] oldKeys = keys;
        CompiledMessage[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new CompiledMessage[oldKeys.length * 2];
        size = 0;
        for (int k = 0; k < oldKeys.length; k++) if (oldValues[k] != null) put(oldKeys[k], oldValues[k]);
    }
}
