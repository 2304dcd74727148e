//! The Kafka edge shared by every client attache creates: client settings,
//! the consumer context (rebalances and commits as messages to the consume
//! loop), the offset bookkeeping and the publisher.
//!
//! Nothing here knows about pages or events; [`crate::worker`] wires these
//! parts into the consume -> pipeline -> publish -> commit loop.
pub mod context;
pub mod offsets;
pub mod publisher;

use rdkafka::ClientConfig;

use crate::config::{Config, Delivery};

pub use context::{GroupContext, GroupEvent};
pub use offsets::{OffsetTracker, Ticket};
pub use publisher::{Publisher, PublisherContext};

/// librdkafka settings shared by every client attache creates.
pub fn client_config(config: &Config) -> ClientConfig {
    let mut client = ClientConfig::new();
    client.set("bootstrap.servers", &config.kafka.brokers);
    client
}

/// Applies the user's pass-through properties last, so they win.
pub fn apply_passthrough(client: &mut ClientConfig, config: &Config) {
    for (key, value) in &config.kafka.properties {
        client.set(key, value);
    }
}

/// The worker's consumer: manual offsets, statistics for lag and health.
/// Under exactly-once it reads only committed records of its input, so a
/// transactional upstream's aborted records never become events.
pub fn consumer_config(config: &Config) -> ClientConfig {
    let mut client = client_config(config);
    client
        .set("group.id", &config.kafka.group_id)
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("auto.offset.reset", "earliest")
        .set(
            "session.timeout.ms",
            config.kafka.session_timeout_ms.to_string(),
        )
        .set("statistics.interval.ms", "1000")
        // Incremental: a joining or leaving member moves only the partitions
        // that change owner; the others keep running.
        .set("partition.assignment.strategy", "cooperative-sticky");
    if config.kafka.delivery == Delivery::ExactlyOnce {
        client.set("isolation.level", "read_committed");
    }
    apply_passthrough(&mut client, config);
    client
}

/// A reader of attache's outputs (`attache tail`, tests). `read_committed`
/// hides records of open and aborted transactions, which is what a
/// downstream consumer of an exactly-once worker must use.
pub fn reader_config(config: &Config, group_id: &str, read_committed: bool) -> ClientConfig {
    let mut client = client_config(config);
    client
        .set("group.id", group_id)
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set(
            "isolation.level",
            if read_committed {
                "read_committed"
            } else {
                "read_uncommitted"
            },
        );
    apply_passthrough(&mut client, config);
    client
}
