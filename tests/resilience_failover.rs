//! Broker failover on a three-node Apache Kafka cluster: the leader of the
//! input's first partition is SIGKILLed mid-run and later restarted, then
//! every node is restarted in turn. At-least-once: nothing is lost.
//! (The scenario, shared with the exactly-once variant, is in
//! support/failover.rs.)
#[path = "support/failover.rs"]
mod failover;
#[path = "support/kafka.rs"]
mod kafka;
#[path = "support/outputs.rs"]
mod outputs;
#[path = "support/pages.rs"]
mod pages;
#[path = "support/worker_process.rs"]
mod worker_process;

use failover::{broker_failover, DeliveryMode};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leader_killed_and_rolling_restart_lose_nothing_at_least_once() {
    let report = broker_failover(
        kafka::slots::FAILOVER_AT_LEAST_ONCE,
        DeliveryMode::at_least_once(),
    )
    .await;
    let not_ready: Vec<_> = report
        .readyz_changes
        .iter()
        .filter(|c| c.status != Some(200))
        .collect();
    println!(
        "failover (at-least-once): {} URLs, node {} SIGKILLed at {} done, {:.1?} to {} more, \
         lost {}, duplicates {} of {} distinct outputs, /readyz not ready {} times: {:?}, wall {:.1?}",
        report.produced,
        report.killed_node,
        report.done_at_kill,
        report.progress_after_kill,
        60,
        report.lost,
        report.duplicates,
        report.distinct_outputs,
        not_ready.len(),
        not_ready,
        report.wall
    );
}
