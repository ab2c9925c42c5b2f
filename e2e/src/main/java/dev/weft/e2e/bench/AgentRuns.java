package dev.weft.e2e.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold starts of a real agent against N simulated peers (B2), whose memory figures B4 reads too:
 * each run removes the VXLAN device (a fresh node's data plane), spawns the agent and times it from
 * the spawn until the kernel holds every peer's route, neighbour and FDB entry; then it lets the
 * agent settle and reads its resident memory. Results are kept per size for the rest of the bench
 * run, so B4 reuses B2's runs instead of starting them again.
 */
final class AgentRuns {
    /** How long an agent runs after converging before its memory counts as steady. */
    static final Duration SETTLE = Duration.ofSeconds(4);
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, Result> DONE = new HashMap<>();

    /**
     * One cold start.
     *
     * @param seconds  spawn → every peer programmed (for N = 0: spawn → /readyz 200)
     * @param cpu      CPU seconds of the agent (and the tools it ran) at that moment
     * @param rxBytes  bytes the node received on its underlay by then (the API's answers)
     * @param rssMiB   resident memory after {@link #SETTLE}
     * @param peakMiB  peak resident memory (VmHWM) by then
     */
    record Run(double seconds, double cpu, long rxBytes, double rssMiB, double peakMiB) {
    }

    /**
     * The runs at one size ({@link AgentRig.Setup#POD}), the runs of the other set-ups (only at
     * B2's first size, else empty), the same-run floor of reading the peers (seconds, bytes
     * per plain LIST), and at that first size the shipped image's agent in the same rig.
     */
    record Result(int peers, List<Run> runs, Map<AgentRig.Setup, List<Run>> variants, List<Double> listSeconds,
                  long listBytes, java.util.Optional<ImageMemory.Result> image) {
        List<Double> seconds() {
            return runs.stream().map(Run::seconds).toList();
        }

        List<Double> cpu() {
            return runs.stream().map(Run::cpu).toList();
        }

        List<Double> rss() {
            return runs.stream().map(Run::rssMiB).toList();
        }

        List<Double> peak() {
            return runs.stream().map(Run::peakMiB).toList();
        }

        List<Double> rxMiB() {
            return runs.stream().map(r -> r.rxBytes() / 1024.0 / 1024.0).toList();
        }
    }

    private AgentRuns() {
    }

    /** {@code scale.reps()} cold starts with {@code peers} peers, measured once per bench run. */
    static synchronized Result at(Scale scale, int peers, PrintStream log) throws Exception {
        String key = scale + "/" + peers;
        Result r = DONE.get(key);
        if (r == null) {
            r = measure(peers, scale.reps(), peers == scale.peerCounts().getFirst(), log);
            DONE.put(key, r);
        }
        return r;
    }

    /** {@code reps} cold starts, each after a plain list; with {@code variants}, alternating with the other set-ups. */
    private static Result measure(int peers, int reps, boolean variants, PrintStream log) throws Exception {
        List<AgentRig.Setup> setups = variants ? List.of(AgentRig.Setup.values()) : List.of(AgentRig.Setup.POD);
        log.println("agent cold starts with " + peers + " peers, " + reps + " repetitions" + (variants ? " of each set-up" : ""));
        try (AgentRig rig = AgentRig.start(peers, 0, log)) {
            Map<AgentRig.Setup, List<Run>> runs = new java.util.EnumMap<>(AgentRig.Setup.class);
            List<Double> list = new ArrayList<>();
            long listBytes = 0;
            for (int i = 0; i < reps; i++) {
                if (peers > 0) {
                    long[] plain = rig.plainList();
                    list.add(plain[0] / 1e9);
                    listBytes = plain[1];
                }
                for (AgentRig.Setup setup : setups) {
                    runs.computeIfAbsent(setup, k -> new ArrayList<>())
                            .add(logged(log, "run " + (i + 1) + ", " + setup.text(), coldStart(rig, setup)));
                }
            }
            List<Run> main = runs.remove(AgentRig.Setup.POD);
            java.util.Optional<ImageMemory.Result> image = variants && peers > 0
                    ? java.util.Optional.of(ImageMemory.measure(rig, log)) : java.util.Optional.empty();
            return new Result(peers, main, runs, list, listBytes, image);
        }
    }

    private static Run logged(PrintStream log, String what, Run run) {
        log.printf(Locale.ROOT, "  %s: %.3f s, %.2f CPU s, %.1f MiB read, RSS %.1f MiB (peak %.1f)%n", what,
                run.seconds(), run.cpu(), run.rxBytes() / 1048576.0, run.rssMiB(), run.peakMiB());
        return run;
    }

    /** One run: a fresh data plane, a new agent, timed from its spawn. */
    static Run coldStart(AgentRig rig, AgentRig.Setup setup) throws Exception {
        return coldStart(rig, setup, Map.of());
    }

    /** As {@link #coldStart(AgentRig, AgentRig.Setup)}, the agent given {@code extraEnv}; it is left running. */
    static Run coldStart(AgentRig rig, AgentRig.Setup setup, Map<String, String> extraEnv) throws Exception {
        rig.stopAgent();
        rig.removeDevice();
        try (KernelWatch kernel = KernelWatch.open(rig.node().name(), AgentRig.DEVICE)) {
            long rx0 = rig.underlayRxBytes();
            long t0 = System.nanoTime();
            Process agent = rig.startAgent(setup, extraEnv);
            long done;
            try {
                done = rig.peers() == 0 ? awaitReady(rig, agent) : kernel.awaitAll(rig.peers(), agent, CONVERGE_TIMEOUT);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "\n" + rig.agentLogTail(), e);
            }
            long pid = agent.pid();
            double cpu = ProcStats.cpuSeconds(pid);
            long rx = rig.underlayRxBytes() - rx0;
            if (!ProcStats.comm(pid).equals("java")) {
                throw new IllegalStateException("pid " + pid + " is " + ProcStats.comm(pid) + ", not the agent's JVM");
            }
            AgentRig.sleep(SETTLE.toMillis());
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited with " + agent.exitValue() + "\n" + rig.agentLogTail());
            }
            return new Run((done - t0) / 1e9, cpu, rx, ProcStats.rssMiB(pid), ProcStats.peakRssMiB(pid));
        }
    }

    private static long awaitReady(AgentRig rig, Process agent) {
        long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited with " + agent.exitValue());
            }
            try {
                if (rig.agentHttp("/readyz").status() == 200) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            AgentRig.sleep(5);
        }
        throw new IllegalStateException("the agent was not ready within " + CONVERGE_TIMEOUT);
    }
}
