//! Measures the cost of one key press in a fuzzy picker over N instance rows.
//!
//! - dialoguer's FuzzySelect (0.12): on every key it scores every item with SkimMatcherV2 and
//!   sorts all matches, on the UI thread. Reproduced here exactly (same matcher, same loop).
//! - nucleo (ssmgo's picker engine, via nucleo-picker): the pattern is updated and the worker
//!   pool rescored; we time until the match list is complete (`tick` until not running), i.e.
//!   the worst case a frame could wait for.
//!
//! Usage: cargo run --release -- [--tags] [N...]   (default: 10000 100000)

use std::sync::Arc;
use std::time::{Duration, Instant};

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use nucleo_picker::nucleo::pattern::{CaseMatching, Normalization};
use nucleo_picker::nucleo::{Config, Nucleo};

const SERVICES: [&str; 8] = ["web", "api", "db", "cache", "worker", "batch", "bastion", "search"];
const ENVS: [&str; 3] = ["dev", "staging", "prod"];
const TEAMS: [&str; 4] = ["platform", "payments", "data", "identity"];

/// A row as ssmgo's picker renders it by default: mark (recent, cached, new, …), name, id, SSM
/// status, IP; with `--tags`, also two tags, as when the picker is filtered by them.
fn row(i: usize, tags: bool) -> String {
    let svc = SERVICES[i % SERVICES.len()];
    let env = ENVS[(i / 8) % ENVS.len()];
    let team = TEAMS[(i / 3) % TEAMS.len()];
    format!(
        "{:<7} {:<32} i-{:017x} {:<16} 10.{}.{}.{:<6}{}",
        if i % 50 == 0 { "recent" } else { "" },
        format!("{svc}-{env}-{i:05}"),
        (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 4,
        if i % 7 == 6 { "ConnectionLost" } else { "Online" },
        (i >> 16) & 255,
        (i >> 8) & 255,
        i & 255,
        if tags { format!(" Env={env} Team={team}") } else { String::new() },
    )
}

/// A person typing a query one key at a time.
const TYPED: &str = "web-prod-01";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "  {label:<44} median {:>8.2} ms   p90 {:>8.2} ms   max {:>8.2} ms",
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.9).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
    );
}

fn dialoguer_fuzzy_select(items: &[String]) -> Vec<Duration> {
    let matcher = SkimMatcherV2::default();
    let mut samples = Vec::new();
    for round in 0..3 {
        for end in 1..=TYPED.len() {
            let term = &TYPED[..end];
            let start = Instant::now();
            // The body of dialoguer's FuzzySelect loop, minus the drawing.
            let mut filtered: Vec<(&String, i64)> = items
                .iter()
                .map(|item| (item, matcher.fuzzy_match(item, term)))
                .filter_map(|(item, score)| score.map(|s| (item, s)))
                .collect();
            filtered.sort_unstable_by(|(_, a), (_, b)| b.cmp(a));
            std::hint::black_box(&filtered);
            if round > 0 {
                samples.push(start.elapsed());
            }
        }
    }
    samples
}

fn nucleo_engine(items: &[String], threads: Option<usize>) -> Vec<Duration> {
    let mut nucleo: Nucleo<String> = Nucleo::new(Config::DEFAULT, Arc::new(|| {}), threads, 1);
    let injector = nucleo.injector();
    for item in items {
        injector.push(item.clone(), |s, cols| cols[0] = s.as_str().into());
    }
    while nucleo.tick(10).running {}
    let mut samples = Vec::new();
    for round in 0..3 {
        nucleo.pattern.reparse(0, "", CaseMatching::Smart, Normalization::Smart, false);
        while nucleo.tick(10).running {}
        for end in 1..=TYPED.len() {
            let start = Instant::now();
            nucleo.pattern.reparse(0, &TYPED[..end], CaseMatching::Smart, Normalization::Smart, true);
            while nucleo.tick(10).running {}
            std::hint::black_box(nucleo.snapshot().matched_item_count());
            if round > 0 {
                samples.push(start.elapsed());
            }
        }
    }
    samples
}

fn main() {
    let tags = std::env::args().any(|a| a == "--tags");
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| a != "--tags")
        .map(|a| a.parse().expect("sizes are numbers"))
        .collect();
    let sizes = if sizes.is_empty() { vec![10_000, 100_000] } else { sizes };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("per key press while typing {TYPED:?} ({cores} cores; 16 ms = one frame at 60 Hz)");
    for n in sizes {
        let items: Vec<String> = (0..n).map(|i| row(i, tags)).collect();
        println!("{n} items:");
        report("dialoguer FuzzySelect (skim, UI thread)", dialoguer_fuzzy_select(&items));
        report("nucleo, 1 thread", nucleo_engine(&items, Some(1)));
        report("nucleo, all cores (ssmgo's picker)", nucleo_engine(&items, None));
    }
}
