package com.helpdeskconnect.sandbox.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * What the sandboxes' command lines do alike once started: close the sandbox when the process stops,
 * and read agent commands from standard input.
 */
public final class SandboxConsole {
    private SandboxConsole() {
    }

    /** Runs one agent command. */
    @FunctionalInterface
    public interface Commands {
        /**
         * @param words the command (lower case) and at most two arguments, the last one the rest of the line
         * @return false when the command is unknown
         * @throws IllegalArgumentException (or an index error for a missing argument) to report "Cannot do that"
         */
        boolean run(String[] words);
    }

    /** Closes the sandbox when the JVM stops; the latch opens once it is closed. */
    public static CountDownLatch closeOnShutdown(Runnable close, String threadName) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stopped.countDown();
        }, threadName));
        return stopped;
    }

    /** Reads commands until {@code in} closes; {@code quit} or {@code exit} ends the process. */
    public static void readCommands(InputStream in, PrintStream out, Commands commands) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            String[] words = line.trim().split("\\s+", 3);
            words[0] = words[0].toLowerCase(Locale.ROOT);
            try {
                if (words[0].equals("quit") || words[0].equals("exit")) {
                    System.exit(0);
                } else if (!words[0].isEmpty() && !commands.run(words)) {
                    out.println("Unknown command; see --help");
                }
            } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
                out.println("Cannot do that: " + (e.getMessage() == null ? "missing arguments" : e.getMessage()));
            }
            out.flush();
        }
    }

    /** {@code name version} from the jar's Implementation-Version, for picocli's {@code --version}. */
    public static String[] version(String name, Class<?> mainClass) {
        String version = mainClass.getPackage().getImplementationVersion();
        return new String[] {name + " " + (version == null ? "(development)" : version)};
    }
}
