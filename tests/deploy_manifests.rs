//! Structural checks of the operability files: the manifests under deploy/,
//! the Dockerfile, and the docs that describe them. No network, no broker,
//! no cluster: kubeconform/kubectl are not available, so these tests check
//! what attache itself defines (ports, paths, timeouts, topic and group,
//! metric names and labels) against what the files say.
#[path = "support/metric_names.rs"]
mod metric_names;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use attache::config::Config;
use attache::metrics::Metrics;
use metric_names::{Expression, Family};
use serde::Deserialize;
use serde_norway::Value;

fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(crate_root().join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// Every document of a (possibly multi-document) YAML text. Empty documents
/// (a trailing `---`) are dropped; any syntax error names the document.
fn parse_yaml_documents(text: &str, label: &str) -> Result<Vec<Value>, String> {
    let mut documents = Vec::new();
    for (index, document) in serde_norway::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(document)
            .map_err(|e| format!("{label}: document {index} is not valid YAML: {e}"))?;
        if !value.is_null() {
            documents.push(value);
        }
    }
    Ok(documents)
}

fn yaml_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(yaml_files_under(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// All Kubernetes objects of deploy/k8s (kustomization files excluded).
fn k8s_objects() -> Vec<Value> {
    let mut objects = Vec::new();
    for path in yaml_files_under(&crate_root().join("deploy/k8s")) {
        if path.file_name().is_some_and(|n| n == "kustomization.yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        objects.extend(parse_yaml_documents(&text, &path.display().to_string()).unwrap());
    }
    objects
}

fn k8s_object(kind: &str) -> Value {
    let mut found: Vec<Value> = k8s_objects()
        .into_iter()
        .filter(|o| o["kind"].as_str() == Some(kind))
        .collect();
    assert_eq!(found.len(), 1, "expected exactly one {kind} in deploy/k8s");
    found.remove(0)
}

fn str_at<'a>(value: &'a Value, what: &str) -> &'a str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is missing or not a string: {value:?}"))
}

fn string_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_mapping()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => serde_norway::to_string(other).unwrap().trim().to_string(),
            };
            (k.as_str().unwrap_or_default().to_string(), v)
        })
        .collect()
}

/// A non-empty label selector that matches the label set `labels`.
fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn metrics_port() -> u16 {
    Config::default()
        .metrics
        .listen
        .parse::<std::net::SocketAddr>()
        .expect("default metrics.listen is a socket address")
        .port()
}

/// Every family attache exports, with its type and label names.
fn exported_families() -> BTreeMap<String, Family> {
    let metrics = Metrics::new().expect("metrics register");
    // A labelled vector exports nothing until it has a label set; give each
    // one a placeholder so the registry reports every family.
    metrics.events_published.with_label_values(&["probe"]);
    metrics.dlq_records.with_label_values(&["probe", "probe"]);
    metrics.errors.with_label_values(&["probe", "probe"]);
    metrics.consumer_lag.with_label_values(&["probe", "0"]);
    metrics.stage_duration.with_label_values(&["probe"]);
    families_of(&metrics)
}

fn families_of(metrics: &Metrics) -> BTreeMap<String, Family> {
    use prometheus::proto::MetricType;
    metrics
        .registry
        .gather()
        .iter()
        .map(|family| {
            let kind = match family.get_field_type() {
                MetricType::COUNTER => "counter",
                MetricType::GAUGE => "gauge",
                MetricType::HISTOGRAM => "histogram",
                MetricType::SUMMARY => "summary",
                MetricType::UNTYPED => "untyped",
            };
            let labels = family
                .get_metric()
                .iter()
                .flat_map(|m| m.get_label().iter().map(|l| l.name().to_string()))
                .collect();
            (
                family.name().to_string(),
                Family {
                    kind: kind.to_string(),
                    labels,
                },
            )
        })
        .collect()
}

// ---------------------------------------------------------------- YAML ----

#[test]
fn every_yaml_file_under_deploy_parses() {
    let files = yaml_files_under(&crate_root().join("deploy"));
    let names: BTreeSet<String> = files
        .iter()
        .map(|p| p.strip_prefix(crate_root()).unwrap().display().to_string())
        .collect();
    for expected in [
        "deploy/k8s/kustomization.yaml",
        "deploy/k8s/deployment.yaml",
        "deploy/k8s/service.yaml",
        "deploy/k8s/poddisruptionbudget.yaml",
        "deploy/k8s/servicemonitor.yaml",
        "deploy/k8s/scaledobject.yaml",
        "deploy/prometheus/alerts.yaml",
        "deploy/docker-compose.kafka.yml",
    ] {
        assert!(
            names.contains(expected),
            "{expected} missing; found {names:?}"
        );
    }
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let documents = parse_yaml_documents(&text, &path.display().to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!documents.is_empty(), "{} has no document", path.display());
        for document in &documents {
            assert!(
                document.is_mapping(),
                "{}: top level is not a mapping",
                path.display()
            );
        }
    }
    // Kubernetes objects carry the fields every apply needs.
    for object in k8s_objects() {
        for field in ["apiVersion", "kind"] {
            str_at(&object[field], field);
        }
        str_at(&object["metadata"]["name"], "metadata.name");
    }
}

#[test]
fn yaml_parsing_is_multi_document_and_reports_bad_input() {
    let documents = parse_yaml_documents("a: 1\n---\nb: 2\n---\n", "two.yaml").unwrap();
    assert_eq!(documents.len(), 2);
    assert_eq!(documents[1]["b"].as_u64(), Some(2));

    let err = parse_yaml_documents("a: 1\n---\nb: [1, 2\n", "broken.yaml").unwrap_err();
    assert!(
        err.contains("broken.yaml") && err.contains("document 1"),
        "{err}"
    );
    let err = parse_yaml_documents("key: value\n bad indent: x\n", "indent.yaml").unwrap_err();
    assert!(err.contains("indent.yaml"), "{err}");
}

// ---------------------------------------------------------- kustomize ----

#[test]
fn kustomization_lists_every_manifest_and_generates_the_config() {
    let kustomization =
        &parse_yaml_documents(&read("deploy/k8s/kustomization.yaml"), "k").unwrap()[0];
    let resources: BTreeSet<String> = kustomization["resources"]
        .as_sequence()
        .expect("resources")
        .iter()
        .map(|r| str_at(r, "resource").to_string())
        .collect();
    for resource in &resources {
        let path = crate_root().join("deploy/k8s").join(resource);
        assert!(
            path.exists(),
            "kustomization resource {resource} does not exist"
        );
        if path.is_dir() {
            assert!(
                path.join("kustomization.yaml").exists(),
                "{resource} is a directory without kustomization.yaml"
            );
        }
    }
    for path in yaml_files_under(&crate_root().join("deploy/k8s")) {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name != "kustomization.yaml" {
            assert!(
                resources.contains(&name),
                "{name} is not listed in resources"
            );
        }
    }
    assert!(
        resources.contains("../prometheus"),
        "the alert rules are not part of the kustomization"
    );

    let generator = &kustomization["configMapGenerator"][0];
    assert_eq!(generator["name"].as_str(), Some("attache-config"));
    let files: Vec<&str> = generator["files"]
        .as_sequence()
        .expect("files")
        .iter()
        .map(|f| str_at(f, "file"))
        .collect();
    assert_eq!(files, ["attache.toml"]);
}

#[test]
fn the_kubernetes_config_file_is_a_valid_attache_config() {
    let config = Config::from_toml_str(&read("deploy/k8s/attache.toml"))
        .unwrap_or_else(|e| panic!("deploy/k8s/attache.toml: {e}"));
    let defaults = Config::default();
    assert_eq!(config.topics.input, defaults.topics.input);
    assert_eq!(config.kafka.group_id, defaults.kafka.group_id);
    assert!(config.events.rules_dir.is_absolute());
    assert!(config.events.gazetteer_dir.is_absolute());
}

// --------------------------------------------------------- Deployment ----

#[test]
fn deployment_outlives_the_shutdown_timeout_and_probes_the_health_endpoints() {
    let deployment = k8s_object("Deployment");
    let pod = &deployment["spec"]["template"]["spec"];
    let grace = pod["terminationGracePeriodSeconds"]
        .as_u64()
        .expect("terminationGracePeriodSeconds");
    let default_timeout = Config::default().worker.shutdown_timeout_secs;
    let mounted = Config::from_toml_str(&read("deploy/k8s/attache.toml")).unwrap();
    assert!(
        grace > default_timeout && grace > mounted.worker.shutdown_timeout_secs,
        "terminationGracePeriodSeconds {grace} must exceed worker.shutdown_timeout_secs \
         ({default_timeout} by default, {} in deploy/k8s/attache.toml)",
        mounted.worker.shutdown_timeout_secs
    );
    assert!(
        deployment["spec"].get("replicas").is_none(),
        "replicas is owned by KEDA; a fixed value fights the HPA"
    );

    let containers = pod["containers"].as_sequence().expect("containers");
    assert_eq!(containers.len(), 1);
    let container = &containers[0];
    let ports = container["ports"].as_sequence().expect("ports");
    let port_named = |name: &str| -> Option<u64> {
        ports
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .and_then(|p| p["containerPort"].as_u64())
    };
    assert_eq!(port_named("metrics"), Some(u64::from(metrics_port())));
    let mounted_port = mounted
        .metrics
        .listen
        .parse::<std::net::SocketAddr>()
        .unwrap()
        .port();
    assert_eq!(mounted_port, metrics_port());

    for (probe, path) in [
        ("livenessProbe", "/livez"),
        ("readinessProbe", "/readyz"),
        ("startupProbe", "/livez"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"].as_str(), Some(path), "{probe} path");
        let port = match &get["port"] {
            Value::String(name) => port_named(name),
            other => other.as_u64(),
        };
        assert_eq!(port, Some(u64::from(metrics_port())), "{probe} port");
    }

    for kind in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            assert!(
                container["resources"][kind][resource].as_str().is_some(),
                "resources.{kind}.{resource} missing"
            );
        }
    }

    let security = &container["securityContext"];
    assert_eq!(security["readOnlyRootFilesystem"].as_bool(), Some(true));
    assert_eq!(security["allowPrivilegeEscalation"].as_bool(), Some(false));
    assert_eq!(pod["securityContext"]["runAsNonRoot"].as_bool(), Some(true));
    assert!(pod["securityContext"]["runAsUser"].as_u64().unwrap_or(0) > 0);

    let env = string_map(&Value::Mapping(
        container["env"]
            .as_sequence()
            .expect("env")
            .iter()
            .map(|e| (e["name"].clone(), e["value"].clone()))
            .collect(),
    ));
    assert!(
        env.get("ATTACHE_KAFKA__BROKERS")
            .is_some_and(|b| !b.is_empty()),
        "ATTACHE_KAFKA__BROKERS is not set: {env:?}"
    );

    // The config path in args lies in the ConfigMap volume's mount.
    let args: Vec<&str> = container["args"]
        .as_sequence()
        .expect("args")
        .iter()
        .map(|a| str_at(a, "arg"))
        .collect();
    let config_path = args
        .windows(2)
        .find(|w| w[0] == "--config")
        .map(|w| w[1])
        .expect("--config in args");
    let volume = pod["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|v| v["configMap"]["name"].as_str() == Some("attache-config"))
        .expect("a volume from ConfigMap attache-config");
    let mount = container["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["name"] == volume["name"])
        .expect("the config volume is mounted");
    assert_eq!(
        format!("{}/attache.toml", str_at(&mount["mountPath"], "mountPath")),
        config_path
    );
}

#[test]
fn service_pdb_and_service_monitor_select_the_pods() {
    let deployment = k8s_object("Deployment");
    let pod_labels = string_map(&deployment["spec"]["template"]["metadata"]["labels"]);
    let deployment_selector = string_map(&deployment["spec"]["selector"]["matchLabels"]);
    assert!(selects(&deployment_selector, &pod_labels));

    let service = k8s_object("Service");
    assert!(selects(
        &string_map(&service["spec"]["selector"]),
        &pod_labels
    ));
    let service_ports: Vec<&Value> = service["spec"]["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .collect();
    assert!(service_ports
        .iter()
        .any(|p| p["name"].as_str() == Some("metrics")
            && p["port"].as_u64() == Some(u64::from(metrics_port()))));

    let pdb = k8s_object("PodDisruptionBudget");
    assert!(selects(
        &string_map(&pdb["spec"]["selector"]["matchLabels"]),
        &pod_labels
    ));

    let monitor = k8s_object("ServiceMonitor");
    let service_labels = string_map(&service["metadata"]["labels"]);
    assert!(selects(
        &string_map(&monitor["spec"]["selector"]["matchLabels"]),
        &service_labels
    ));
    let endpoints = monitor["spec"]["endpoints"]
        .as_sequence()
        .expect("endpoints");
    for endpoint in endpoints {
        let port = str_at(&endpoint["port"], "endpoint port");
        assert!(
            service_ports
                .iter()
                .any(|p| p["name"].as_str() == Some(port)),
            "ServiceMonitor port {port} is not a Service port"
        );
        assert_eq!(endpoint["path"].as_str(), Some("/metrics"));
    }
    // The alerts match up{job=~"attache.*"}; the job is the Service name.
    assert!(str_at(&service["metadata"]["name"], "service name").starts_with("attache"));
}

#[test]
fn scaled_object_scales_on_the_input_topic_within_the_partition_count() {
    let scaled = k8s_object("ScaledObject");
    let deployment = k8s_object("Deployment");
    assert_eq!(
        scaled["spec"]["scaleTargetRef"]["name"],
        deployment["metadata"]["name"]
    );
    let min = scaled["spec"]["minReplicaCount"].as_u64().unwrap_or(0);
    let max = scaled["spec"]["maxReplicaCount"]
        .as_u64()
        .expect("maxReplicaCount must be set (= partition count)");
    assert!(min >= 1 && max >= min, "min {min}, max {max}");

    let triggers = scaled["spec"]["triggers"].as_sequence().expect("triggers");
    let kafka = triggers
        .iter()
        .find(|t| t["type"].as_str() == Some("kafka"))
        .expect("a kafka trigger");
    let metadata = string_map(&kafka["metadata"]);
    let defaults = Config::default();
    assert_eq!(metadata.get("topic"), Some(&defaults.topics.input));
    assert_eq!(
        metadata.get("consumerGroup"),
        Some(&defaults.kafka.group_id)
    );
    assert!(metadata
        .get("bootstrapServers")
        .is_some_and(|b| !b.is_empty()));
    let threshold = metadata.get("lagThreshold").expect("lagThreshold");
    assert!(
        threshold.parse::<u64>().is_ok_and(|t| t > 0),
        "lagThreshold `{threshold}` is not a positive integer"
    );
    // The compose demo creates the input topic with the same partition count.
    let compose = read("deploy/docker-compose.kafka.yml");
    assert!(
        compose.contains(&format!("create {} {max}\n", defaults.topics.input)),
        "docker-compose.kafka.yml should create {} with {max} partitions",
        defaults.topics.input
    );
}

// ---------------------------------------------------- dashboard, alerts ----

#[test]
fn dashboard_is_valid_json_with_the_expected_panels() {
    let dashboard: serde_json::Value =
        serde_json::from_str(&read(metric_names::DASHBOARD)).expect("dashboard is valid JSON");
    let panels = dashboard["panels"].as_array().expect("panels");
    let titles: BTreeSet<&str> = panels.iter().filter_map(|p| p["title"].as_str()).collect();
    for expected in [
        "URLs/s by outcome",
        "Fetch latency p50/p95/p99",
        "Errors by kind",
        "DLQ rate",
        "Events/s by type",
        "Consumer lag per partition",
        "In-flight messages",
        "End-to-end latency p50/p95/p99",
        "Producer queue depth",
        "Build info",
    ] {
        assert!(
            titles.contains(expected),
            "no panel `{expected}`; have {titles:?}"
        );
    }

    let variables = dashboard["templating"]["list"]
        .as_array()
        .expect("templating");
    assert!(variables
        .iter()
        .any(|v| v["name"] == "DS_PROMETHEUS" && v["type"] == "datasource"));
    let mut ids = BTreeSet::new();
    for panel in panels {
        assert!(
            ids.insert(panel["id"].as_u64().expect("panel id")),
            "duplicate id"
        );
        if panel["type"] == "row" {
            continue;
        }
        let title = panel["title"].as_str().unwrap_or("?");
        assert_eq!(panel["datasource"]["uid"], "${DS_PROMETHEUS}", "{title}");
        let targets = panel["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "{title} has no query");
        for target in targets {
            assert_eq!(target["datasource"]["uid"], "${DS_PROMETHEUS}", "{title}");
        }
        let grid = &panel["gridPos"];
        let (x, w) = (grid["x"].as_u64().unwrap(), grid["w"].as_u64().unwrap());
        assert!(x + w <= 24, "{title} is wider than the dashboard");
    }
    // The percentile panels really ask for the three percentiles.
    for title in [
        "Fetch latency p50/p95/p99",
        "End-to-end latency p50/p95/p99",
    ] {
        let panel = panels.iter().find(|p| p["title"] == title).unwrap();
        let exprs: Vec<&str> = panel["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["expr"].as_str().unwrap())
            .collect();
        for q in ["0.5", "0.95", "0.99"] {
            assert!(
                exprs
                    .iter()
                    .any(|e| e.starts_with(&format!("histogram_quantile({q},"))),
                "{title} lacks quantile {q}"
            );
        }
    }
}

#[test]
fn every_metric_the_dashboard_and_alerts_query_is_exported_with_those_labels() {
    let expressions = metric_names::load_referenced_expressions(crate_root()).unwrap();
    let referenced = metric_names::referenced_metric_names(&expressions);
    assert!(
        referenced.len() >= 10,
        "suspiciously few metrics referenced: {referenced:?}"
    );
    let problems = metric_names::reference_problems(&expressions, &exported_families());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reference_check_catches_unknown_metrics_and_labels() {
    let families = exported_families();
    let expr = |expr: &str| {
        vec![Expression {
            source: "test".into(),
            expr: expr.into(),
        }]
    };
    let ok = "histogram_quantile(0.9, sum by (le, stage) (rate(attache_stage_duration_seconds_bucket{job=~\"x\"}[5m])))";
    assert_eq!(
        metric_names::reference_problems(&expr(ok), &families),
        Vec::<String>::new()
    );

    let unknown =
        metric_names::reference_problems(&expr("rate(attache_urls_total[5m])"), &families);
    assert!(
        unknown[0].contains("`attache_urls_total` is not a metric"),
        "{unknown:?}"
    );
    // _bucket belongs to histograms only.
    let bucket = metric_names::reference_problems(
        &expr("attache_messages_consumed_total_bucket"),
        &families,
    );
    assert_eq!(bucket.len(), 1, "{bucket:?}");
    let label = metric_names::reference_problems(
        &expr("attache_fetch_results_total{status=\"5xx\"}"),
        &families,
    );
    assert!(label[0].contains("has no label `status`"), "{label:?}");
    let grouping = metric_names::reference_problems(
        &expr("sum by (kind) (rate(attache_urls_processed_total[5m]))"),
        &families,
    );
    assert!(grouping[0].contains("groups by `kind`"), "{grouping:?}");

    // Names are whole words outside string literals: neither a longer name,
    // a recording rule nor a label value is taken for a metric.
    assert_eq!(
        metric_names::metric_names_in("my_attache_x + job:attache_y + attache_z{a=\"attache_w\"}"),
        BTreeSet::from(["attache_z".to_string()])
    );
}

#[test]
fn families_read_from_a_scrape_match_the_registry() {
    let metrics = Metrics::new().unwrap();
    metrics.events_published.with_label_values(&["probe"]);
    metrics.dlq_records.with_label_values(&["probe", "probe"]);
    metrics.errors.with_label_values(&["probe", "probe"]);
    metrics.consumer_lag.with_label_values(&["probe", "0"]);
    metrics.stage_duration.with_label_values(&["probe"]);
    let scraped = metric_names::families_in_exposition(&metrics.render());
    assert_eq!(scraped, families_of(&metrics));
}

#[test]
fn alert_rules_are_complete_and_have_runbooks() {
    let documents =
        parse_yaml_documents(&read(metric_names::ALERTS), metric_names::ALERTS).unwrap();
    assert_eq!(documents.len(), 1);
    let rule_file = &documents[0];
    assert_eq!(
        rule_file["apiVersion"].as_str(),
        Some("monitoring.coreos.com/v1")
    );
    assert_eq!(rule_file["kind"].as_str(), Some("PrometheusRule"));
    let operations = read("docs/operations.md");
    let mut alerts = BTreeMap::new();
    for group in rule_file["spec"]["groups"].as_sequence().expect("groups") {
        for rule in group["rules"].as_sequence().expect("rules") {
            let name = str_at(&rule["alert"], "alert").to_string();
            let severity = str_at(&rule["labels"]["severity"], "severity");
            assert!(
                ["warning", "critical"].contains(&severity),
                "{name}: severity {severity}"
            );
            for annotation in ["summary", "description"] {
                assert!(
                    rule["annotations"][annotation]
                        .as_str()
                        .is_some_and(|a| a.len() > 20),
                    "{name}: annotation {annotation} missing or empty"
                );
            }
            assert!(
                operations.contains(&format!("### {name}\n")),
                "docs/operations.md has no runbook section `### {name}`"
            );
            alerts.insert(name, rule.clone());
        }
    }
    let expr = |name: &str| -> String {
        let rule = alerts
            .get(name)
            .unwrap_or_else(|| panic!("alert {name} missing"));
        str_at(&rule["expr"], "expr")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let for_ = |name: &str| alerts[name]["for"].as_str().unwrap_or("").to_string();

    let lag = expr("AttacheConsumerLagGrowing");
    assert!(lag.starts_with("deriv(") && lag.contains(") > 0"), "{lag}");
    assert_eq!(for_("AttacheConsumerLagGrowing"), "10m");
    let dlq = expr("AttacheHighDlqRatio");
    assert!(
        dlq.contains("attache_dlq_records_total")
            && dlq.contains("/ sum(rate(attache_messages_consumed_total")
            && dlq.contains("[15m]")
            && dlq.ends_with("> 0.2"),
        "{dlq}"
    );
    let fetch = expr("AttacheFetchErrorRatioHigh");
    assert!(fetch.contains("attache_fetch_results_total"), "{fetch}");
    let silent = expr("AttacheNoEventsPublished");
    assert!(
        silent.contains("attache_urls_processed_total")
            && silent.contains("attache_events_published_total")
            && silent.contains("or vector(0)"),
        "{silent}"
    );
    assert_eq!(expr("AttacheTargetDown"), "up{job=~\"attache.*\"} == 0");
}

// ---------------------------------------------------------------- docs ----

#[test]
fn metrics_doc_lists_every_exported_metric_with_type_and_labels() {
    let doc = read("docs/metrics.md");
    let mut documented = BTreeMap::new();
    for line in doc.lines().filter(|l| l.starts_with("| `attache_")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 4, "row should have 4 cells: {line}");
        let name = cells[0].trim_matches('`').to_string();
        let labels: BTreeSet<String> = cells[2]
            .split(',')
            .map(|l| l.trim().trim_matches('`').to_string())
            .filter(|l| !l.is_empty() && l != "-")
            .collect();
        assert!(cells[3].len() > 10, "{name}: no meaning given");
        let previous = documented.insert(
            name.clone(),
            Family {
                kind: cells[1].to_string(),
                labels,
            },
        );
        assert!(previous.is_none(), "{name} documented twice");
    }
    let exported = exported_families();
    let missing: Vec<&String> = exported
        .keys()
        .filter(|n| !documented.contains_key(*n))
        .collect();
    let extra: Vec<&String> = documented
        .keys()
        .filter(|n| !exported.contains_key(*n))
        .collect();
    assert!(missing.is_empty(), "not in docs/metrics.md: {missing:?}");
    assert!(extra.is_empty(), "documented but not exported: {extra:?}");
    for (name, family) in &exported {
        assert_eq!(&documented[name], family, "docs/metrics.md row for {name}");
    }
}

// ---------------------------------------------------- Dockerfile, compose ----

#[test]
fn dockerfile_runs_the_worker_as_non_root_on_the_metrics_port() {
    let dockerfile = read("Dockerfile");
    let instructions: Vec<String> = dockerfile
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let last = |keyword: &str| -> String {
        instructions
            .iter()
            .rev()
            .find(|l| l.starts_with(&format!("{keyword} ")))
            .unwrap_or_else(|| panic!("no {keyword} in Dockerfile"))
            .clone()
    };
    assert_eq!(last("EXPOSE"), format!("EXPOSE {}", metrics_port()));
    assert_eq!(last("ENTRYPOINT"), r#"ENTRYPOINT ["attache"]"#);
    assert_eq!(
        last("CMD"),
        r#"CMD ["run", "--config", "/etc/attache/attache.toml"]"#
    );
    // Non-root with the uid the Deployment's securityContext asserts.
    let uid = k8s_object("Deployment")["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
        .as_u64()
        .unwrap();
    assert!(
        last("USER").starts_with(&format!("USER {uid}")),
        "{}",
        last("USER")
    );
    // Multi-stage: the runtime stage is a slim Debian with TLS libraries.
    let stages: Vec<&String> = instructions
        .iter()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert!(stages.len() >= 2, "not multi-stage");
    assert!(stages.last().unwrap().contains("debian:"), "{stages:?}");
    // scripts/image.sh replaces the `binary` stage with a prebuilt binary
    // (--build-context binary=DIR holding `attache`): the runtime must take
    // the binary from that stage only, and the stage must hold just it.
    let binary_stage = instructions
        .iter()
        .skip_while(|l| !l.starts_with("FROM ") || !l.ends_with(" AS binary"))
        .take_while(|l| !l.starts_with("FROM ") || l.ends_with(" AS binary"))
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(
        binary_stage,
        [
            "FROM scratch AS binary",
            "COPY --from=builder /usr/local/bin/attache /attache"
        ],
        "the binary stage"
    );
    let binary_copies: Vec<&String> = instructions
        .iter()
        .filter(|l| l.starts_with("COPY --from=") && l.contains("attache /usr/local/bin/attache"))
        .collect();
    assert_eq!(
        binary_copies,
        ["COPY --from=binary /attache /usr/local/bin/attache"],
        "the runtime copies the binary from the binary stage"
    );
    assert!(dockerfile.contains("libssl-dev") && dockerfile.contains("libssl3"));
    assert!(dockerfile.contains("ca-certificates"));
    // Rules and gazetteers are read from config/ relative to WORKDIR.
    let workdir = last("WORKDIR");
    let workdir = workdir.trim_start_matches("WORKDIR ");
    assert!(
        instructions
            .iter()
            .any(|l| l == &format!("COPY config/ {workdir}/config/")),
        "config/ is not copied under WORKDIR {workdir}"
    );
}

#[test]
fn compose_file_runs_kafka_and_attache_with_the_topics() {
    let compose =
        &parse_yaml_documents(&read("deploy/docker-compose.kafka.yml"), "compose").unwrap()[0];
    let services = &compose["services"];
    assert!(str_at(&services["kafka"]["image"], "kafka image").starts_with("apache/kafka:"));
    assert_eq!(
        services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"].as_str(),
        Some("broker,controller"),
        "single-node KRaft"
    );
    let attache = &services["attache"];
    let context = crate_root()
        .join("deploy")
        .join(str_at(&attache["build"]["context"], "build context"));
    let dockerfile = str_at(&attache["build"]["dockerfile"], "dockerfile");
    assert!(
        context.join(dockerfile).is_file(),
        "{dockerfile} not in build context"
    );
    let brokers = str_at(&attache["environment"]["ATTACHE_KAFKA__BROKERS"], "brokers");
    assert!(brokers.starts_with("kafka:"), "{brokers}");

    let topic_script = str_at(&services["kafka-topics"]["command"][0], "topic script");
    let defaults = Config::default();
    for topic in [
        &defaults.topics.input,
        &defaults.topics.articles,
        &defaults.topics.dlq,
    ] {
        assert!(
            topic_script.contains(&format!("create {topic} ")),
            "topic {topic} is not created"
        );
    }
    // The broker does not create topics on first use: every event type (one
    // rule file each) needs its topic made here.
    assert_eq!(
        services["kafka"]["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"].as_str(),
        Some("false")
    );
    let created_types: Vec<&str> = topic_script
        .lines()
        .find_map(|line| line.trim().strip_prefix("for type in "))
        .and_then(|rest| rest.strip_suffix("; do"))
        .expect("a `for type in ...; do` loop over the event types")
        .split_whitespace()
        .collect();
    assert!(topic_script.contains(r#"create "attache.events.$$type" "#));
    let mut rule_types: Vec<String> = std::fs::read_dir(crate_root().join("config/events"))
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    rule_types.sort();
    assert_eq!(created_types, rule_types, "event topics created by compose");
    assert_eq!(
        defaults.topics.events_default, "attache.events.{type}",
        "compose names event topics attache.events.<type>"
    );
    // The same uid as the image and the Deployment's securityContext.
    let uid = k8s_object("Deployment")["spec"]["template"]["spec"]["securityContext"]["runAsUser"]
        .as_u64()
        .unwrap();
    assert_eq!(
        str_at(&attache["user"], "user"),
        format!("{uid}:{uid}"),
        "compose user"
    );
    assert_eq!(attache["read_only"].as_bool(), Some(true));
    for volume in attache["volumes"].as_sequence().expect("volumes") {
        let source = str_at(volume, "volume").split(':').next().unwrap();
        assert!(
            crate_root().join("deploy").join(source).exists(),
            "mounted file {source} does not exist"
        );
    }
}

// ------------------------------------------------------ SASL via Secret ----

/// docs/operations.md tells operators to keep non-secret `[kafka.properties]`
/// in the ConfigMap and inject credentials from a Secret as
/// `ATTACHE_KAFKA__PROPERTIES`; the two must merge, not replace each other.
/// (Only this test in this binary reads the environment.)
#[test]
fn kafka_credentials_from_the_environment_merge_with_the_mounted_properties() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attache.toml");
    std::fs::write(
        &file,
        "[kafka.properties]\n\"security.protocol\" = \"SASL_SSL\"\n\"sasl.mechanism\" = \"SCRAM-SHA-512\"\n",
    )
    .unwrap();
    std::env::set_var(
        "ATTACHE_KAFKA__PROPERTIES",
        r#"{"sasl.username"="attache", "sasl.password"="p=ss\"word"}"#,
    );
    let loaded = Config::load(Some(&file));
    // A dotted librdkafka name cannot be one environment key: it must fail
    // loudly rather than be dropped.
    std::env::remove_var("ATTACHE_KAFKA__PROPERTIES");
    std::env::set_var("ATTACHE_KAFKA__PROPERTIES__SASL.PASSWORD", "x");
    let dotted = Config::load(Some(&file));
    std::env::remove_var("ATTACHE_KAFKA__PROPERTIES__SASL.PASSWORD");

    let properties = loaded.unwrap().kafka.properties;
    assert_eq!(properties["security.protocol"], "SASL_SSL");
    assert_eq!(properties["sasl.mechanism"], "SCRAM-SHA-512");
    assert_eq!(properties["sasl.username"], "attache");
    assert_eq!(properties["sasl.password"], "p=ss\"word");
    let err = dotted.unwrap_err().to_string();
    assert!(err.contains("kafka.properties.sasl"), "{err}");
}
