package dev.weft.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The kernel tier's JUnit 5 extension. Before a test class runs it checks that namespaces can be
 * made here (root, iproute2); when they cannot, the class is skipped with the reason, or fails
 * under {@code CI=true}. A test method gets a fresh namespace by declaring a {@link TestNetns}
 * parameter, or as many as it likes through a {@link NetnsFactory} parameter; all of them, and
 * the processes started in them, are removed after the method, whether it passed or not.
 */
public final class NetnsExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        requireKernelTier();
        NetnsSweeper.sweepOnce();
    }

    /** Skips (or, under CI, fails) the calling test when the kernel tier cannot run here. */
    public static void requireKernelTier() {
        Optional<String> why = Privileges.kernelTierUnavailable();
        if (why.isPresent()) {
            if (Privileges.underCi()) {
                throw new IllegalStateException("CI=true and the kernel tier cannot run: " + why.get());
            }
            Assumptions.abort("skipped: " + why.get());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == TestNetns.class || t == NetnsFactory.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Factory factory = ec.getStore(STORE).getOrComputeIfAbsent("factory", k -> new Factory(), Factory.class);
        Class<?> t = pc.getParameter().getType();
        if (t == NetnsFactory.class) {
            return factory;
        }
        if (t == TestNetns.class) {
            return factory.create(pc.getParameter().getName());
        }
        throw new ParameterResolutionException("unsupported parameter " + pc.getParameter());
    }

    /** Closes, in reverse order, every namespace created for one test. */
    private static final class Factory implements NetnsFactory, AutoCloseable {
        private final List<TestNetns> created = new ArrayList<>();

        @Override
        public synchronized TestNetns create(String hint) {
            TestNetns ns = TestNetns.create(hint);
            created.add(ns);
            return ns;
        }

        @Override
        public synchronized void close() {
            for (int i = created.size() - 1; i >= 0; i--) {
                created.get(i).close();
            }
            created.clear();
        }
    }
}
