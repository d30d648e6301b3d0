//! A socket that refuses to read more than a set number of bytes between two of our writes.
//!
//! SMTP and IMAP are conversations: we write a command, the server answers. The bytes read
//! between two writes are one answer (or a greeting), so capping them caps the memory a server
//! can make the protocol libraries buffer for one answer, whatever they would accept
//! themselves (lettre reads a reply line until its newline however long it grows; async-imap
//! takes answers up to 512 MiB), without parsing either protocol here.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

/// Bytes one SMTP answer may take: replies are a few lines (EHLO lists a dozen extensions).
pub const SMTP_ANSWER_LIMIT: usize = 64 * 1024;

/// Bytes one IMAP answer may take: a fetched message is at most `imap::FETCH_LIMIT`, plus the
/// framing of the FETCH response and any untagged lines that come with it. Kept small because
/// async-imap parses a line that has no end yet again on every read (time grows with the
/// square of its length).
pub const IMAP_ANSWER_LIMIT: usize = 2 * 1024 * 1024;

/// Bytes a greeting may take, before we have said anything: one line in both protocols.
pub const GREETING_LIMIT: usize = 64 * 1024;

/// A stream whose reads fail once `limit` bytes have arrived since our last write
/// ([`GREETING_LIMIT`] before the first), or once a read has waited `idle` for a byte: every
/// command of a long session (IMAP after login) gets the step limit, not only the login.
#[derive(Debug)]
pub struct Bounded<S> {
    inner: S,
    limit: usize,
    read_since_write: usize,
    wrote: bool,
    idle: Duration,
    waiting: Option<Pin<Box<Sleep>>>,
}

impl<S> Bounded<S> {
    pub fn new(inner: S, limit: usize, idle: Duration) -> Self {
        Self {
            inner,
            limit,
            read_since_write: 0,
            wrote: false,
            idle,
            waiting: None,
        }
    }

    /// Turns a read still pending into an error once it has waited `idle`.
    fn pending_or_timed_out(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let idle = self.idle;
        let timer = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(idle)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.waiting = None;
                Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no answer within {}s", idle.as_secs()),
                )))
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn current_limit(&self) -> usize {
        if self.wrote {
            self.limit
        } else {
            self.limit.min(GREETING_LIMIT)
        }
    }
}

impl Bounded<TcpStream> {
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let limit = self.current_limit();
        let left = limit.saturating_sub(self.read_since_write);
        if left == 0 {
            let what = if self.wrote {
                "without waiting for a command"
            } else {
                "in its greeting"
            };
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the server sent more than {} {what}", size_words(limit)),
            )));
        }
        if buf.remaining() <= left {
            let before = buf.filled().len();
            let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
            self.read_since_write += buf.filled().len() - before;
            return self.settle(polled, cx);
        }
        // Less room is left than the caller offers: read into a buffer of exactly that size so
        // the cap is exact (only near the cap, so the copy is rare and small).
        let mut scratch = vec![0u8; left.min(8192)];
        let mut limited = ReadBuf::new(&mut scratch);
        let polled = Pin::new(&mut self.inner).poll_read(cx, &mut limited);
        let got = limited.filled().len();
        if got > 0 {
            buf.put_slice(&scratch[..got]);
            self.read_since_write += got;
        }
        self.settle(polled, cx)
    }
}

impl<S> Bounded<S> {
    fn settle(
        &mut self,
        polled: Poll<io::Result<()>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        match polled {
            Poll::Pending => self.pending_or_timed_out(cx),
            done => {
                self.waiting = None;
                done
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = polled
            && n > 0
        {
            self.read_since_write = 0;
            self.wrote = true;
        }
        polled
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

fn size_words(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}
