package dev.weft.cni.delegate;

import java.util.Map;

import dev.weft.cni.skel.Log;

/** Makes the {@link Delegate} for one invocation, from the environment the shim was started with. */
public interface DelegateFactory {
    Delegate create(Map<String, String> env, Log log);

    /** Execs real plugins found in CNI_PATH. */
    DelegateFactory EXEC = new DelegateFactory() {
        @Override
        public Delegate create(Map<String, String> env, Log log) {
            return new ExecDelegate(env, log);
        }
    };
}
