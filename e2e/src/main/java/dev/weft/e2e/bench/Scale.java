package dev.weft.e2e.bench;

import java.util.List;

/**
 * How big a run is. {@link #FULL} is the sizes (N = 1000 and 5000 peers, 200 events, 10
 * restarts...); {@link #SMOKE} runs every code path with small numbers in seconds, for CI.
 *
 * @param smoke       true for the CI smoke run
 * @param peerCounts  the N of B1, B2 and (with 0 prepended) B4
 * @param eventPeers  the N of B3
 * @param events      annotation events timed in B3
 * @param statusOnly  status-only Node updates in B3
 * @param restarts    agent restarts in B5
 * @param pods        pods in B6
 * @param reps        repetitions of each timed measurement in B1 and B2
 * @param iperfSeconds length of each iperf3 run in B7
 */
public record Scale(boolean smoke, List<Integer> peerCounts, int eventPeers, int events, int statusOnly, int restarts,
                    int pods, int reps, int iperfSeconds) {
    public static final Scale FULL = new Scale(false, List.of(1000, 5000), 1000, 200, 1000, 10, 100, 3, 4);
    public static final Scale SMOKE = new Scale(true, List.of(50), 50, 5, 20, 2, 5, 1, 1);

    public Scale {
        peerCounts = List.copyOf(peerCounts);
    }
}
