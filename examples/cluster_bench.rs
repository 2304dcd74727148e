//! Throughput of the clustering core (`ClusterIndex::add`) on one core:
//! `cargo run --release --example cluster_bench [-- EVENTS]`
//!
//! Two streams of synthetic event records (the published JSON, decoded as
//! the Kafka stage decodes it):
//! - **mixed**: 300 country pairs, talks and visits spread over two years,
//!   each real event told by 6 outlets over 3 days, in publication order;
//!   blocks grow to ~100 clusters each, as a long-running worker's would;
//! - **one big story**: every report joins one cluster (a summit covered by
//!   thousands of outlets), which stresses the per-add merge.
//!
//! Decoding is timed apart from clustering. Compare with the event rate of
//! `attache run` (BENCHMARKS.md, "End-to-end pipeline").
use std::collections::BTreeSet;
use std::time::Instant;

use attache::cluster::paging::Pager;
use attache::cluster::shard::{Shard, ShardOutput, ShardedRun};
use attache::cluster::{new_index, EventView, Knowledge};
use attache::config::Config;
use serde_json::json;

const COUNTRIES: [&str; 25] = [
    "USA", "CHN", "RUS", "IND", "JPN", "KOR", "FRA", "DEU", "GBR", "BRA", "ZAF", "EGY", "SAU",
    "TUR", "IDN", "VNM", "AUS", "CAN", "MEX", "ARG", "NGA", "KEN", "ITA", "ESP", "POL",
];

fn event_json(
    id: usize,
    kind: usize,
    a: &str,
    b: &str,
    day: chrono::NaiveDate,
    report: usize,
) -> Vec<u8> {
    let published = day + chrono::Duration::days((report % 3) as i64);
    let dialogue = kind % 2 == 0;
    let value = if dialogue {
        json!({
            "schema": "attache.event/v1", "record": "event", "id": format!("e{id}"),
            "type": "dialogue_held", "status": "occurred",
            "actors": [
                {"name": format!("Leader {a}"), "role": "participant", "kind": "person", "title": "President", "country": a},
                {"name": format!("Leader {b}"), "role": "participant", "kind": "person", "title": "Prime Minister", "country": b},
            ],
            "location": {"name": format!("Capital {a}"), "country": a},
            "start_date": day, "end_date": day, "mode": "in_person",
            "cameo": "043", "confidence": 0.8,
            "article": {"source_url": format!("https://www.outlet{report}.com/{id}"), "canonical_url": format!("https://www.outlet{report}.com/{id}"),
                        "published": format!("{published}T10:00:00Z")},
        })
    } else {
        json!({
            "schema": "attache.event/v1", "record": "event", "id": format!("e{id}"),
            "type": "state_visit_announced", "status": "planned",
            "actors": [
                {"name": format!("Leader {a}"), "role": "visitor", "kind": "person", "title": "President", "country": a},
                {"name": b, "role": "host", "kind": "country", "country": b},
            ],
            "location": {"name": b, "country": b},
            "start_date": day + chrono::Duration::days(20), "end_date": day + chrono::Duration::days(22),
            "visit_level": "state",
            "article": {"source_url": format!("https://news{report}.co.uk/{id}"), "published": format!("{published}T08:00:00Z")},
        })
    };
    serde_json::to_vec(&value).unwrap()
}

fn mixed(events: usize) -> Vec<Vec<u8>> {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let reports = 6;
    let mut out = Vec::with_capacity(events);
    let mut real = 0usize;
    while out.len() < events {
        // Real event `real`: a pair, a kind, a day; consecutive real events
        // move through two years.
        let a = COUNTRIES[real % COUNTRIES.len()];
        let b = COUNTRIES[(real / COUNTRIES.len() + 1 + real) % COUNTRIES.len()];
        let b = if a == b {
            COUNTRIES[(real + 3) % COUNTRIES.len()]
        } else {
            b
        };
        let day = start + chrono::Duration::days(((real * 7919) % 730) as i64);
        for r in 0..reports {
            out.push(event_json(out.len(), real, a, b, day, r));
        }
        real += 1;
    }
    out.truncate(events);
    out
}

fn one_story(events: usize) -> Vec<Vec<u8>> {
    let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
    (0..events)
        .map(|i| event_json(i, 0, "CHN", "FRA", day, i))
        .collect()
}

fn run(name: &str, stream: &[Vec<u8>], config: &Config) {
    let started = Instant::now();
    let decoded = decode_all(stream);
    let decode = started.elapsed();
    let mut index = new_index(config).unwrap();
    let started = Instant::now();
    let cpu_started = thread_cpu_seconds();
    let mut records_out = 0usize;
    for event in decoded {
        records_out += index.add(event).len();
    }
    let add = started.elapsed();
    let add_cpu = thread_cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    let n = stream.len() as f64;
    println!(
        "{name}: {} events -> {} clusters, {records_out} records out | decode {:.0} events/s | add {:.0} events/s ({:.1} us/event) | both {:.0} events/s | add per CPU-second {}",
        stream.len(),
        index.len(),
        n / decode.as_secs_f64(),
        n / add.as_secs_f64(),
        add.as_secs_f64() * 1e6 / n,
        n / (decode + add).as_secs_f64(),
        add_cpu.map_or("n/a".to_string(), |cpu| format!("{:.0} events", n / cpu)),
    );
}

/// The stream's events, decoded as the stage reads them off Kafka.
fn decode_all(stream: &[Vec<u8>]) -> Vec<EventView> {
    stream
        .iter()
        .map(|b| EventView::from_json(b).unwrap())
        .collect()
}

/// The partitioned stage on one thread: every report through the fan-out
/// to each of its countries' partitions (4 partitions, one shard each) and
/// the hand-overs between shards, as `attache cluster --kafka` does it with
/// four workers, without Kafka. Rates are per input report, all shards'
/// work counted.
fn run_partitioned(name: &str, stream: &[Vec<u8>], config: &Config) {
    let decoded = decode_all(stream);
    let knowledge = std::sync::Arc::new(Knowledge::load(config).unwrap());
    let mut run = ShardedRun::new(&config.cluster, knowledge, 4, 4);
    let started = Instant::now();
    let cpu_started = thread_cpu_seconds();
    for event in decoded {
        run.send(event);
        run.step();
    }
    run.settle();
    let took = started.elapsed();
    let cpu = thread_cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    let n = stream.len() as f64;
    println!(
        "{name}, partitioned (4 shards): {} events -> {} rows, {} hand-overs | {:.0} events/s ({:.1} us/event) | per CPU-second {}",
        stream.len(),
        run.clusters().len(),
        run.forwards,
        n / took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n,
        cpu.map_or("n/a".to_string(), |cpu| format!("{:.0} events", n / cpu)),
    );
}

/// The Kafka loop's work per report on a large cluster: the shard's add
/// (which copies out the changed records), then those records laid out
/// under `cluster.max_record_bytes` by a `Pager` (member pages once the
/// cluster outgrows `cluster.max_embedded_members`; only changed pages).
fn run_with_paging(name: &str, stream: &[Vec<u8>], config: &Config) {
    let decoded = decode_all(stream);
    let mut shard = Shard::new(new_index(config).unwrap(), BTreeSet::from([0]), 1);
    let mut pager = Pager::new(config.cluster.max_embedded_members);
    let limit = config.cluster.max_record_bytes;
    let started = Instant::now();
    let cpu_started = thread_cpu_seconds();
    // Bytes to send; most pages sent for one change.
    let (mut bytes, mut pages) = (0usize, 0usize);
    for event in decoded {
        for output in shard.add_report(event) {
            let ShardOutput::Publish(id) = output else {
                unreachable!("one partition owns everything")
            };
            let paged = pager.page(shard.record(&id).unwrap(), limit).unwrap();
            bytes += paged.record.len() + paged.pages.iter().map(|(_, p)| p.len()).sum::<usize>();
            pages = pages.max(paged.pages.len());
        }
    }
    let took = started.elapsed();
    let cpu = thread_cpu_seconds()
        .zip(cpu_started)
        .map(|(end, start)| end - start);
    let n = stream.len() as f64;
    println!(
        "{name}, shard add + paging under {limit} bytes and {} members: {} events | {:.0} events/s ({:.1} us/event) | per CPU-second {} | at most {} member pages sent for one change, {:.1} MB to send in all",
        config.cluster.max_embedded_members,
        stream.len(),
        n / took.as_secs_f64(),
        took.as_secs_f64() * 1e6 / n,
        cpu.map_or("n/a".to_string(), |cpu| format!("{:.0} events", n / cpu)),
        pages,
        bytes as f64 / 1e6,
    );
}

/// CPU time of this thread (Linux `/proc/thread-self/schedstat`, first
/// field, nanoseconds on a CPU): on a shared machine wall-clock rates
/// understate what one core does.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

fn main() {
    let events: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let config = Config::default();
    run("mixed", &mixed(events), &config);
    run("one big story", &one_story(events.min(5_000)), &config);
    run_partitioned("mixed", &mixed(events.min(50_000)), &config);
    let story = one_story(events.min(5_000));
    run_with_paging("one big story", &story, &config);
    // The same reports in publication order (they cycle over three days
    // above, so each lands mid-list and shifts every later page).
    let mut in_order: Vec<(usize, Vec<u8>)> = story.into_iter().enumerate().collect();
    in_order.sort_by_key(|(i, _)| (i % 3, *i));
    let in_order: Vec<Vec<u8>> = in_order.into_iter().map(|(_, e)| e).collect();
    run_with_paging("one big story in publication order", &in_order, &config);
}
