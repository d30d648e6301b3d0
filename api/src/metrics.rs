//! Prometheus metrics of the API process.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use subtle::ConstantTimeEq;
use warmup_entity::store::metrics::Snapshot;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub durations: Family<RouteLabels, Histogram>,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("warmup");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 14))
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            durations.clone(),
        );
        Self {
            registry,
            requests,
            durations,
        }
    }

    /// The text exposition (prometheus-client writes OpenMetrics text, which also parses as the
    /// Prometheus 0.0.4 text format: its extra lines are comments there): this process's
    /// HTTP metrics, then the service's counts read from the database.
    pub fn render(&self, service: Snapshot) -> String {
        use prometheus_client::encoding::text::{encode_eof, encode_registry};
        let mut counts = Registry::with_prefix("warmup");
        counts.register_collector(Box::new(ServiceCounts(service)));
        let mut out = String::new();
        if encode_registry(&mut out, &self.registry).is_err()
            || encode_registry(&mut out, &counts).is_err()
            || encode_eof(&mut out).is_err()
        {
            out.clear();
        }
        out
    }
}

/// The service's counts as metrics: counters of sends, placements and webhook tries, gauges of
/// what waits in the queues.
#[derive(Debug)]
struct ServiceCounts(Snapshot);

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SendLabels {
    outcome: String,
    category: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PlacementLabels {
    source: String,
    class: String,
    provider: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

fn family<L: EncodeLabelSet, M: EncodeMetric>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    rows: impl IntoIterator<Item = (L, M)>,
    kind: MetricType,
) -> Result<(), std::fmt::Error> {
    let mut metric = encoder.encode_descriptor(name, help, None, kind)?;
    for (labels, value) in rows {
        value.encode(metric.encode_family(&labels)?)?;
    }
    Ok(())
}

fn count(n: i64) -> ConstCounter<u64> {
    ConstCounter::new(u64::try_from(n).unwrap_or(0))
}

impl Collector for ServiceCounts {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let s = &self.0;
        family(
            &mut encoder,
            "sends",
            "Delivery attempts of warmup mail and delivery reports, by outcome and category",
            s.sends.iter().map(|(outcome, category, n)| {
                (
                    SendLabels {
                        outcome: outcome.clone(),
                        category: category.clone(),
                    },
                    count(*n),
                )
            }),
            MetricType::Counter,
        )?;
        family(
            &mut encoder,
            "placements",
            "Placements found at seeds, by source, class and provider",
            s.placements.iter().map(|(source, class, provider, n)| {
                (
                    PlacementLabels {
                        source: source.clone(),
                        class: class.clone(),
                        provider: provider.clone(),
                    },
                    count(*n),
                )
            }),
            MetricType::Counter,
        )?;
        family(
            &mut encoder,
            "webhook_deliveries",
            "Webhook delivery tries, by result",
            s.webhook_attempts.iter().map(|(result, n)| {
                (
                    ResultLabels {
                        result: result.clone(),
                    },
                    count(*n),
                )
            }),
            MetricType::Counter,
        )?;
        family(
            &mut encoder,
            "send_queue",
            "Sends waiting to go out, by state",
            s.queue.iter().map(|(state, n)| {
                (
                    StateLabels {
                        state: state.clone(),
                    },
                    ConstGauge::new(*n),
                )
            }),
            MetricType::Gauge,
        )?;
        family(
            &mut encoder,
            "webhook_queue",
            "Webhook deliveries not yet ended, by state",
            s.webhook_queue.iter().map(|(state, n)| {
                (
                    StateLabels {
                        state: state.clone(),
                    },
                    ConstGauge::new(*n),
                )
            }),
            MetricType::Gauge,
        )
    }
}

/// The bearer token `/metrics` wants (`WARMUP_METRICS_TOKEN`), kept as its digest: compared in
/// constant time, never printed.
#[derive(Clone)]
pub struct MetricsToken([u8; 32]);

impl MetricsToken {
    pub fn new(token: &str) -> Self {
        Self(crate::token::digest(token))
    }

    /// Whether `presented` is the token; its time does not depend on how much of it is right.
    pub fn matches(&self, presented: &str) -> bool {
        crate::token::digest(presented).ct_eq(&self.0).into()
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metrics_token_matches_itself_only_and_never_prints() {
        let token = MetricsToken::new("a-long-metrics-token-0123456789abcdef");
        assert!(token.matches("a-long-metrics-token-0123456789abcdef"));
        assert!(!token.matches("a-long-metrics-token-0123456789abcdeF"));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "MetricsToken(***)");
    }
}
