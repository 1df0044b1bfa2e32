package com.helpdeskconnect.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@link CliErrors}: what picocli prints for bad options or a failed command, with credentials scrubbed. */
class CliErrorsTest {

    @Test
    void urlCredentialsAndSecretOptionValuesAreScrubbed() {
        assertThat(CliErrors.scrub("'jdbc:postgresql://u:S3cret@db.example:5432/x' and postgres://a:b%40c@h/d", List.of()))
                .isEqualTo("'jdbc:postgresql://u:***@db.example:5432/x' and postgres://a:***@h/d");
        assertThat(CliErrors.scrub("jdbc:postgresql://h/x?user=u&password=S3cret&ssl=true, {PASSWORD=p1}", List.of()))
                .isEqualTo("jdbc:postgresql://h/x?user=u&password=***&ssl=true, {PASSWORD=***}");
        // an @ inside the password: everything up to the last one before the host
        assertThat(CliErrors.scrub("jdbc:postgresql://u:p@ss@h/x", List.of())).isEqualTo("jdbc:postgresql://u:***@h/x");
        // what the arguments carried is scrubbed wherever it turns up, also where no pattern sees it
        List<String> secrets = CliErrors.secretsIn(List.of("serve", "--database-url", "jdbc:postgresql://u:pa ss@h/x",
                "--admin-token=hca_tok", "--from-database-url=jdbc:postgresql://h/x?password=p%26w", "stray://v:w1@h"));
        assertThat(secrets).contains("pa ss", "hca_tok", "p&w", "p%26w", "w1");
        assertThat(CliErrors.scrub("got 'pa ss', hca_tok, p&w and w1", secrets)).isEqualTo("got '***', ***, *** and ***");
        assertThat(CliErrors.scrub("Helpdesk Connect: no secrets here", List.of())).isEqualTo("Helpdesk Connect: no secrets here");
    }

    @Test
    void aFailedCommandPrintsItsStackTraceScrubbedAndExitsOne() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Failing());
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("--url", "jdbc:postgresql://u:S3cret@h/x");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("IllegalStateException: cannot reach jdbc:postgresql://u:***@h/x as ***")
                .contains("at com.helpdeskconnect.host.cli.CliErrorsTest$Failing.call").doesNotContain("S3cret");
    }

    @Test
    void aBadOptionKeepsPicocliMessageAndUsageAndExitsTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Failing());
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("--url", "jdbc:postgresql://u:S3cret@h/x", "--url", "x");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("option '--url' (URL) should be specified only once\n").contains("Usage: failing")
                .doesNotContain("S3cret");
    }

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "URL")
        String url;

        @Override
        public Integer call() {
            throw new IllegalStateException("cannot reach " + url + " as S3cret");
        }
    }
}
