// Admin calls for scripts/kafka-dev.sh, with Kafka's own client (one JVM for
// many topics instead of one kafka-topics run per topic). Compiled once into
// .tools/ by the script.
//
//   DevAdmin ready BOOTSTRAP BROKERS TIMEOUT_SECS
//       waits until BROKERS brokers are registered and the group coordinator
//       answers (until __consumer_offsets exists, group calls answer
//       NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE, so the probe retries).
//   DevAdmin topics BOOTSTRAP PARTITIONS REPLICATION TOPIC...
//       creates the topics; existing ones are left alone.
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

public final class DevAdmin {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            switch (args[0]) {
                case "ready" -> ready(admin, Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "topics" -> topics(admin, Integer.parseInt(args[2]), Short.parseShort(args[3]),
                        List.of(args).subList(4, args.length));
                default -> usage();
            }
        }
    }

    private static void usage() {
        System.err.println("usage: DevAdmin ready BOOTSTRAP BROKERS TIMEOUT_SECS | topics BOOTSTRAP PARTITIONS REPLICATION TOPIC...");
        System.exit(2);
    }

    private static void ready(Admin admin, int brokers, long timeoutSecs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSecs);
        String last = "no answer yet";
        boolean registered = false;
        while (System.nanoTime() < deadline) {
            try {
                if (!registered) {
                    int seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    registered = seen >= brokers;
                    last = seen + " of " + brokers + " brokers registered";
                }
                if (registered) {
                    // FindCoordinator for a probe group: creates __consumer_offsets
                    // and answers once its partition has a leader.
                    admin.listConsumerGroupOffsets("kafka-dev-ready-probe")
                            .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = String.valueOf(e.getCause() != null ? e.getCause() : e);
            }
            Thread.sleep(250);
        }
        System.err.println("not ready within " + timeoutSecs + " s: " + last);
        System.exit(1);
    }

    private static void topics(Admin admin, int partitions, short replication, List<String> names)
            throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, partitions, replication));
        }
        var results = admin.createTopics(topics).values();
        boolean failed = false;
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    System.err.println("create " + entry.getKey() + ": " + e.getCause());
                    failed = true;
                }
            }
        }
        if (failed) {
            System.exit(1);
        }
    }
}
