package com.helpdeskconnect.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rough throughput check, run by hand (not a test):
 * {@code java -cp <test classpath> com.helpdeskconnect.sandbox.ThroughputBenchmark [seconds] [threads]}.
 * Each thread alternates creating an activity on a case and reading the case's activities.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (CreatioSandbox creatio = CreatioSandbox.builder().start()) {
            String token = Http.token(creatio);
            String caseId = Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"Bench\"}")
                    .json().get("Id").asText();
            String filter = creatio.odataUrl() + "/Activity?$top=20&$select=Id,Title&$filter="
                    + Http.encode("CaseId eq " + caseId);
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            long end = System.nanoTime() + duration.toNanos();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    int i = 0;
                    while (System.nanoTime() < end) {
                        Http.Response response = (i++ % 2 == 0)
                                ? Http.post(creatio.odataUrl() + "/Activity", token,
                                        "{\"Title\":\"m\",\"CaseId\":\"" + caseId + "\"}")
                                : Http.get(filter, token);
                        (response.status() < 300 ? done : failed).incrementAndGet();
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.printf("%d requests in %d s with %d threads: %.0f req/s, %d failed%n", done.get(),
                    duration.toSeconds(), threads, done.get() / (double) duration.toSeconds(), failed.get());
        }
    }
}
