package com.helpdeskconnect.host.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import com.helpdeskconnect.host.security.BootstrapToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The host as a separate JVM, started like {@code java -jar helpdesk-connect.jar serve ...}; killable. */
public final class HostProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Helpdesk Connect listening on http://127\\.0\\.0\\.1:(\\d+)");

    /** Generous: a loaded CI machine (parallel test classes start JVMs together) can take a minute to start one. */
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final int port;
    private final String firstLine;
    private final Path dataDir;

    private HostProcess(Process process, int port, String firstLine, Path dataDir) {
        this.process = process;
        this.port = port;
        this.firstLine = firstLine;
        this.dataDir = dataDir;
    }

    /** Runs {@code Main} with the test class path and the given arguments; does not wait. */
    public static Process launch(Path logFile, List<String> args) {
        return launch(logFile, args, java.util.Map.of());
    }

    /** Like {@link #launch(Path, List)} with environment changes; a blank value removes the variable. */
    public static Process launch(Path logFile, List<String> args, java.util.Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), "com.helpdeskconnect.host.Main"));
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(logFile.toFile());
            // the test helpdesks listen on loopback, which the outbound policy denies by default
            builder.environment().put("HELPDESK_CONNECT_OUTBOUND_ALLOW", HostFixture.LOOPBACK);
            env.forEach((name, value) -> {
                if (value.isBlank()) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code serve} and waits for its first line. */
    public static HostProcess serve(Path dataDir, Path pluginsDir, Path logFile) {
        return serve(dataDir, pluginsDir, logFile, List.of(), java.util.Map.of());
    }

    /** Like {@link #serve(Path, Path, Path)} with more options and environment changes (e.g. a shared database). */
    public static HostProcess serve(Path dataDir, Path pluginsDir, Path logFile, List<String> moreArgs,
                                    java.util.Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--data-dir", dataDir.toString(),
                "--plugins-dir", pluginsDir.toString()));
        args.addAll(moreArgs);
        Process process = launch(logFile, args, env);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("host did not start; see " + logFile, e);
        }
        Matcher m = line == null ? null : LISTENING.matcher(line);
        if (m == null || !m.matches()) {
            process.destroyForcibly();
            throw new IllegalStateException("unexpected first line '" + line + "'; see " + logFile);
        }
        return new HostProcess(process, Integer.parseInt(m.group(1)), line, dataDir);
    }

    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    public int port() {
        return port;
    }

    /** The process id (part of the lease owner name on the rows it claims). */
    public long pid() {
        return process.pid();
    }

    public String firstLine() {
        return firstLine;
    }

    /** The bootstrap admin token the host generated in its data folder on first start. */
    public String adminToken() {
        try {
            return Files.readString(dataDir.resolve(BootstrapToken.FILE_NAME)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client with the admin token. */
    public Api api() {
        return new Api(port, adminToken());
    }

    /** Like {@code kill} (SIGTERM): the shutdown hook runs; returns the exit code, waiting at most 60 s. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the host did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Like {@code kill -9}: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
