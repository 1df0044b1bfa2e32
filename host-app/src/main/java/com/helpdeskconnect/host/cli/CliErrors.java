package com.helpdeskconnect.host.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * picocli's error output for every command, with credentials scrubbed: picocli echoes the arguments
 * it rejects (a database URL given twice, a stray URL), and database URLs carry passwords. Otherwise
 * as picocli prints it: the message, then suggestions or the usage, exit code 2; a command that
 * throws prints its stack trace, exit code 1.
 */
public final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private static final String MASK = "***";
    /** {@code scheme://user:password@host}: the password runs to the last {@code @} before the path. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^\\s/?#@:]*:)[^\\s/?#]*@");
    /** {@code password=..} in a query string or a key-value list, and its kin. */
    private static final Pattern PARAM_SECRET = Pattern.compile("(?i)(\\b\\w*(?:password|passwd|pwd|secret|token))=[^&\\s'\"}\\]),;]*");
    /** Options whose whole value is a secret (none today; the host takes tokens and keys from the environment). */
    private static final Pattern SECRET_OPTION = Pattern.compile("(?i)--[\\w-]*(?:password|token|secret|encryption-key)");

    private CliErrors() {
    }

    /** Installs the handlers on {@code cli} and every subcommand it has now. */
    public static CommandLine install(CommandLine cli) {
        CliErrors handler = new CliErrors();
        return cli.setParameterExceptionHandler(handler).setExecutionExceptionHandler(handler);
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        List<String> secrets = secretsIn(args == null ? List.of() : List.of(args));
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText(scrub(String.valueOf(ex.getMessage()), secrets)));
        StringWriter more = new StringWriter();
        PrintWriter morePrinter = new PrintWriter(more);
        if (!UnmatchedArgumentException.printSuggestions(ex, morePrinter)) {
            cmd.usage(morePrinter, cmd.getColorScheme());
        }
        morePrinter.flush();
        err.print(scrub(more.toString(), secrets));
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
                : cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace, true));
        List<String> secrets = secretsIn(parseResult == null ? List.of() : parseResult.originalArgs());
        PrintWriter err = cmd.getErr();
        err.print(scrub(trace.toString(), secrets));
        err.flush();
        return cmd.getExitCodeExceptionMapper() != null ? cmd.getExitCodeExceptionMapper().getExitCode(ex)
                : cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    /**
     * {@code text} without credentials: URL passwords and {@code password=} values by their form, and
     * each of {@code secrets} (from {@link #secretsIn}) wherever it appears, in whatever form picocli
     * quoted it.
     */
    public static String scrub(String text, List<String> secrets) {
        String result = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        result = PARAM_SECRET.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=" + MASK));
        List<String> longestFirst = new ArrayList<>(secrets);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        for (String secret : longestFirst) {
            if (!secret.isEmpty() && !secret.equals(MASK)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * The secrets command-line arguments carry: the passwords in any URL among them (as typed and
     * decoded) and the whole values of secret options.
     */
    static List<String> secretsIn(List<String> args) {
        Set<String> secrets = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg == null) {
                continue;
            }
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            if (SECRET_OPTION.matcher(eq > 0 ? arg.substring(0, eq) : arg).matches()) {
                if (eq > 0) {
                    secrets.add(arg.substring(eq + 1));
                } else if (i + 1 < args.size() && args.get(i + 1) != null) {
                    secrets.add(args.get(i + 1));
                }
            }
            urlPasswords(arg, secrets);
        }
        secrets.remove("");
        return List.copyOf(secrets);
    }

    private static void urlPasswords(String arg, Set<String> into) {
        int scheme = arg.indexOf("://");
        if (scheme >= 0) {
            String rest = arg.substring(scheme + 3);
            int end = rest.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int at = rest.indexOf(c);
                end = at >= 0 ? Math.min(end, at) : end;
            }
            String authority = rest.substring(0, end);
            int at = authority.lastIndexOf('@');
            int colon = authority.indexOf(':');
            if (at >= 0 && colon >= 0 && colon < at) {
                addWithDecoded(authority.substring(colon + 1, at), into);
            }
        }
        Matcher param = PARAM_SECRET.matcher(arg);
        while (param.find()) {
            addWithDecoded(param.group().substring(param.group(1).length() + 1), into);
        }
        // the value of --name=value as a whole, where the pattern stopped early (a quote, a comma in it)
        int query = arg.indexOf('?');
        if (query >= 0) {
            for (String p : arg.substring(query + 1).split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0 && PARAM_SECRET.matcher(p.substring(0, eq) + "=").find()) {
                    addWithDecoded(p.substring(eq + 1), into);
                }
            }
        }
    }

    private static void addWithDecoded(String value, Set<String> into) {
        into.add(value);
        try {
            into.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not URL-encoded: as typed only
        }
    }
}
