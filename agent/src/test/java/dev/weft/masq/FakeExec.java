package dev.weft.masq;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scripted answers per command line; records every call. A command with no answer is "not installed". */
final class FakeExec implements Exec {
    record Call(List<String> command, String stdin) {
    }

    final Map<String, ExecResult> answers = new HashMap<>();
    final List<Call> calls = new ArrayList<>();

    FakeExec answer(String commandLine, int exit, String stdout, String stderr) {
        answers.put(commandLine, new ExecResult(List.of(commandLine.split(" ")), exit, stdout, stderr));
        return this;
    }

    FakeExec answer(String commandLine, String stdout) {
        return answer(commandLine, 0, stdout, "");
    }

    @Override
    public ExecResult run(List<String> command, String stdin) throws IOException {
        calls.add(new Call(command, stdin));
        ExecResult r = answers.get(String.join(" ", command));
        if (r == null) {
            throw new IOException("Cannot run program \"" + command.getFirst() + "\": error=2, No such file or directory");
        }
        return r;
    }

    List<String> commandLines() {
        return calls.stream().map(c -> String.join(" ", c.command())).toList();
    }
}
