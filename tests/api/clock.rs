//! The service's clock is anchored in the database: processes started at different moments
//! on one database show the same simulated time, and changing the speed never turns it back.

use std::time::Duration;

use chrono::Utc;
use warmup_entity::Clock;

use crate::helpers::TestApp;
use crate::on_both_databases;

on_both_databases!(processes_on_one_database_share_one_simulated_clock);

async fn processes_on_one_database_share_one_simulated_clock(app: &TestApp) {
    // A process joining others, and the one that owns the database and sets its speed.
    let anchored = |speedup: f64| async move {
        Clock::anchored(&app.db, speedup)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let set_speed = |speedup: f64| async move {
        Clock::anchored_at_speed(&app.db, speedup)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // The app runs in real time; a first process at 600× continues from the moment it
    // anchors (between `t0` and `t1`, each real millisecond 600 simulated ones).
    let t0 = Utc::now();
    let first = set_speed(600.0).await;
    let t1 = Utc::now();
    let shown = first.now();
    let most = (Utc::now() - t0) * 600 + chrono::Duration::seconds(1);
    assert!(
        shown >= t1 && shown - t1 <= most,
        "{shown} not within {most} after {t1}: {first:?}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    // A process started half a second later: 300 simulated seconds later. A clock of its
    // own would start at real time again, five minutes behind the first.
    let second = anchored(600.0).await;
    let own = Clock::scaled(600.0);
    let (a, b) = (first.now(), second.now());
    assert!((a - b).num_seconds().abs() <= 2, "{a} vs {b}");
    let ahead = (b - Utc::now()).num_seconds();
    assert!((250..3000).contains(&ahead), "{ahead} s ahead of real time");
    assert!(
        (b - own.now()).num_seconds() >= 250,
        "a clock of its own lags"
    );

    // A process at another speed cannot join: it would disagree about every time.
    let refused = Clock::anchored(&app.db, 2.0).await;
    let err = refused
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| panic!("a process at 2× joined a clock at 600×"));
    assert!(err.contains("600") && err.contains("2×"), "{err}");

    // Back to real time: the clock keeps its simulated present and runs at 1× from there.
    let before = second.now();
    let slow = set_speed(1.0).await;
    let after = slow.now();
    assert!(
        after >= before,
        "time never turns back: {before} -> {after}"
    );
    assert!((after - before).num_seconds() < 5, "{before} -> {after}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let step = (slow.now() - after).num_milliseconds();
    assert!(
        (400..2000).contains(&step),
        "real time now: {step} ms in 500 ms"
    );
    // A later process at that speed reads the same anchor.
    let again = anchored(1.0).await;
    assert!((again.now() - slow.now()).num_milliseconds().abs() < 100);
}
