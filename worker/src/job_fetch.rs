//! How a job worker takes jobs from its queue: with the storage's own statement, when its
//! timer or a push says so, and again only while looks bring full batches.
//!
//! apalis (1.0) asks its backend for jobs whenever the worker is woken, whatever the poll
//! strategy says: after each job's end, after each batch of lock and acknowledgement events. A
//! lab run counted eight such looks a send beyond the timer's, on SQLite the service's most
//! costly statement, each in a transaction of three. [`Gated`] leaves the storage everything
//! else (registering the worker, heartbeats, locks, acknowledgements) and takes jobs itself,
//! with the storage's fetch statement run on the pool: one statement that takes and marks the
//! jobs, so no transaction holds SQLite's write lock between statements. The look is this
//! type's own future, so a look under way is driven to its end at the next wake-up whatever
//! the timer says (a gate around apalis' look, tried before, left it un-polled with the lock
//! held), and a tick or push during a look that comes back empty is kept for the next one.

use std::collections::VecDeque;
use std::task::{Context, Poll};

use apalis::prelude::{Backend, PollSnapshot, PollStrategy, WorkerContext};
// apalis' own box for a future kept in a `Sync` backend (its builders want backends `Sync`;
// sqlx's futures are not).
use apalis_core::backend::future::BoxSyncFuture;
use apalis_core::backend::{BackendConfig, WireFormatBackend};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::poll_timer::Every;

/// Where a worker's jobs come from: a queue in the database.
pub trait Take: Send + Sync + 'static {
    type Task: Send + 'static;
    type Error: Send + 'static;

    /// Takes up to [`Take::batch`] due jobs for `worker`, marking them its own.
    fn take(
        &self,
        worker: &WorkerContext,
    ) -> BoxFuture<'static, Result<Vec<Self::Task>, Self::Error>>;

    /// Gives jobs taken but never begun back to the queue (the worker is closing).
    fn give_back(
        &self,
        worker: &WorkerContext,
        tasks: Vec<Self::Task>,
    ) -> BoxFuture<'static, Result<(), Self::Error>>;

    /// The most jobs one look takes.
    fn batch(&self) -> usize;
}

enum Look<T, E> {
    /// Nothing taken and nothing under way.
    Idle,
    /// A look under way.
    Under(BoxSyncFuture<Result<Vec<T>, E>>),
    /// Jobs taken, not yet handed to the worker.
    Taken(VecDeque<T>),
    /// Jobs being given back as the worker closes.
    GivingBack(BoxSyncFuture<Result<(), E>>),
}

/// A job backend whose jobs are taken by `jobs` when `when` fires (a tick or a push), and
/// again while a look brings a full batch.
pub struct Gated<B, J: Take> {
    backend: B,
    jobs: J,
    when: Every,
    /// The last look brought a full batch: more may be due, look again once it is handed out.
    again: bool,
    look: Look<J::Task, J::Error>,
}

impl<B, J: Take> Gated<B, J> {
    pub fn new(backend: B, jobs: J, when: Every) -> Self {
        Self {
            backend,
            jobs,
            when,
            again: false,
            look: Look::Idle,
        }
    }
}

impl<B, J> Backend for Gated<B, J>
where
    B: Backend,
    J: Take<Task = B::Task, Error = B::Error>,
{
    type Task = B::Task;
    type Error = B::Error;

    fn poll_ready(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        // Registration, heartbeats, locks and acknowledgements stay the storage's.
        self.backend.poll_ready(cx, worker)
    }

    fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Option<Result<Self::Task, Self::Error>>> {
        loop {
            match &mut self.look {
                Look::Taken(jobs) => match jobs.pop_front() {
                    Some(job) => {
                        if jobs.is_empty() {
                            self.look = Look::Idle;
                        }
                        return Poll::Ready(Some(Ok(job)));
                    }
                    None => self.look = Look::Idle,
                },
                Look::Under(look) => match look.poll_unpin(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(jobs)) => {
                        self.again = jobs.len() >= self.jobs.batch();
                        self.look = Look::Taken(jobs.into());
                    }
                    Poll::Ready(Err(e)) => {
                        self.look = Look::Idle;
                        return Poll::Ready(Some(Err(e)));
                    }
                },
                Look::Idle => {
                    // Polled whenever idle: it leaves the waker for the next tick and push.
                    let due = self
                        .when
                        .poll_drive(cx, &PollSnapshot::default())
                        .is_ready();
                    if !(due || std::mem::take(&mut self.again)) {
                        return Poll::Pending;
                    }
                    self.look = Look::Under(BoxSyncFuture::new(self.jobs.take(worker)));
                }
                // Only while closing, which poll_close drives.
                Look::GivingBack(_) => return Poll::Pending,
            }
        }
    }

    fn poll_close(
        &mut self,
        cx: &mut Context<'_>,
        worker: &WorkerContext,
    ) -> Poll<Result<(), Self::Error>> {
        // Jobs taken and not begun go back to the queue now, not when this worker is found
        // dead; a look under way ends first, its jobs going back with the rest.
        loop {
            match &mut self.look {
                Look::Idle => return self.backend.poll_close(cx, worker),
                Look::Under(look) => match look.poll_unpin(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(jobs)) => self.look = Look::Taken(jobs.into()),
                    Poll::Ready(Err(e)) => {
                        self.look = Look::Idle;
                        return Poll::Ready(Err(e));
                    }
                },
                Look::Taken(jobs) => {
                    let jobs: Vec<_> = std::mem::take(jobs).into();
                    self.look = if jobs.is_empty() {
                        Look::Idle
                    } else {
                        Look::GivingBack(BoxSyncFuture::new(self.jobs.give_back(worker, jobs)))
                    };
                }
                Look::GivingBack(back) => match back.poll_unpin(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => {
                        self.look = Look::Idle;
                        result?;
                    }
                },
            }
        }
    }
}

impl<B: BackendConfig, J: Take> BackendConfig for Gated<B, J> {
    type Id = B::Id;
    type Args = B::Args;
    type Kind = B::Kind;
    type Config = B::Config;
    type Layer = B::Layer;

    fn config(&self) -> &Self::Config {
        self.backend.config()
    }

    fn middleware(&mut self, worker: &mut WorkerContext) -> Self::Layer {
        self.backend.middleware(worker)
    }
}

impl<B: WireFormatBackend, J: Take> WireFormatBackend for Gated<B, J> {
    type Compact = B::Compact;
    type Codec = B::Codec;

    fn codec(&self) -> &Self::Codec {
        self.backend.codec()
    }
}

/// The ids of jobs, as the storages' statements name them.
fn ids<A>(tasks: &[apalis::prelude::Task<A>]) -> Vec<String> {
    tasks
        .iter()
        .filter_map(|t| t.task_id().map(ToString::to_string))
        .collect()
}

/// A SQLite queue's jobs, taken with apalis-sqlite's fetch statement.
pub struct SqliteJobs {
    pool: apalis_sqlite::SqlitePool,
    config: apalis_sqlite::Config,
}

impl SqliteJobs {
    pub fn of<A>(storage: &apalis_sqlite::SqliteStorage<A>) -> Self {
        Self {
            pool: storage.pool().clone(),
            config: storage.config().clone(),
        }
    }
}

impl Take for SqliteJobs {
    type Task = apalis_sqlite::SqliteTask;
    type Error = apalis_sqlite::Error;

    fn take(
        &self,
        worker: &WorkerContext,
    ) -> BoxFuture<'static, Result<Vec<Self::Task>, Self::Error>> {
        let (pool, config, worker) = (self.pool.clone(), self.config.clone(), worker.clone());
        async move { apalis_sqlite::queries::fetch_next(&pool, &config, &worker).await }.boxed()
    }

    fn give_back(
        &self,
        worker: &WorkerContext,
        tasks: Vec<Self::Task>,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        let (pool, config, worker) = (self.pool.clone(), self.config.clone(), worker.clone());
        async move {
            let ids = ids(&tasks);
            apalis_sqlite::queries::reenqueue_abandoned(
                &pool,
                config.queue.as_ref(),
                worker.name(),
                &ids,
            )
            .await?;
            Ok(())
        }
        .boxed()
    }

    fn batch(&self) -> usize {
        self.config.batch_size
    }
}

/// A Postgres queue's jobs, taken with apalis-postgres' fetch statement (its `get_jobs`
/// function, which locks the rows it takes and skips those another worker is taking).
pub struct PostgresJobs {
    pool: apalis_postgres::PgPool,
    config: apalis_postgres::Config,
}

impl PostgresJobs {
    pub fn of<A>(storage: &apalis_postgres::PostgresStorage<A>) -> Self {
        Self {
            pool: storage.pool().clone(),
            config: storage.config().clone(),
        }
    }
}

impl Take for PostgresJobs {
    type Task = apalis_postgres::PgTask;
    type Error = apalis_postgres::Error;

    fn take(
        &self,
        worker: &WorkerContext,
    ) -> BoxFuture<'static, Result<Vec<Self::Task>, Self::Error>> {
        let (pool, config, worker) = (self.pool.clone(), self.config.clone(), worker.clone());
        async move {
            let mut conn = pool.acquire().await?;
            apalis_postgres::queries::fetch_next(&mut *conn, &config, &worker).await
        }
        .boxed()
    }

    fn give_back(
        &self,
        worker: &WorkerContext,
        tasks: Vec<Self::Task>,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        let (pool, config, worker) = (self.pool.clone(), self.config.clone(), worker.clone());
        async move {
            let ids = ids(&tasks);
            let mut conn = pool.acquire().await?;
            apalis_postgres::queries::reenqueue_abandoned(
                &mut *conn,
                config.queue.as_ref(),
                worker.name(),
                &ids,
            )
            .await?;
            Ok(())
        }
        .boxed()
    }

    fn batch(&self) -> usize {
        self.config.batch_size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::sync::{Notify, oneshot};

    /// A queue whose looks are answered by the test, one by one.
    #[derive(Default)]
    struct Queue {
        looks: AtomicUsize,
        answers: Mutex<VecDeque<oneshot::Receiver<Vec<u32>>>>,
        given_back: Mutex<Vec<u32>>,
    }

    impl Queue {
        /// The answer to the next look, sent when the test says.
        fn answer_next(&self) -> oneshot::Sender<Vec<u32>> {
            let (tx, rx) = oneshot::channel();
            self.answers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push_back(rx);
            tx
        }
    }

    impl Take for Arc<Queue> {
        type Task = u32;
        type Error = std::io::Error;

        fn take(&self, _: &WorkerContext) -> BoxFuture<'static, Result<Vec<u32>, Self::Error>> {
            self.looks.fetch_add(1, Ordering::SeqCst);
            let answer = self
                .answers
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .pop_front();
            async move {
                match answer {
                    Some(rx) => Ok(rx.await.unwrap_or_default()),
                    None => Ok(Vec::new()),
                }
            }
            .boxed()
        }

        fn give_back(
            &self,
            _: &WorkerContext,
            tasks: Vec<u32>,
        ) -> BoxFuture<'static, Result<(), Self::Error>> {
            self.given_back
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(tasks);
            async { Ok(()) }.boxed()
        }

        fn batch(&self) -> usize {
            3
        }
    }

    /// The storage beside the queue: always ready, never asked for jobs.
    struct Storage;

    impl Backend for Storage {
        type Task = u32;
        type Error = std::io::Error;

        fn poll_ready(
            &mut self,
            _: &mut Context<'_>,
            _: &WorkerContext,
        ) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn poll_next(
            &mut self,
            _: &mut Context<'_>,
            _: &WorkerContext,
        ) -> Poll<Option<Result<u32, Self::Error>>> {
            unreachable!("jobs are taken by the gate, not by the storage")
        }

        fn poll_close(
            &mut self,
            _: &mut Context<'_>,
            _: &WorkerContext,
        ) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }
    }

    struct Rig {
        queue: Arc<Queue>,
        pushed: Arc<Notify>,
        gated: Gated<Storage, Arc<Queue>>,
        worker: WorkerContext,
    }

    impl Rig {
        fn new() -> Self {
            let queue = Arc::new(Queue::default());
            let pushed = Arc::new(Notify::new());
            let gated = Gated::new(
                Storage,
                queue.clone(),
                Every::new(Duration::from_secs(60)).or_when(pushed.clone()),
            );
            Self {
                queue,
                pushed,
                gated,
                worker: WorkerContext::new("gated"),
            }
        }

        /// One wake-up of the worker: what the backend hands out.
        fn wake(&mut self) -> Option<u32> {
            let mut cx = Context::from_waker(std::task::Waker::noop());
            match self.gated.poll_next(&mut cx, &self.worker) {
                Poll::Ready(Some(Ok(job))) => Some(job),
                Poll::Ready(other) => panic!("unexpected {other:?}"),
                Poll::Pending => None,
            }
        }

        /// Wakes the worker until the timer's first tick (due at once, but a timer's "at once"
        /// is the next millisecond) has made the first look; what that wake-up handed out.
        async fn first_look(&mut self) -> Option<u32> {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            loop {
                let handed = self.wake();
                if self.looks() > 0 {
                    return handed;
                }
                assert!(tokio::time::Instant::now() < deadline, "no first look");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }

        fn looks(&self) -> usize {
            self.queue.looks.load(Ordering::SeqCst)
        }
    }

    #[tokio::test]
    async fn it_looks_after_a_tick_or_a_push_not_at_every_wake() {
        let mut rig = Rig::new();
        assert_eq!(rig.first_look().await, None);
        assert_eq!(rig.looks(), 1, "the first tick looks");
        // Jobs ending, events handled: the worker wakes, nothing is asked.
        for _ in 0..5 {
            assert_eq!(rig.wake(), None);
        }
        assert_eq!(rig.looks(), 1, "wake-ups alone do not look");
        rig.pushed.notify_one();
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "a push looks");
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "once");
    }

    #[tokio::test]
    async fn a_look_under_way_is_read_at_any_wake_and_a_push_meanwhile_is_kept() {
        let mut rig = Rig::new();
        let answer = rig.queue.answer_next();
        assert_eq!(rig.first_look().await, None);
        assert_eq!(rig.looks(), 1);
        // Pushed while the look is under way; that look then finds nothing.
        rig.pushed.notify_one();
        let second = rig.queue.answer_next();
        assert!(answer.send(Vec::new()).is_ok());
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "the push looks again after the empty look");
        // The second look brings a job: any wake-up reads it, no tick or push needed.
        assert!(second.send(vec![7]).is_ok());
        assert_eq!(rig.wake(), Some(7));
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "a short batch is all that was due");
    }

    #[tokio::test]
    async fn a_full_batch_looks_again_once_handed_out() {
        let mut rig = Rig::new();
        assert!(rig.queue.answer_next().send(vec![1, 2, 3]).is_ok());
        let first = rig.first_look().await;
        let handed: Vec<_> = first
            .into_iter()
            .chain((0..2).filter_map(|_| rig.wake()))
            .collect();
        assert_eq!(handed, vec![1, 2, 3]);
        assert_eq!(rig.looks(), 1);
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "a full batch may have left more due");
        assert_eq!(rig.wake(), None);
        assert_eq!(rig.looks(), 2, "an empty look ends it");
    }

    #[tokio::test]
    async fn closing_gives_back_jobs_taken_and_not_begun() {
        let mut rig = Rig::new();
        assert!(rig.queue.answer_next().send(vec![1, 2, 3]).is_ok());
        assert_eq!(rig.first_look().await, Some(1));
        let mut cx = Context::from_waker(std::task::Waker::noop());
        assert!(matches!(
            rig.gated.poll_close(&mut cx, &rig.worker),
            Poll::Ready(Ok(()))
        ));
        assert_eq!(
            *rig.queue
                .given_back
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            vec![2, 3]
        );
    }
}
